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
        Func<object, Task> apply = new ResponseHeaders(withHsts: !app.Environment.IsDevelopment()).Apply;
        return app.Use((context, next) =>
        {
            // OnStarting, not now: the exception handler clears the headers of a failed response before writing its problem.
            context.Response.OnStarting(apply, context.Response);
            return next(context);
        });
    }

    /// <summary>One callback for every response (no per-request closure or boxed state).</summary>
    private sealed class ResponseHeaders(bool withHsts)
    {
        public Task Apply(object state)
        {
            var response = (HttpResponse)state;
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
        }
    }
}
