namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Headers that make stored text inert even if an encoding slip let markup through: scripts and
/// styles only from this site (no inline script anywhere in the pages), no framing, no MIME
/// sniffing, and no full URLs (which may hold search terms) sent to other sites.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            // A response that set its own, stricter policy keeps it (an attachment download: default-src 'none'; sandbox).
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // What a signed-in person is shown (pages with residents' names, a printout, the admin
            // API's one-time passwords and tokens) stays out of browser and proxy caches: a shared
            // office computer keeps no copy. Responses that chose their own caching keep it.
            if (http.User.Identity?.IsAuthenticated == true && string.IsNullOrEmpty(headers.CacheControl)
                && !http.Request.Path.StartsWithSegments("/assets"))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next(http);
    });
}
