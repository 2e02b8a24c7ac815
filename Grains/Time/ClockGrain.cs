using System.Collections.Immutable;
using Gnlc.Deadlines;
using Gnlc.Errors;
using Gnlc.Hosting;
using Gnlc.Infrastructure;
using Gnlc.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gnlc.Time;

/// <summary>
/// The cluster clock. As a test clock it keeps a durable offset; advancing writes it, pushes it to every
/// active silo, then processes every deadline now due (through the deadline index) before returning.
/// </summary>
[GrainType("gnlc-clock")]
public sealed partial class ClockGrain(
    [PersistentState("clock", ProviderNames.GrainStorage)] IPersistentState<ClockState> store,
    [FromKeyedServices(GnlcClock.ServiceKey)] TimeProvider time,
    GnlcDomainOptions options,
    IServiceProvider services,
    ILogger<ClockGrain> logger)
    : Grain, IClockGrain, IClockOffsetSource
{
    // Deadlines may fall due as others are processed (an admission schedules a report); a bound keeps
    // a misbehaving grain from holding the clock for ever.
    private const int MaxRounds = 50;

    public Task<DateTimeOffset> GetNowAsync() => Task.FromResult(time.GetUtcNow());

    public Task<TimeSpan> GetOffsetAsync() => Task.FromResult(store.State.Offset);

    public Task<ClockAdvanced> AdvanceByAsync(CalendarDuration by)
    {
        ArgumentNullException.ThrowIfNull(by);
        var now = time.GetUtcNow();
        return AdvanceAsync(by.AddTo(now) - now);
    }

    public async Task<ClockAdvanced> AdvanceAsync(TimeSpan by)
    {
        if (!options.TestClock)
        {
            throw DomainErrors.Forbidden(ErrorCodes.TestClockDisabled, "The test clock exists only in Development.");
        }

        if (by < TimeSpan.Zero)
        {
            throw DomainErrors.Validation(ErrorCodes.InvalidDuration, "The clock only moves forward.");
        }

        if (by > TimeSpan.Zero)
        {
            var previous = store.State;
            store.State = previous with { Offset = previous.Offset + by };
            try
            {
                await store.WriteStateAsync();
            }
            catch
            {
                store.State = previous;
                throw;
            }
        }

        await PushOffsetAsync(store.State.Offset);
        var now = time.GetUtcNow();
        return new ClockAdvanced(now, await ProcessDueDeadlinesAsync(now));
    }

    private async Task PushOffsetAsync(TimeSpan offset)
    {
        var client = services.GetRequiredService<IClockServiceClient>();
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        foreach (var silo in hosts.Keys)
        {
            try
            {
                await client.SetOffsetAsync(silo, offset);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A silo leaving the cluster: a silo that joins later loads the offset itself.
                LogPushFailed(logger, exception, silo);
            }
        }
    }

    private async Task<int> ProcessDueDeadlinesAsync(DateTimeOffset now)
    {
        var attempted = new HashSet<DeadlineEntry>();
        var processed = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var due = await DueEntriesAsync(now);
            var pending = due.Where(attempted.Add).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            foreach (var entry in pending)
            {
                try
                {
                    await GrainFactory.GetGrain<IHasDeadlines>(GrainId.Parse(entry.GrainId)).ProcessDeadlinesAsync();
                    processed++;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogDeadlineFailed(logger, exception, entry.GrainId);
                }
            }
        }

        return processed;
    }

    private async Task<ImmutableArray<DeadlineEntry>> DueEntriesAsync(DateTimeOffset now)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, GrainKeys.DeadlineShardCount)
            .Select(shard => GrainFactory.GetGrain<IDeadlineIndexGrain>(GrainKeys.DeadlineShard(shard)).GetDueAsync(now)));
        return [.. shards.SelectMany(s => s).OrderBy(e => e.Due).ThenBy(e => e.GrainId, StringComparer.Ordinal)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing the test-clock offset to {Silo} failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing the deadlines of {GrainId} failed")]
    private static partial void LogDeadlineFailed(ILogger logger, Exception exception, string grainId);
}
