using Gnlc.Deadlines;
using Gnlc.Errors;
using Microsoft.Extensions.Logging;

namespace Gnlc.Infrastructure;

/// <summary>
/// Base of the domain grains: one state write commits a change together with its outbox (events and
/// notices to other grains); the outbox is then delivered with awaited, idempotent calls and cleared.
/// A delivery that fails is retried by the grain's reminder, or on its next activation. The same
/// reminder fires the grain's deadlines; the test clock calls <see cref="ProcessDeadlinesAsync"/> directly.
/// </summary>
public abstract partial class DomainGrain<TState> : Grain, IRemindable, IHasDeadlines
    where TState : class
{
    public const string ReminderName = "gnlc-deadlines";

    /// <summary>Reminder period: how soon a failed delivery or a due deadline is retried.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MinReminderDelay = TimeSpan.FromSeconds(1);

    private readonly IPersistentState<TState> _store;
    private readonly DomainGrainServices _services;
    private readonly ILogger _logger;
    private DateTimeOffset? _scheduled;
    private bool _scheduleKnown;
    private bool _mayHaveReminder;
    private IGrainTimer? _flushTimer;

    protected DomainGrain(IPersistentState<TState> store, DomainGrainServices services)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(services);
        _store = store;
        _services = services;
        _logger = services.Loggers.CreateLogger(GetType());
    }

    protected TState State => _store.State;

    protected DateTimeOffset Now => _services.Time.GetUtcNow();

    protected string Key => this.GetPrimaryKeyString();

    protected IDomainEventSink Events => _services.Events;

    /// <summary>False for grains that only ever need a reminder to retry a failed delivery.</summary>
    protected virtual bool HasDeadlines => true;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _services.WhenClockReadyAsync(cancellationToken);
        _store.State = Initialize(_store.State);
        _mayHaveReminder = HasDeadlines;
        if (HasPendingDeliveries(State))
        {
            // Redeliver what a previous activation left, after this activation has started: delivering
            // from OnActivateAsync could wait on a grain that is itself waiting on this one.
            ArmFlushTimer();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            _mayHaveReminder = true;
            await ProcessDeadlinesAsync();
        }
    }

    public async Task ProcessDeadlinesAsync()
    {
        // Re-arm from the schedule: the reminder may have been clamped short of a far deadline.
        _scheduleKnown = false;
        await FlushAsync();
        var next = ApplyDeadlines(State, Now);
        if (ReferenceEquals(next, State))
        {
            await SyncScheduleAsync();
        }
        else
        {
            await CommitAsync(next);
        }
    }

    /// <summary>Fills fields derived from the key into a state never written (nothing is persisted).</summary>
    protected virtual TState Initialize(TState state) => state;

    protected abstract bool HasPendingDeliveries(TState state);

    /// <summary>Delivers the outbox of <paramref name="state"/>; returns the state without what was delivered.</summary>
    protected abstract Task<TState> DeliverAsync(TState state);

    protected virtual DateTimeOffset? NextDeadline(TState state) => null;

    protected virtual TState ApplyDeadlines(TState state, DateTimeOffset now) => state;

    /// <summary>
    /// Commits <paramref name="next"/> (the change and its outbox in one write), then delivers the
    /// outbox. The same instance as the current state means nothing changed: nothing is written.
    /// </summary>
    /// <param name="deferDelivery">Deliver after this call returns: used when a notice goes back to the caller.</param>
    protected async Task CommitAsync(TState next, bool deferDelivery = false)
    {
        if (ReferenceEquals(next, State))
        {
            return;
        }

        // A deadline that moves earlier is scheduled before the write, so no committed deadline lacks a reminder.
        if (HasDeadlines && NextDeadline(next) is { } due && (!_scheduleKnown || _scheduled is null || due < _scheduled))
        {
            await ScheduleAsync(due);
        }

        await WriteAsync(next);
        if (deferDelivery)
        {
            ArmFlushTimer();
        }
        else
        {
            await FlushAsync();
        }

        await SyncScheduleAsync();
    }

    private async Task WriteAsync(TState next)
    {
        var previous = _store.State;
        _store.State = next;
        try
        {
            await _store.WriteStateAsync();
        }
        catch
        {
            _store.State = previous;
            throw;
        }
    }

    private async Task FlushAsync()
    {
        if (!HasPendingDeliveries(State))
        {
            return;
        }

        try
        {
            var delivered = await DeliverAsync(State);
            await WriteAsync(delivered);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The change is committed; its outbox stays and the reminder retries (SyncScheduleAsync).
            LogDeliveryFailed(_logger, exception, this.GetGrainId());
        }
    }

    private void ArmFlushTimer()
    {
        if (_flushTimer is not null)
        {
            return;
        }

        _flushTimer = this.RegisterGrainTimer(
            async () =>
            {
                _flushTimer?.Dispose();
                _flushTimer = null;
                await FlushAsync();
                await SyncScheduleAsync();
            },
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
    }

    /// <summary>Keeps the reminder and the deadline index in step with the next deadline (or pending retry).</summary>
    private async Task SyncScheduleAsync()
    {
        var due = HasDeadlines ? NextDeadline(State) : null;
        if (HasPendingDeliveries(State))
        {
            var retry = Now + RetryPeriod;
            due = due is { } d && d < retry ? d : retry;
        }

        if (_scheduleKnown && due == _scheduled)
        {
            return;
        }

        try
        {
            if (due is { } at)
            {
                await ScheduleAsync(at);
            }
            else if (_scheduleKnown || _mayHaveReminder)
            {
                if (await this.GetReminder(ReminderName) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                await DeadlineIndex.SetAsync(this.GetGrainId().ToString(), null);
                _scheduled = null;
                _scheduleKnown = true;
                _mayHaveReminder = false;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not DomainException)
        {
            // The committed state holds the deadline: the next commit, tick or activation syncs again.
            _scheduleKnown = false;
            LogScheduleFailed(_logger, exception, this.GetGrainId());
        }
    }

    private async Task ScheduleAsync(DateTimeOffset due)
    {
        var delay = due - Now;
        delay = delay < MinReminderDelay ? MinReminderDelay : delay > MaxReminderDelay ? MaxReminderDelay : delay;
        await this.RegisterOrUpdateReminder(ReminderName, delay, RetryPeriod);
        await DeadlineIndex.SetAsync(this.GetGrainId().ToString(), due);
        _scheduled = due;
        _scheduleKnown = true;
        _mayHaveReminder = true;
    }

    // Reminders accept at most ~49 days; a far deadline is reached in hops that re-check now.
    private TimeSpan MaxReminderDelay => _services.Options.MaxReminderDelay;

    private IDeadlineIndexGrain DeadlineIndex
    {
        get
        {
            var id = this.GetGrainId().ToString();
            return GrainFactory.GetGrain<IDeadlineIndexGrain>(GrainKeys.DeadlineShard(GrainKeys.DeadlineShardOf(id)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery of {GrainId} failed; it will be retried")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduling the deadlines of {GrainId} failed; it will be retried")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, GrainId grainId);
}
