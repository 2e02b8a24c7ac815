namespace Gnlc.Api.Errors;

/// <summary>Stable, machine-readable <c>code</c> values of problem responses that are not domain refusals.</summary>
public static class ProblemCodes
{
    public const string InvalidRequest = "invalid-request";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string PreconditionFailed = "precondition-failed";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string RateLimited = "rate-limited";
    public const string Unavailable = "service-unavailable";
    public const string Internal = "internal-error";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const string IdempotencyRequestInProgress = "idempotency-request-in-progress";

    /// <summary>The code a bare status answers with when nothing more specific was set.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Unavailable,
        _ when status >= 500 => Internal,
        _ => InvalidRequest,
    };
}
