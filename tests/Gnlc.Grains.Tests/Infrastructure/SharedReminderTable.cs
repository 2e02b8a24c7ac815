using System.Collections.Concurrent;

namespace Gnlc.Grains.Tests.Infrastructure;

/// <summary>
/// A reminder table in the test process, shared by every silo. Orleans' in-memory reminder table lives
/// in one grain and dies with its silo; this one survives <c>KillSiloAsync</c> like a database would.
/// </summary>
public sealed class SharedReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();
    private readonly Lock _gate = new();

    public Task Init() => Task.CompletedTask;

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var entry) ? Copy(entry) : null);

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(e => e.GrainId == grainId).Select(Copy)));

    /// <summary>Rows whose grain hash is in the ring range (begin, end], wrapping when begin >= end.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(e => InRange(e.GrainId.GetUniformHashCode(), begin, end)).Select(Copy)));

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var copy = Copy(entry);
        copy.ETag = Guid.NewGuid().ToString("N");
        _rows[(entry.GrainId, entry.ReminderName)] = copy;
        return Task.FromResult<string?>(copy.ETag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue((grainId, reminderName), out var entry) && entry.ETag == eTag)
            {
                return Task.FromResult(_rows.TryRemove((grainId, reminderName), out _));
            }

            return Task.FromResult(false);
        }
    }

    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Copy(ReminderEntry entry) => new()
    {
        GrainId = entry.GrainId,
        ReminderName = entry.ReminderName,
        StartAt = entry.StartAt,
        Period = entry.Period,
        ETag = entry.ETag,
    };
}
