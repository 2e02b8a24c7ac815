using Gnlc.Actors;
using Orleans.Concurrency;

namespace Gnlc.Cities;

/// <summary>A city (key <see cref="GrainKeys.City"/>, e.g. <c>ie-dublin</c>): profile, membership, reports, awards.</summary>
[Alias("gnlc.ICityGrain")]
public interface ICityGrain : IGrainWithStringKey
{
    /// <summary>Coordinator registers the city whose id is this grain's key.</summary>
    [Alias("register")]
    Task<CityView> RegisterAsync(Actor actor, RegisterCity command);

    /// <summary>Public profile; refuses <c>city-not-found</c> for an unregistered key.</summary>
    /// <remarks>Read-only: concurrent reads of one city interleave with each other, never with a change.</remarks>
    [Alias("get"), ReadOnly]
    Task<CityView> GetAsync();

    [Alias("update-profile")]
    Task<CityView> UpdateProfileAsync(Actor actor, UpdateCityProfile command);

    /// <summary>The mayor formally endorses a representative, who then acts as a delegate.</summary>
    [Alias("endorse-representative")]
    Task<CityView> EndorseRepresentativeAsync(Actor actor, string name);

    [Alias("file-progress-report")]
    Task<CityView> FileProgressReportAsync(Actor actor, FileProgressReport command);

    [Alias("suspend")]
    Task<CityView> SuspendAsync(Actor actor, string reason);

    [Alias("end")]
    Task<CityView> EndMembershipAsync(Actor actor, string reason);

    [Alias("grant-award")]
    Task<CityView> GrantAwardAsync(Actor actor, GrantAward command);

    /// <summary>
    /// Coordinator imports an award: registers the city with <paramref name="registration"/> when it is not
    /// registered yet and grants the award in one write, so a refused award leaves no city behind.
    /// </summary>
    [Alias("import-award")]
    Task<CityView> ImportAwardAsync(Actor actor, RegisterCity registration, GrantAward award);
}
