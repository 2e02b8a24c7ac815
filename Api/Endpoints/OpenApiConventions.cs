using Gnlc.Api.Http;

namespace Gnlc.Api.Endpoints;

/// <summary>The problem responses every route shares, declared once so the OpenAPI document lists them.</summary>
public static class OpenApiConventions
{
    /// <summary>A public route: invalid parameters (400) and the rate limit (429).</summary>
    public static RouteHandlerBuilder ProducesRequestProblems(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>A route that needs a caller: as <see cref="ProducesRequestProblems"/>, plus 401, 403 and the given statuses.</summary>
    public static RouteHandlerBuilder ProducesDomainProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(statuses);
        builder.ProducesRequestProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>A JSON request body: its schema, and the 413 and 415 refusals of <see cref="JsonBody"/>.</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .Accepts<TRequest>(JsonBody.MediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }
}
