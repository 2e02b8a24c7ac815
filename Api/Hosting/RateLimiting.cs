using System.Globalization;
using System.Threading.RateLimiting;
using Gnlc.Api.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace Gnlc.Api.Hosting;

/// <summary>Built-in ASP.NET Core rate limiting, per authenticated identity or else per client address (<see cref="CallerRateLimiter"/>).</summary>
public static class RateLimiting
{
    public const string SectionName = "RateLimiting";

    public static WebApplicationBuilder AddGnlcRateLimiting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SectionName);
        var permits = section.GetValue("PermitLimit", 600);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 10));

        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = new CallerRateLimiter(permits, window);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    .ToString(CultureInfo.InvariantCulture);
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
            };
        });
        return builder;
    }
}
