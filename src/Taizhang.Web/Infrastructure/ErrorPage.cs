using System.Net;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// What a person's browser gets instead of problem+json when a page fails (a case that does not
/// exist for them, a post that may not act, a bug): the same localized message on a page with a
/// way back. The API, OpenAPI, health and assets always answer problem+json.
/// </summary>
public static class ErrorPage
{
    public static bool WantsHtml(HttpContext http)
    {
        var path = http.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/assets"))
        {
            return false;
        }
        return http.Request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task WriteAsync(HttpContext http, string message)
    {
        var texts = http.RequestServices.GetRequiredService<Texts>();
        var assets = http.RequestServices.GetRequiredService<Assets>();
        static string E(string s) => WebUtility.HtmlEncode(s);
        http.Response.ContentType = "text/html; charset=utf-8";
        var status = http.Response.StatusCode;
        await http.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="{{E(Texts.CurrentCulture)}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(texts["app.name"])}} · {{status}}</title>
            <link rel="stylesheet" href="{{E(assets.Url("site.css"))}}"></head>
            <body><header class="top"><a class="brand" href="/">{{E(texts["app.name"])}}</a></header>
            <main><div class="card" role="alert"><h1>{{E(message)}}</h1>
            <p class="muted">HTTP {{status}}</p>
            <p><a href="/">{{E(texts["error.home"])}}</a></p></div></main></body></html>
            """, http.RequestAborted);
    }

    /// <summary>Status code pages: a page for browsers on pages, problem+json for everything else.</summary>
    public static async Task StatusCodePageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (_, titleKey) = StatusProblems.For(http.Response.StatusCode);
        if (WantsHtml(http))
        {
            await WriteAsync(http, http.RequestServices.GetRequiredService<Texts>()[titleKey]);
            return;
        }
        var problems = http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = http.Response.StatusCode },
        });
    }
}
