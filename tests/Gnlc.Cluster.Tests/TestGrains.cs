namespace Gnlc.Cluster.Tests;

[GenerateSerializer, Alias("gnlc.cluster-tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}

/// <summary>A counter whose every increment is acknowledged only after PostgreSQL stored it.</summary>
[Alias("gnlc.cluster-tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, writes the state, and returns the new value once the write is durable.</summary>
    [Alias("Increment")]
    Task<int> Increment();

    [Alias("Current")]
    Task<int> Current();

    /// <summary>The silo hosting this activation.</summary>
    [Alias("Host")]
    Task<SiloAddress> Host();
}

// Random rather than the default resource-optimized placement, so that a test can find a key on any silo quickly
// even while one silo is busier than the other.
[Orleans.Placement.RandomPlacement]
public sealed class CounterGrain(
    [PersistentState("cluster-counter", ProviderNames.GrainStorage)] IPersistentState<CounterState> state,
    ILocalSiloDetails silo) : Grain, ICounterGrain
{
    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> Current() => Task.FromResult(state.State.Value);

    public Task<SiloAddress> Host() => Task.FromResult(silo.SiloAddress);
}

[GenerateSerializer, Alias("gnlc.cluster-tests.ReminderLogState")]
public sealed class ReminderLogState
{
    [Id(0)]
    public Dictionary<string, int> Ticks { get; set; } = [];
}

/// <summary>Registers durable reminders and counts their ticks in persistent state, so a count survives restarts.</summary>
[Alias("gnlc.cluster-tests.IReminderLogGrain")]
public interface IReminderLogGrain : IGrainWithStringKey
{
    [Alias("Schedule")]
    Task Schedule(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Names of this grain's reminders as the reminder table lists them.</summary>
    [Alias("Reminders")]
    Task<string[]> Reminders();

    /// <summary>How often <paramref name="name"/> fired, as stored (re-read from storage).</summary>
    [Alias("Ticks")]
    Task<int> Ticks(string name);
}

public sealed class ReminderLogGrain(
    [PersistentState("cluster-reminder-log", ProviderNames.GrainStorage)] IPersistentState<ReminderLogState> state)
    : Grain, IReminderLogGrain, IRemindable
{
    public Task Schedule(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<string[]> Reminders()
    {
        var reminders = await this.GetReminders();
        return [.. reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
    }

    public async Task<int> Ticks(string name)
    {
        await state.ReadStateAsync();
        return state.State.Ticks.GetValueOrDefault(name);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks[reminderName] = state.State.Ticks.GetValueOrDefault(reminderName) + 1;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("gnlc.cluster-tests.TextState")]
public sealed class TextState
{
    [Id(0)]
    public string? Text { get; set; }
}
