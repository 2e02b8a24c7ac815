using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Gnlc.Api.Errors;
using Gnlc.Idempotency;
using Microsoft.Extensions.Primitives;

namespace Gnlc.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first request with a key runs; a retry of it (same caller, method,
/// path and body) within 24 hours gets the original response (status, body, <c>Location</c>, <c>ETag</c>)
/// without acting again; the key with another request is 422 <c>idempotency-key-reused</c>; a duplicate while
/// the first is still running is 409 <c>idempotency-request-in-progress</c>. Keys are scoped per caller
/// (token issuer and subject) and kept by <see cref="IIdempotencyGrain"/>, shared by every Api process.
/// </summary>
/// <remarks>
/// Only successful (2xx) responses are kept: a refusal or a failure changed nothing (the grains' rule), so
/// its key is freed and a retry runs again. Anonymous requests have no caller to scope a key to: the header
/// is ignored for them.
/// </remarks>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IClusterClient cluster, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";

    public const string ReplayedHeaderName = "Idempotency-Replayed";

    /// <summary>Anything but a POST with the header passes straight on, without an async frame of its own.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        return HttpMethods.IsPost(request.Method) && request.Headers.TryGetValue(HeaderName, out var values)
            ? KeyedPostAsync(context, values)
            : next(context);
    }

    private async Task KeyedPostAsync(HttpContext context, StringValues values)
    {
        var request = context.Request;
        var key = values.Count == 1 ? values[0] : null;
        if (!IdempotencyKeys.IsValid(key))
        {
            throw RequestProblemException.Invalid(
                HeaderName, $"{HeaderName} must be one value of 1 to {IdempotencyKeys.MaxKeyLength} visible ASCII characters.");
        }

        if (Caller(context.User) is not { } caller)
        {
            await next(context);
            return;
        }

        var body = await BufferBodyAsync(context);
        if (body is null)
        {
            // Larger than any body the API accepts: the endpoint refuses it (413), nothing to remember.
            await next(context);
            return;
        }

        var grain = cluster.GetGrain<IIdempotencyGrain>(IdempotencyKeys.For(caller, key!));
        var attempt = Guid.NewGuid();
        var claim = await grain.BeginAsync(RequestHash(request, body), attempt);
        switch (claim.Outcome)
        {
            case IdempotencyOutcome.Replay:
                await ReplayAsync(context, claim.Response!);
                return;
            case IdempotencyOutcome.KeyReused:
                throw new RequestProblemException(
                    StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused, "Idempotency key reused",
                    $"This {HeaderName} was used with another request (method, path or body); use a new key for a new request.");
            case IdempotencyOutcome.InProgress:
                throw new RequestProblemException(
                    StatusCodes.Status409Conflict, ProblemCodes.IdempotencyRequestInProgress, "Request in progress",
                    $"A request with this {HeaderName} is still being processed; retry it shortly to get its response.");
        }

        await RunAndRememberAsync(context, grain, attempt);
    }

    private async Task RunAndRememberAsync(HttpContext context, IIdempotencyGrain grain, Guid attempt)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            if (response.StatusCode is >= 200 and < 300 && buffer.Length <= IdempotencyKeys.MaxStoredBody)
            {
                var kept = new IdempotentResponse(
                    response.StatusCode, response.ContentType, response.Headers.Location.FirstOrDefault(), response.Headers.ETag.FirstOrDefault(), buffer.ToArray());
                try
                {
                    await grain.CompleteAsync(attempt, kept);
                    completed = true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The request succeeded: answer it. Only a retry of it may act again (the grains' own retries are idempotent).
                    LogNotRemembered(logger, exception, context.Request.Method, context.Request.Path);
                }
            }
        }
        finally
        {
            response.Body = original;
            if (!completed)
            {
                await AbandonQuietlyAsync(grain, attempt);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task AbandonQuietlyAsync(IIdempotencyGrain grain, Guid attempt)
    {
        try
        {
            await grain.AbandonAsync(attempt);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The in-flight lease frees the key in time.
            LogNotAbandoned(logger, exception);
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentResponse kept)
    {
        var response = context.Response;
        response.StatusCode = kept.Status;
        response.ContentType = kept.ContentType;
        if (kept.Location is not null)
        {
            response.Headers.Location = kept.Location;
        }

        if (kept.ETag is not null)
        {
            response.Headers.ETag = kept.ETag;
        }

        response.Headers[ReplayedHeaderName] = "true";
        response.ContentLength = kept.Body.Length;
        await response.Body.WriteAsync(kept.Body, context.RequestAborted);
    }

    /// <summary>The caller a key belongs to: the token's issuer and subject, or null when anonymous.</summary>
    private static string? Caller(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? (user.FindFirst("iss")?.Value ?? string.Empty) + "|" + subject
            : null;

    /// <summary>The body, buffered so that the endpoint reads it again; null when over the API's limit.</summary>
    private static async Task<byte[]?> BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > JsonBody.MaxBytes)
        {
            return null;
        }

        request.EnableBuffering(JsonBody.MaxBytes, long.MaxValue);
        using var copy = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            copy.Write(chunk, 0, read);
            if (copy.Length > JsonBody.MaxBytes)
            {
                request.Body.Position = 0;
                return null;
            }
        }

        request.Body.Position = 0;
        return copy.ToArray();
    }

    private static string RequestHash(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(request.Method + " " + request.Path.Value + request.QueryString.Value + "\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The response of {Method} {Path} was sent but not remembered for its idempotency key")]
    private static partial void LogNotRemembered(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An idempotency key could not be freed; its lease frees it")]
    private static partial void LogNotAbandoned(ILogger logger, Exception exception);
}
