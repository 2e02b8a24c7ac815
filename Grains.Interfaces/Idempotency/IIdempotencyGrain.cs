using System.Security.Cryptography;
using System.Text;

namespace Gnlc.Idempotency;

/// <summary>
/// One <c>Idempotency-Key</c> of one caller (key <see cref="IdempotencyKeys.For"/>): the first request that
/// uses it runs, and its successful response is kept for <see cref="IdempotencyKeys.Lifetime"/>, so a client
/// that retries after a timeout gets the original answer instead of acting twice. One activation in the
/// cluster, so the key is shared by every Api process and survives restarts.
/// </summary>
[Alias("gnlc.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the key for the request with <paramref name="requestHash"/> (attempt <paramref name="attempt"/>),
    /// or tells why it cannot run: the response to replay, another body under the same key, or the same
    /// request still in flight.
    /// </summary>
    [Alias("begin")]
    Task<IdempotencyClaim> BeginAsync(string requestHash, Guid attempt);

    /// <summary>Keeps the response of the attempt that holds the key, for replay until the key expires.</summary>
    [Alias("complete")]
    Task CompleteAsync(Guid attempt, IdempotentResponse response);

    /// <summary>Frees the key: the attempt changed nothing (it failed or was refused), a retry may run again.</summary>
    [Alias("abandon")]
    Task AbandonAsync(Guid attempt);
}

/// <summary>What <see cref="IIdempotencyGrain.BeginAsync"/> decided.</summary>
[GenerateSerializer, Alias("gnlc.IdempotencyOutcome")]
public enum IdempotencyOutcome
{
    /// <summary>The key is this attempt's: run the request, then complete or abandon.</summary>
    Started,

    /// <summary>The same request already succeeded: replay <see cref="IdempotencyClaim.Response"/>.</summary>
    Replay,

    /// <summary>The key was used with another request (method, path or body): 422.</summary>
    KeyReused,

    /// <summary>The same request is still running in another call: 409.</summary>
    InProgress,
}

[GenerateSerializer, Alias("gnlc.IdempotencyClaim")]
public sealed record IdempotencyClaim(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] IdempotentResponse? Response = null);

/// <summary>The response kept for replay: status, the headers that matter to a client, and the body.</summary>
[GenerateSerializer, Alias("gnlc.IdempotentResponse")]
public sealed record IdempotentResponse(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] string? Location,
    [property: Id(3)] string? ETag,
    [property: Id(4)] byte[] Body);

/// <summary>Grain keys and limits of idempotency keys.</summary>
public static class IdempotencyKeys
{
    /// <summary>How long a completed key replays its response.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a claimed key waits for its attempt to finish before another attempt may take it.</summary>
    public static readonly TimeSpan InFlightLease = TimeSpan.FromMinutes(2);

    /// <summary>Longest accepted header value.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Largest response body kept for replay.</summary>
    public const int MaxStoredBody = 1024 * 1024;

    /// <summary>
    /// The grain key of <paramref name="key"/> as sent by <paramref name="caller"/> (issuer and subject): a
    /// hash, so any header value makes a fixed-size key, prefixed so that it never parses as hexadecimal.
    /// </summary>
    public static string For(string caller, string key)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(caller + "\n" + key));
        return "idem-" + Convert.ToHexStringLower(hash);
    }

    /// <summary>True when <paramref name="key"/> is 1–255 visible ASCII characters.</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= '!' and <= '~');
}
