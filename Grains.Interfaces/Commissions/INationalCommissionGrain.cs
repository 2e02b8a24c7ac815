using Gnlc.Actors;

namespace Gnlc.Commissions;

/// <summary>
/// The National Commission for UNESCO of one Member State (key <see cref="GrainKeys.Commission"/>,
/// e.g. <c>nc-ie</c>): the single owner of its endorsement quota.
/// </summary>
[Alias("gnlc.INationalCommissionGrain")]
public interface INationalCommissionGrain : IGrainWithStringKey
{
    [Alias("applications")]
    Task<CommissionPeriodView> GetApplicationsAsync(Actor actor, string periodId);

    /// <summary>Endorse a city's submitted application; endorsing an endorsed one again changes nothing.</summary>
    [Alias("endorse")]
    Task<CommissionPeriodView> EndorseAsync(Actor actor, string periodId, string cityId);

    [Alias("withdraw")]
    Task<CommissionPeriodView> WithdrawEndorsementAsync(Actor actor, string periodId, string cityId);

    /// <summary>Send the endorsed applications to the Coordination Team; final, and a retry changes nothing.</summary>
    [Alias("forward")]
    Task<CommissionPeriodView> ForwardAsync(Actor actor, string periodId);
}
