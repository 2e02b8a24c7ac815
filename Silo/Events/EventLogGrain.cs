using System.Collections.Immutable;
using Gnlc.Events;
using Orleans.Concurrency;

namespace Gnlc.Silo.Events;

/// <summary>Reads the event log for front ends that never touch the database (see <see cref="IEventLogGrain"/>).</summary>
[StatelessWorker]
[Reentrant]
internal sealed class EventLogGrain(IEventLogStore log) : Grain, IEventLogGrain
{
    public async Task<ImmutableArray<FeedEvent>> ReadAfterAsync(long position, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var page = Math.Clamp(max, 0, IEventLogGrain.MaxPage);
        if (page == 0)
        {
            return [];
        }

        return [.. await log.ReadAfterAsync(position, page)];
    }

    public Task<long> GetHeadAsync() => log.GetHeadAsync();
}
