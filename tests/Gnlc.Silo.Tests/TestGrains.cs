namespace Gnlc.Silo.Tests;

[GenerateSerializer, Alias("gnlc.tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>What a probe grain's activation holds: its value and what the storage told it.</summary>
[GenerateSerializer, Immutable, Alias("gnlc.tests.ProbeSnapshot")]
public sealed record ProbeSnapshot
{
    [Id(0)]
    public string? Value { get; init; }

    [Id(1)]
    public string? ETag { get; init; }

    [Id(2)]
    public bool RecordExists { get; init; }
}

/// <summary>A grain with one persistent state, to drive the storage provider through the real silo.</summary>
[Alias("gnlc.tests.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("Save")]
    Task Save(string value);

    /// <summary>Reloads the state from storage, so the answer is what the store holds, not the activation.</summary>
    [Alias("ReadStored")]
    Task<string?> ReadStored();

    [Alias("Clear")]
    Task Clear();

    [Alias("Describe")]
    Task<ProbeSnapshot> Describe();
}

[Alias("gnlc.tests.IAlphaProbeGrain")]
public interface IAlphaProbeGrain : IProbeGrain;

[Alias("gnlc.tests.IBetaProbeGrain")]
public interface IBetaProbeGrain : IProbeGrain;

[Alias("gnlc.tests.IPubSubStoreProbeGrain")]
public interface IPubSubStoreProbeGrain : IProbeGrain;

public abstract class ProbeGrain(IPersistentState<ProbeState> state) : Grain, IProbeGrain
{
    /// <summary>Alpha and Beta use the same state name on purpose: the store must still keep them apart.</summary>
    public const string StateName = "probe";

    public async Task Save(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public async Task<string?> ReadStored()
    {
        await state.ReadStateAsync();
        return state.State.Value;
    }

    public Task Clear() => state.ClearStateAsync();

    public Task<ProbeSnapshot> Describe() =>
        Task.FromResult(new ProbeSnapshot { Value = state.State.Value, ETag = state.Etag, RecordExists = state.RecordExists });
}

public sealed class AlphaProbeGrain(
    [PersistentState(ProbeGrain.StateName, ProviderNames.GrainStorage)] IPersistentState<ProbeState> state)
    : ProbeGrain(state), IAlphaProbeGrain;

public sealed class BetaProbeGrain(
    [PersistentState(ProbeGrain.StateName, ProviderNames.GrainStorage)] IPersistentState<ProbeState> state)
    : ProbeGrain(state), IBetaProbeGrain;

public sealed class PubSubStoreProbeGrain(
    [PersistentState(ProbeGrain.StateName, ProviderNames.PubSubStore)] IPersistentState<ProbeState> state)
    : ProbeGrain(state), IPubSubStoreProbeGrain;

/// <summary>A grain that registers durable reminders through the silo's reminder service.</summary>
[Alias("gnlc.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Names of this grain's reminders, as the reminder table lists them.</summary>
    [Alias("List")]
    Task<string[]> List();

    /// <summary>Removes the reminder; false when there was none.</summary>
    [Alias("Unregister")]
    Task<bool> Unregister(string name);
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<string[]> List()
    {
        var reminders = await this.GetReminders();
        return [.. reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
    }

    public async Task<bool> Unregister(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is null)
        {
            return false;
        }

        await this.UnregisterReminder(reminder);
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}

/// <summary>What a shutdown probe wrote when it was deactivated.</summary>
[GenerateSerializer, Alias("gnlc.tests.ShutdownProbeState")]
public sealed class ShutdownProbeState
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public string? DeactivationReason { get; set; }
}

/// <summary>A grain that holds a value in memory only, and writes it when it is deactivated.</summary>
[Alias("gnlc.tests.IShutdownProbeGrain")]
public interface IShutdownProbeGrain : IGrainWithStringKey
{
    /// <summary>Keeps <paramref name="value"/> in the activation; nothing is written.</summary>
    [Alias("Hold")]
    Task Hold(string value);

    [Alias("Stored")]
    Task<ShutdownProbeState> Stored();
}

public sealed class ShutdownProbeGrain(
    [PersistentState("shutdown-probe", ProviderNames.GrainStorage)] IPersistentState<ShutdownProbeState> state)
    : Grain, IShutdownProbeGrain
{
    public Task Hold(string value)
    {
        state.State.Value = value;
        return Task.CompletedTask;
    }

    public Task<ShutdownProbeState> Stored() =>
        Task.FromResult(new ShutdownProbeState { Value = state.State.Value, DeactivationReason = state.State.DeactivationReason });

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.Value is not null)
        {
            state.State.DeactivationReason = reason.ReasonCode.ToString();
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
