using Microsoft.AspNetCore.Http.Features;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>GET /board/events: server-sent events for an open board, authorized like the board.</summary>
public static class BoardEvents
{
    /// <summary>A stream ends after this long (the browser reconnects, and the sign-in is checked again).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);

    /// <summary>A comment this often keeps proxies from closing an idle stream and finds closed ones.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(25);

    public const string ContentType = "text/event-stream";

    public static async Task Endpoint(HttpContext http, CaseChangeSignal signal)
    {
        var ct = http.RequestAborted;
        if (!signal.TryOpen())
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "60";
            return;
        }
        try
        {
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            // Reconnect after 10 s when the stream ends; the first bytes open the stream at once.
            await http.Response.WriteAsync("retry: 10000\n: open\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ct);
            lifetime.CancelAfter(MaxLifetime);
            while (!lifetime.IsCancellationRequested)
            {
                var next = signal.Next;
                var beat = Task.Delay(Heartbeat, lifetime.Token);
                if (await Task.WhenAny(next, beat) == next)
                {
                    await http.Response.WriteAsync("event: changed\ndata: \n\n", lifetime.Token);
                }
                else
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", lifetime.Token);
                }
                await http.Response.Body.FlushAsync(lifetime.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The board was closed (or the stream's time is up): nothing to answer.
        }
        catch (IOException)
        {
        }
        finally
        {
            signal.Close();
        }
    }
}
