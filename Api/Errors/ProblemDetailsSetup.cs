using Gnlc.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace Gnlc.Api.Errors;

/// <summary>RFC 9457 problem details for every error, each with a stable <c>code</c>.</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddGnlcProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
            problem.Detail ??= problem.Title;
            // ASP.NET Core adds "traceId" (the request's activity id) to every problem by itself.
        });
        services.AddExceptionHandler<GnlcExceptionHandler>();
        return services;
    }
}

/// <summary>Maps what escaped an endpoint to a problem: client faults to 4xx, the rest to a logged 500.</summary>
internal sealed partial class GnlcExceptionHandler(IProblemDetailsService problems, ILogger<GnlcExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title) = Classify(exception);
        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = status >= 500 ? "The server could not complete the request." : exception.Message,
                Extensions = { ["code"] = code },
            },
        });
    }

    private static (int Status, string Code, string Title) Classify(Exception exception) => exception switch
    {
        DomainException domain => (StatusFor(domain.Kind), domain.Code, TitleFor(domain.Kind)),
        BadHttpRequestException { StatusCode: 413 } => (413, ProblemCodes.PayloadTooLarge, "Request body too large"),
        BadHttpRequestException { StatusCode: 415 } => (415, ProblemCodes.UnsupportedMediaType, "Unsupported media type"),
        BadHttpRequestException bad => (bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "Bad request"),
        System.Text.Json.JsonException => (400, ProblemCodes.InvalidRequest, "Malformed JSON"),
        _ => (500, ProblemCodes.Internal, "Internal server error"),
    };

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
