using Gnlc.Deadlines;
using Gnlc.Errors;
using Microsoft.Extensions.Logging;

namespace Gnlc.Infrastructure;

/// <summary>
/// Base of the domain grains: one state write commits a change together with its outbox (events and
/// notices to other grains); the outbox is then delivered with awaited, idempotent calls.
/// </summary>
/// <remarks>
/// <para>
/// One storage write per change. A delivered outbox is cleared in memory only; the stored state keeps it until
/// the next write (which stores the cleared outbox with the next change) or until the activation is deactivated
/// (one best-effort write). An activation that dies before either redelivers that outbox when the grain
/// activates again: harmless, since every delivery is idempotent (events by entity and version, notices by the
/// receivers' own versions), and it is exactly what makes a crash between the write and the delivery safe.
/// </para>
/// <para>
/// A delivery that fails is retried by a one-shot grain timer (<see cref="Gnlc.Hosting.GnlcDomainOptions.OutboxRetryDelay"/>,
/// doubling up to <see cref="RetryPeriod"/>) and, durably, by the grain's reminder, which the failure registers;
/// a new activation delivers a stored outbox right after it starts. The timer does not hold the grain's turn while it
/// delivers, so a redelivery never waits on a grain that is itself waiting on this one (see <see cref="DeliversToCallers"/>).
/// The reminder is not registered on every
/// change: that would be a second write (the reminder table) for every change, doubling the write path. A grain
/// with a deadline already holds its reminder, whose tick delivers the outbox too. The same reminder fires the
/// grain's deadlines; the test clock calls <see cref="ProcessDeadlinesAsync"/> directly.
/// </para>
/// </remarks>
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
    private long _flushTimerDueTicks;
    private int _failedDeliveries;

    // Completed when the state write in flight ends: until then State holds what it stores, which is not durable yet.
    private TaskCompletionSource? _writeEnded;

    // The stored state still holds an outbox that this activation has delivered since (cleared lazily).
    private bool _storedOutboxDelivered;

    // The outbox may hold notices that already reached their receivers (inherited from a previous activation, or left
    // by a delivery that failed after it may have arrived): see DeliversToCallers. Cleared by a delivery that succeeds.
    private bool _outboxInDoubt;

    // Serialises the reminder and deadline-index updates: the flush timer runs beside the grain's turns.
    private Task _scheduling = Task.CompletedTask;

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
        if (_store.RecordExists)
        {
            _mayHaveReminder = HasDeadlines;
        }
        else
        {
            // Never written: no deadline was committed, so there is no reminder or index entry to keep in step
            // (one that a failed first write left behind clears itself on its first tick). Saves a reminder read
            // and an index call on the first change of every new grain.
            _scheduled = null;
            _scheduleKnown = true;
            _mayHaveReminder = false;
        }

        if (HasPendingDeliveries(State))
        {
            // Redeliver what a previous activation left (it may have died between its write and its delivery, or
            // before it stored the outbox cleared), right after this activation has started, from the timer: delivering
            // from OnActivateAsync could wait on a grain that is itself waiting on this one.
            _outboxInDoubt = true;
            ArmFlushTimer(TimeSpan.Zero);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        // Stores the cleared outbox, so that the next activation has nothing to redeliver. Best effort: if it fails,
        // the next activation redelivers (idempotently). Not after a stale write: the stored state is someone else's.
        if (_storedOutboxDelivered && !HasPendingDeliveries(State) && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            try
            {
                await _store.WriteStateAsync(cancellationToken);
                _storedOutboxDelivered = false;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogClearOnDeactivateFailed(_logger, exception, this.GetGrainId());
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
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
        await FlushInTurnAsync();
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

    /// <summary>
    /// Waits until no write of the state is in flight. For what interleaves with this grain's commits (a read marked to
    /// interleave, the flush timer) and must not answer from, or deliver, a change that is not stored yet.
    /// </summary>
    protected async Task WhenStoredAsync()
    {
        while (_writeEnded is { } ended)
        {
            await ended.Task;
        }
    }

    /// <summary>Fills fields derived from the key into a state never written (nothing is persisted).</summary>
    protected virtual TState Initialize(TState state) => state;

    protected abstract bool HasPendingDeliveries(TState state);

    /// <summary>Delivers the outbox of <paramref name="state"/>; returns the state without what was delivered.</summary>
    protected abstract Task<TState> DeliverAsync(TState state);

    /// <summary>
    /// True when the outbox of <paramref name="state"/> holds a notice to a grain that may call this one back (and
    /// wait for it) while handling its own commands. A first delivery of such a notice, within the turn of the change
    /// that made it, cannot meet such a call (the receiver only calls back about what it has received). A notice that
    /// may have arrived already (inherited from storage, or after a failed delivery) could: a redelivery that held
    /// this grain's turn and the receiver's call to this grain would wait on each other. So, while the outbox is in
    /// doubt, it is delivered from the flush timer, which does not hold the turn, and the change's caller does not
    /// wait for it. This is what lets the cleared outbox stay in memory (no second write) for these grains too.
    /// </summary>
    protected virtual bool DeliversToCallers(TState state) => false;

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
            await OneScheduleAtATimeAsync(() => ScheduleAsync(due));
        }

        await WriteAsync(next);
        if (deferDelivery)
        {
            ArmFlushTimer(TimeSpan.Zero);
        }
        else
        {
            await FlushInTurnAsync();
        }

        await SyncScheduleAsync();
    }

    /// <summary>Delivers the outbox within the caller's turn, unless that could wait on a grain waiting on this one.</summary>
    private Task FlushInTurnAsync()
    {
        if (_outboxInDoubt && DeliversToCallers(State))
        {
            ArmFlushTimer(TimeSpan.Zero);
            return Task.CompletedTask;
        }

        return FlushAsync();
    }

    private async Task WriteAsync(TState next)
    {
        var previous = _store.State;
        _store.State = next;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writeEnded = ended;
        try
        {
            await _store.WriteStateAsync();
        }
        catch
        {
            _store.State = previous;
            throw;
        }
        finally
        {
            _writeEnded = null;
            ended.SetResult();
        }

        // The write stored the outbox as it is now: whatever was delivered before is cleared in storage too.
        _storedOutboxDelivered = false;
        OnCommitted();
    }

    /// <summary>
    /// Called after every state write that succeeded, within the turn that wrote and before its caller is answered: the
    /// one way every change (commands, notices, deadlines) is committed. <see cref="State"/> is the committed state.
    /// </summary>
    protected virtual void OnCommitted()
    {
    }

    private async Task FlushAsync()
    {
        if (!HasPendingDeliveries(State))
        {
            return;
        }

        // The timer's flush runs beside the grain's turns: a change committed meanwhile replaces State (and carries
        // this outbox on, to be delivered again, idempotently), so only the very state delivered is cleared.
        var pending = State;
        try
        {
            var delivered = await DeliverAsync(pending);
            if (ReferenceEquals(_store.State, pending))
            {
                // Cleared in memory only: the next write stores it (one write per change, not two).
                _store.State = delivered;
                _storedOutboxDelivered = true;
                _outboxInDoubt = false;
            }

            _failedDeliveries = 0;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The change is committed; its outbox stays. The timer retries soon, the reminder (SyncScheduleAsync)
            // durably, and a new activation at once. A notice may have arrived although its call failed.
            LogDeliveryFailed(_logger, exception, this.GetGrainId());
            _outboxInDoubt = true;
            _failedDeliveries++;
            ArmFlushTimer(RetryDelay(_failedDeliveries));
        }
    }

    /// <summary>The one-shot retry after the <paramref name="failures"/>th failed delivery in a row: doubling, at most <see cref="RetryPeriod"/>.</summary>
    private TimeSpan RetryDelay(int failures)
    {
        var first = _services.Options.OutboxRetryDelay;
        var delay = first * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < RetryPeriod ? delay : RetryPeriod;
    }

    /// <summary>Delivers the outbox from a one-shot timer in <paramref name="due"/> (or sooner, if one is armed sooner).</summary>
    private void ArmFlushTimer(TimeSpan due)
    {
        var dueTicks = Environment.TickCount64 + (long)due.TotalMilliseconds;
        if (_flushTimer is not null)
        {
            if (_flushTimerDueTicks <= dueTicks)
            {
                return;
            }

            _flushTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _flushTimer = this.RegisterGrainTimer(
                async () =>
                {
                    _flushTimer?.Dispose();
                    _flushTimer = null;
                    // A command's write may be in flight: its outbox is not committed until the write succeeds.
                    await WhenStoredAsync();
                    await FlushAsync();
                    await SyncScheduleAsync();
                },
                // Interleaved: a (re)delivery must not hold the turn (see DeliversToCallers); FlushAsync is written for it.
                new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true });
        }

        _flushTimerDueTicks = dueTicks;
    }

    /// <summary>Keeps the reminder and the deadline index in step with the next deadline (or pending retry).</summary>
    /// <remarks>One update at a time (the flush timer runs beside the turns), each from the state current when it runs.</remarks>
    private Task SyncScheduleAsync() =>
        _scheduling.IsCompleted && _scheduleKnown && ScheduleDue() == _scheduled
            ? Task.CompletedTask // in step, as after most changes: no update, and nothing allocated
            : OneScheduleAtATimeAsync(SyncScheduleNowAsync);

    private DateTimeOffset? ScheduleDue()
    {
        var due = HasDeadlines ? NextDeadline(State) : null;
        if (HasPendingDeliveries(State))
        {
            var retry = Now + RetryPeriod;
            due = due is { } d && d < retry ? d : retry;
        }

        return due;
    }

    private async Task OneScheduleAtATimeAsync(Func<Task> update)
    {
        var previous = _scheduling;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _scheduling = done.Task;
        try
        {
            await previous;
            await update();
        }
        finally
        {
            done.SetResult();
        }
    }

    private async Task SyncScheduleNowAsync()
    {
        var due = ScheduleDue();
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
            return GrainFactory.Reference<IDeadlineIndexGrain>(GrainKeys.DeadlineShard(GrainKeys.DeadlineShardOf(id)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox delivery of {GrainId} failed; it will be retried")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the delivered outbox of {GrainId} on deactivation failed; its next activation redelivers it")]
    private static partial void LogClearOnDeactivateFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduling the deadlines of {GrainId} failed; it will be retried")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, GrainId grainId);
}
