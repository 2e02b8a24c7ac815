namespace Gnlc.Api.Security;

/// <summary>
/// CORS for the browser front ends listed in <c>Cors:AllowedOrigins</c> (an array of origins such as
/// <c>https://gnlc.example.org</c>). None configured: no CORS headers at all, browsers refuse cross-origin calls.
/// </summary>
public static class CorsSetup
{
    public const string SectionName = "Cors";

    public const string PolicyName = "gnlc-front-ends";

    public static WebApplicationBuilder AddGnlcCors(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var origins = AllowedOrigins(builder.Configuration);
        if (origins.Length == 0)
        {
            return builder;
        }

        builder.Services.AddCors(options => options.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key", "Last-Event-ID")
            .WithExposedHeaders("Location", "ETag", "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }

    public static IApplicationBuilder UseGnlcCors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return AllowedOrigins(app.Configuration).Length == 0 ? app : app.UseCors(PolicyName);
    }

    /// <summary>The configured origins, trimmed, without a trailing slash, blanks dropped.</summary>
    public static string[] AllowedOrigins(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName + ":AllowedOrigins").Get<string[]>()?
            .Select(o => o.Trim().TrimEnd('/'))
            .Where(o => o.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray() ?? [];
    }
}
