using Gnlc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gnlc.Idempotency;

/// <summary>
/// An idempotency key: completed responses are persisted (so every Api process and every restart sees
/// them) and expire lazily <see cref="IdempotencyKeys.Lifetime"/> after completion, by the domain clock; the
/// request in flight is held in memory only, with a lease, so a crashed caller never blocks its key for good.
/// </summary>
[GrainType("gnlc-idempotency")]
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", ProviderNames.GrainStorage)] IPersistentState<IdempotencyState> store,
    [FromKeyedServices(GnlcClock.ServiceKey)] TimeProvider time)
    : Grain, IIdempotencyGrain
{
    private InFlight? _inFlight;

    public async Task<IdempotencyClaim> BeginAsync(string requestHash, Guid attempt)
    {
        ArgumentNullException.ThrowIfNull(requestHash);
        var now = time.GetUtcNow();
        await ExpireAsync(now);
        if (store.State.Response is { } response)
        {
            return store.State.RequestHash == requestHash
                ? new IdempotencyClaim(IdempotencyOutcome.Replay, response)
                : new IdempotencyClaim(IdempotencyOutcome.KeyReused);
        }

        if (_inFlight is { } running && running.Attempt != attempt && now - running.Since < IdempotencyKeys.InFlightLease)
        {
            return new IdempotencyClaim(running.RequestHash == requestHash ? IdempotencyOutcome.InProgress : IdempotencyOutcome.KeyReused);
        }

        _inFlight = new InFlight(attempt, requestHash, now);
        return new IdempotencyClaim(IdempotencyOutcome.Started);
    }

    public async Task CompleteAsync(Guid attempt, IdempotentResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (_inFlight is not { } running || running.Attempt != attempt)
        {
            // The lease ran out and another attempt holds the key (or it was already completed): keep the first answer.
            return;
        }

        store.State = new IdempotencyState { RequestHash = running.RequestHash, CompletedAt = time.GetUtcNow(), Response = response };
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            store.State = new IdempotencyState();
            throw;
        }
        finally
        {
            _inFlight = null;
        }
    }

    public Task AbandonAsync(Guid attempt)
    {
        if (_inFlight?.Attempt == attempt)
        {
            _inFlight = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>A completed key older than its lifetime is forgotten: the key is free again.</summary>
    private async Task ExpireAsync(DateTimeOffset now)
    {
        if (store.State.Response is null || now - store.State.CompletedAt < IdempotencyKeys.Lifetime)
        {
            return;
        }

        await store.ClearStateAsync();
        store.State = new IdempotencyState();
    }

    private sealed record InFlight(Guid Attempt, string RequestHash, DateTimeOffset Since);
}
