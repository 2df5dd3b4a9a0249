namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Every request has an id: the caller's X-Request-Id when it is a short, plain token (a proxy or
/// an integration can follow its own id through our logs), else ASP.NET Core's trace identifier.
/// It becomes HttpContext.TraceIdentifier (so problem+json's traceId is the same id when no
/// distributed trace is active), a logging scope around everything the request logs, and the
/// X-Request-Id response header.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";
    private const int MaxLength = 64;

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Taizhang.Requests");
        return app.Use(async (http, next) =>
        {
            if (Sanitize(http.Request.Headers[Header].ToString()) is { } given)
            {
                http.TraceIdentifier = given;
            }
            var id = http.TraceIdentifier;
            // Set as the answer starts: the exception handler clears the headers of a failed response.
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[Header] = id;
                return Task.CompletedTask;
            });
            // The host's own scope holds the trace identifier it started with; this one holds the id we answer with.
            using (log.BeginScope("X-Request-Id:{XRequestId}", id))
            {
                await next(http);
            }
        });
    }

    /// <summary>Letters, digits and <c>-_.:</c>, at most 64: nothing that could forge a log line or a header.</summary>
    public static string? Sanitize(string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? value
            : null;
}
