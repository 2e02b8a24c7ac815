using Gnlc.Actors;

namespace Gnlc.Applications;

/// <summary>One city's application in one period (key <see cref="GrainKeys.Application"/>).</summary>
[Alias("gnlc.IApplicationGrain")]
public interface IApplicationGrain : IGrainWithStringKey
{
    /// <summary>Create or replace the draft (the city); editing after the mayor's endorsement withdraws it.</summary>
    [Alias("save-draft")]
    Task<ApplicationView> SaveDraftAsync(Actor actor, ApplicationForm form);

    /// <summary>The city, its commission (once submitted) and the coordinator may read it.</summary>
    [Alias("get")]
    Task<ApplicationView> GetAsync(Actor actor);

    /// <summary>The mayor formally endorses the form as it stands.</summary>
    [Alias("mayor-endorse")]
    Task<ApplicationView> EndorseAsMayorAsync(Actor actor, string statement);

    /// <summary>Submit to the National Commission; a retry of a done submission returns it unchanged.</summary>
    [Alias("submit")]
    Task<ApplicationView> SubmitAsync(Actor actor);

    /// <summary>The coordinator admits or declines a forwarded application, in Review.</summary>
    [Alias("decide")]
    Task<ApplicationView> DecideAsync(Actor actor, DecideApplication command);
}
