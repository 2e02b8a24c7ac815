using Gnlc.Actors;
using Gnlc.Cities;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.Periods;
using Gnlc.State;

namespace Gnlc.Applications;

[GrainType("gnlc-application")]
public sealed class ApplicationGrain(
    [PersistentState("application", ProviderNames.GrainStorage)] IPersistentState<ApplicationState> store,
    DomainGrainServices services)
    : DomainGrain<ApplicationState>(store, services), IApplicationGrain, IApplicationInbox
{
    protected override bool HasDeadlines => false;

    public async Task<ApplicationView> SaveDraftAsync(Actor actor, ApplicationForm form)
    {
        var (periodId, cityId) = GrainKeys.ParseApplication(Key);
        ActorChecks.RequireCity(actor, cityId);
        var (city, period) = await ReadCityAndPeriodAsync(cityId, periodId);
        await CommitAsync(ApplicationRules.SaveDraft(State, periodId, city, actor, form, period.Schedule, Now));
        return ApplicationRules.View(State);
    }

    public async Task<ApplicationView> GetAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.CityRole == CityRole.Representative && State.Created && actor.IsCity(State.CityId))
        {
            // A representative reads the city's application only once the mayor has endorsed them.
            var city = await GrainFactory.Reference<ICityGrain>(State.CityId).GetAsync();
            ActorChecks.RequireCityDelegate(actor, city.Id, city.Representatives);
        }

        return ApplicationRules.View(State, actor);
    }

    public async Task<ApplicationView> EndorseAsMayorAsync(Actor actor, string statement)
    {
        await CommitAsync(ApplicationRules.EndorseAsMayor(State, actor, statement, Now));
        return ApplicationRules.View(State);
    }

    public async Task<ApplicationView> SubmitAsync(Actor actor)
    {
        var (periodId, cityId) = GrainKeys.ParseApplication(Key);
        ActorChecks.RequireCity(actor, cityId);
        if (State.Created && State.Status == ApplicationStatus.Draft)
        {
            // Two independent reads: asked together.
            var (city, period) = await ReadCityAndPeriodAsync(cityId, periodId);
            await CommitAsync(ApplicationRules.Submit(State, actor, period.Schedule, city, Now));
        }
        else if (actor.CityRole == CityRole.Representative)
        {
            // A retry of a done submission answers only to the mayor or an endorsed representative.
            var city = await GrainFactory.Reference<ICityGrain>(cityId).GetAsync();
            ActorChecks.RequireCityDelegate(actor, cityId, city.Representatives);
        }

        return ApplicationRules.View(State, actor);
    }

    public async Task<ApplicationView> DecideAsync(Actor actor, DecideApplication command)
    {
        ActorChecks.RequireCoordinator(actor);
        var (periodId, _) = GrainKeys.ParseApplication(Key);
        var period = await GrainFactory.Reference<IApplicationPeriodGrain>(GrainKeys.Period(periodId)).GetAsync();
        await CommitAsync(ApplicationRules.Decide(State, actor, command, period.Phase, Now));
        return ApplicationRules.View(State);
    }

    private async Task<(CityView City, PeriodView Period)> ReadCityAndPeriodAsync(string cityId, string periodId)
    {
        var city = GrainFactory.Reference<ICityGrain>(cityId).GetAsync();
        var period = GrainFactory.Reference<IApplicationPeriodGrain>(GrainKeys.Period(periodId)).GetAsync();
        // Both observed; a failure of the city's read is the one thrown, as when they were asked one after the other.
        await Task.WhenAll(city, period);
        return (city.Result, period.Result);
    }

    public Task ApplyCommissionNoticeAsync(CommissionNotice notice) => CommitAsync(ApplicationRules.ApplyCommissionNotice(State, notice));

    protected override ApplicationState Initialize(ApplicationState state)
    {
        if (state.Created || !Key.StartsWith("app:", StringComparison.Ordinal))
        {
            return state;
        }

        try
        {
            var (periodId, cityId) = GrainKeys.ParseApplication(Key);
            return state with { PeriodId = periodId, CityId = cityId, Country = GrainKeys.CountryOfCity(cityId) };
        }
        catch (Errors.DomainException)
        {
            // An invalid key: every command refuses it when it parses the key.
            return state;
        }
    }

    protected override bool HasPendingDeliveries(ApplicationState state) =>
        state.PendingEvents.Count > 0 || state.PendingSubmission is not null || state.PendingPeriodStatus is not null || state.PendingAdmission is not null;

    // The commission calls its applications back (notices): a submission that may have reached it already is
    // redelivered off the turn.
    protected override bool DeliversToCallers(ApplicationState state) => state.PendingSubmission is not null;

    // The notices and the events go to different grains and to the log, none waiting on another: sent together, so
    // a submission waits for the slowest of them, not for their sum. All or nothing: if any fails, the whole outbox
    // stays and is delivered again (each receiver deduplicates).
    protected override async Task<ApplicationState> DeliverAsync(ApplicationState state)
    {
        var deliveries = new List<Task>(4);
        if (state.PendingSubmission is { } submission)
        {
            deliveries.Add(GrainFactory.Reference<ICommissionInbox>(GrainKeys.Commission(state.Country)).ReceiveSubmissionAsync(submission));
        }

        if (state.PendingPeriodStatus is { } status)
        {
            deliveries.Add(GrainFactory.Reference<IPeriodInbox>(GrainKeys.Period(state.PeriodId)).ApplyApplicationStatusAsync(status));
        }

        if (state.PendingAdmission is { } admission)
        {
            deliveries.Add(GrainFactory.Reference<ICityInbox>(GrainKeys.City(state.CityId)).AdmitAsync(admission));
        }

        if (state.PendingEvents.Count > 0)
        {
            deliveries.Add(Events.PublishAsync(state.PendingEvents));
        }

        await Task.WhenAll(deliveries);
        return state with
        {
            PendingSubmission = null,
            PendingPeriodStatus = null,
            PendingAdmission = null,
            PendingEvents = PersistedCollections.EmptyList<Events.DomainEvent>(),
        };
    }
}
