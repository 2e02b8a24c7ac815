using System.Text.RegularExpressions;
using Gnlc.Errors;
using Microsoft.AspNetCore.Diagnostics;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Gnlc.Api.Errors;

/// <summary>RFC 9457 problem details for every error, each with a stable <c>code</c>.</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddGnlcProblemDetails(this IServiceCollection services)
    {
        // Registered before AddProblemDetails so that it is the writer chosen: it writes JSON whatever the
        // client's Accept header says (a problem the default writer declines would surface as a 500).
        services.AddSingleton<IProblemDetailsWriter, GnlcProblemDetailsWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<GnlcExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Status code pages (a problem for an error status without a body), except for routes marked
    /// <see cref="SkipStatusCodePagesAttribute"/>, which the standard middleware would only disable itself for after a
    /// feature and an async frame of its own on every request. A route is marked only where every answer has a body.
    /// </summary>
    public static IApplicationBuilder UseGnlcStatusCodePages(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseWhen(
            static context => context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.ISkipStatusCodePagesMetadata>() is null,
            branch => branch.UseStatusCodePages());
    }
}

/// <summary>
/// The one place that shapes a problem: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// <c>code</c> (and <c>traceId</c>), as <c>application/problem+json</c>.
/// </summary>
internal sealed class GnlcProblemDetailsWriter(IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        Complete(problem, http);
        return new ValueTask(http.Response.WriteAsJsonAsync(
            problem, problem.GetType(), jsonOptions.Value.SerializerOptions, ContentType, http.RequestAborted));
    }

    public static void Complete(ProblemDetails problem, HttpContext http)
    {
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        problem.Type ??= TypeFor(status);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
        problem.Detail ??= problem.Title;
        problem.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
        var traceId = System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;
        problem.Extensions.TryAdd("traceId", traceId);
    }

    /// <summary>The RFC section that defines the status, as ASP.NET Core's defaults do (plus 413 and 429).</summary>
    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        406 => "https://tools.ietf.org/html/rfc9110#section-15.5.7",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}

/// <summary>Maps what escaped an endpoint to a problem: client faults to 4xx, the rest to a logged 500.</summary>
internal sealed partial class GnlcExceptionHandler(IProblemDetailsService problems, ILogger<GnlcExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ProblemFor(exception);
        var status = problem.Status!.Value;
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // A transient outage (silo lost, database unreachable): nothing was acknowledged, the client may retry.
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    private static ProblemDetails ProblemFor(Exception exception)
    {
        var (status, code, title, detail, errors) = Classify(exception);
        ProblemDetails problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    private static (int Status, string Code, string Title, string Detail, IDictionary<string, string[]>? Errors) Classify(Exception exception) =>
        exception switch
        {
            DomainException domain => (StatusFor(domain.Kind), domain.Code, TitleFor(domain.Kind), domain.Message, null),
            RequestProblemException request => (request.Status, request.Code, request.Title, request.Message, request.Errors),
            BadHttpRequestException { StatusCode: 413 } => (413, ProblemCodes.PayloadTooLarge, "Request body too large", exception.Message, null),
            BadHttpRequestException { StatusCode: 415 } => (415, ProblemCodes.UnsupportedMediaType, "Unsupported media type", exception.Message, null),
            BadHttpRequestException { StatusCode: 400 } bad => (400, ProblemCodes.InvalidRequest, "Invalid request", bad.Message, ErrorsOf(bad)),
            BadHttpRequestException bad when bad.StatusCode is >= 400 and < 500 =>
                (bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "Bad request", bad.Message, null),
            _ when TransientFaults.IsTransient(exception) => (503, ProblemCodes.Unavailable, "Service unavailable",
                "The cluster or its database is unavailable right now; nothing was changed. Retry later.", null),
            _ => (500, ProblemCodes.Internal, "Internal server error", "The server could not complete the request.", null),
        };

    private const string RetryAfterSeconds = "2";


    /// <summary>A parameter that failed to bind (query string, route) named as a validation error.</summary>
    private static Dictionary<string, string[]> ErrorsOf(BadHttpRequestException exception)
    {
        var match = BoundParameter().Match(exception.Message);
        var field = match.Success ? match.Groups["name"].Value : "request";
        return new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [exception.Message] };
    }

    /// <summary>A grain's refusal keeps its stable code; its kind decides the status (API.md "Errors").</summary>
    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status409Conflict,
    };

    private static string TitleFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "Invalid request",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Forbidden => "Forbidden",
        _ => "Refused by a domain rule",
    };

    // ASP.NET Core's binding failures read: Failed to bind parameter "int? page" from "abc".
    [GeneratedRegex("""parameter "[^"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)"(?: from|\s|$)""", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BoundParameter();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
