namespace Gnlc.Idempotency;

/// <summary>Persisted state of an idempotency key (schema v1): the completed request and its response.</summary>
[GenerateSerializer, Alias("gnlc.IdempotencyState.v1")]
public sealed record IdempotencyState
{
    public const int CurrentSchema = 1;

    [Id(0)] public int SchemaVersion { get; init; } = CurrentSchema;
    [Id(1)] public string? RequestHash { get; init; }
    [Id(2)] public DateTimeOffset CompletedAt { get; init; }
    [Id(3)] public IdempotentResponse? Response { get; init; }
}
