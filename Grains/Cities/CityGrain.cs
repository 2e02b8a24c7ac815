using Gnlc.Actors;
using Gnlc.Domain;
using Gnlc.Infrastructure;
using Gnlc.Notices;
using Gnlc.State;

namespace Gnlc.Cities;

/// <param name="views">
/// The co-hosted view registry, only where the Api reads from it (the embedded deployment): absent, nothing is published.
/// </param>
[GrainType("gnlc-city")]
public sealed class CityGrain(
    [PersistentState("city", ProviderNames.GrainStorage)] IPersistentState<CityState> store,
    DomainGrainServices services,
    CityViewRegistry? views = null)
    : DomainGrain<CityState>(store, services), ICityGrain, ICityInbox
{
    // What this activation published last (withdrawn when it deactivates).
    private CityViewRegistry.Published? _published;

    public async Task<CityView> RegisterAsync(Actor actor, RegisterCity command)
    {
        var cityId = GrainKeys.City(Key);
        await CommitAsync(CityRules.Register(State, cityId, actor, command, Now));
        return await CurrentView();
    }

    // The view of the current state, built once per change (and answered by the change itself, then published and
    // read): reads far outnumber writes. Keyed on the state object, which every change replaces (states are immutable
    // records).
    private CityState? _viewOf;
    private Task<CityView>? _view;

    public Task<CityView> GetAsync() => CurrentView();

    private Task<CityView> CurrentView()
    {
        var state = State;
        if (!ReferenceEquals(state, _viewOf) || _view is null)
        {
            _view = Task.FromResult(CityRules.View(state));
            _viewOf = state;
        }

        return _view;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // Last: the loaded state is committed, and an activation that failed before this point published nothing.
        Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // First: from here on GETs ask the grain, which answers from the next activation.
        if (_published is not null)
        {
            views?.Withdraw(_published);
            _published = null;
        }

        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    protected override void OnCommitted() => Publish();

    private void Publish()
    {
        if (views is not null && State.Registered)
        {
            // The very instance GetAsync answers with (a completed task): the Api's JSON cache then matches it by reference.
            _published = views.Publish(CurrentView().Result);
        }
    }

    public async Task<CityView> UpdateProfileAsync(Actor actor, UpdateCityProfile command)
    {
        await CommitAsync(CityRules.UpdateProfile(State, actor, command));
        return await CurrentView();
    }

    public async Task<CityView> EndorseRepresentativeAsync(Actor actor, string name)
    {
        await CommitAsync(CityRules.EndorseRepresentative(State, actor, name));
        return await CurrentView();
    }

    public async Task<CityView> FileProgressReportAsync(Actor actor, FileProgressReport command)
    {
        await CommitAsync(CityRules.FileProgressReport(State, actor, command, Now));
        return await CurrentView();
    }

    public async Task<CityView> SuspendAsync(Actor actor, string reason)
    {
        await CommitAsync(CityRules.Suspend(State, actor, reason, Now));
        return await CurrentView();
    }

    public async Task<CityView> EndMembershipAsync(Actor actor, string reason)
    {
        await CommitAsync(CityRules.EndMembership(State, actor, reason, Now));
        return await CurrentView();
    }

    public async Task<CityView> GrantAwardAsync(Actor actor, GrantAward command)
    {
        await CommitAsync(CityRules.GrantAward(State, actor, command, Now));
        return await CurrentView();
    }

    public async Task<CityView> ImportAwardAsync(Actor actor, RegisterCity registration, GrantAward award)
    {
        await CommitAsync(CityRules.ImportAward(State, GrainKeys.City(Key), actor, registration, award, Now));
        return await CurrentView();
    }

    public Task AdmitAsync(AdmissionNotice notice) => CommitAsync(CityRules.Admit(State, notice));

    // A state read from storage is compacted once per activation: it lives as long as the activation does.
    protected override CityState Initialize(CityState state) => state.Registered ? state.Compact() : state with { Id = Key };

    protected override bool HasPendingDeliveries(CityState state) => state.PendingEvents.Count > 0 || state.PendingSummary is not null;

    // The directory's shard and the event log are independent receivers: sent together, so a registration waits for
    // the slower of the two commits, not for their sum. All or nothing: if either fails, the whole outbox stays and
    // is delivered again (the shard keeps a summary once per version, the log an event once per entity and version).
    protected override async Task<CityState> DeliverAsync(CityState state)
    {
        var summary = state.PendingSummary is { } pending
            ? GrainFactory.Reference<IDirectoryShardGrain>(GrainKeys.DirectoryShard(state.Country)).UpsertAsync(pending)
            : Task.CompletedTask;
        var events = state.PendingEvents.Count > 0 ? Events.PublishAsync(state.PendingEvents) : Task.CompletedTask;
        await Task.WhenAll(summary, events);
        return state with { PendingSummary = null, PendingEvents = PersistedCollections.NoItems<Events.DomainEvent>() };
    }

    protected override DateTimeOffset? NextDeadline(CityState state) => CityRules.NextDeadline(state);

    protected override CityState ApplyDeadlines(CityState state, DateTimeOffset now) => CityRules.ProcessDeadlines(state, now);
}
