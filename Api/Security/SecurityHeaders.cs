namespace Gnlc.Api.Security;

/// <summary>
/// Security headers on every response: no MIME sniffing, no referrer, never framed, and (outside
/// Development) HSTS so that browsers keep to HTTPS.
/// </summary>
public static class SecurityHeaders
{
    public const string HstsValue = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseGnlcSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hsts = !app.Environment.IsDevelopment();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (response, withHsts) = ((HttpResponse, bool))state;
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                // The API serves JSON; only the Development docs page (/docs) needs scripts, and it is never framed either.
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = response.HttpContext.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
                        ? "frame-ancestors 'none'"
                        : "default-src 'none'; frame-ancestors 'none'";
                }

                if (withHsts)
                {
                    headers.StrictTransportSecurity = HstsValue;
                }

                return Task.CompletedTask;
            }, (context.Response, hsts));
            return next(context);
        });
    }
}
