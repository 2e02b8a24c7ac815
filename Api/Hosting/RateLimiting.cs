using System.Globalization;
using System.Threading.RateLimiting;
using Gnlc.Api.Errors;

namespace Gnlc.Api.Hosting;

/// <summary>
/// Rate limiting per authenticated identity or else per client address (<see cref="CallerRateLimiter"/>): a refused
/// request is 429 <c>rate-limited</c> with <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// A middleware of its own rather than ASP.NET Core's <c>UseRateLimiter</c>: that one also asks an endpoint limiter on
/// every request (a partitioned limiter behind one global lock, though no endpoint has a policy), records its own
/// metrics and keeps an async frame open for the whole request; together about 4% of the city GET's CPU samples. The
/// limits are the same standard fixed-window limiters.
/// </remarks>
public static class RateLimiting
{
    public const string SectionName = "RateLimiting";

    public static WebApplicationBuilder AddGnlcRateLimiting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SectionName);
        var permits = section.GetValue("PermitLimit", 600);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 10));
        // A factory, so that the container disposes it (and its replenishing timer) with the application.
        builder.Services.AddSingleton(_ => new CallerRateLimiting(new CallerRateLimiter(permits, window), window));
        return builder;
    }

    /// <summary>Place it after authentication: a token's subject has a budget of its own.</summary>
    public static IApplicationBuilder UseGnlcRateLimiting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var limiting = app.ApplicationServices.GetRequiredService<CallerRateLimiting>();
        return app.Use(next => context => limiting.InvokeAsync(context, next));
    }
}

/// <summary>The middleware of <see cref="RateLimiting"/>.</summary>
public sealed class CallerRateLimiting(CallerRateLimiter limiter, TimeSpan window) : IDisposable
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // A fixed window counts a permit when it is acquired and takes nothing back when its lease is disposed, so the
        // lease need not be held for the request (no async frame on the way through).
        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return next(context);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        return RejectAsync(context, retryAfter);
    }

    public void Dispose() => limiter.Dispose();

    private static async Task RejectAsync(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "The rate limit was exceeded; retry after the time in Retry-After.",
                Extensions = { ["code"] = ProblemCodes.RateLimited },
            },
        });
    }
}
