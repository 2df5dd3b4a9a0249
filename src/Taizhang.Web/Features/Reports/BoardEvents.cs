using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// GET /board/events: server-sent events for an open board, authorized like the board. A board hears
/// "changed" only when cases of a town in its reader's scope changed (<see cref="CaseChangeSignal.Change"/>).
/// </summary>
public static class BoardEvents
{
    /// <summary>A stream ends after this long (the browser reconnects, and the sign-in is checked again).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);

    /// <summary>A comment this often keeps proxies from closing an idle stream and finds closed ones.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(25);

    public const string ContentType = "text/event-stream";

    /// <summary>Streams one account may hold open at once (a few boards in tabs): nobody can take every slot.</summary>
    public const int PerAccount = 4;

    private static readonly ConcurrentDictionary<string, int> OpenByAccount = new(StringComparer.Ordinal);

    public static async Task Endpoint(HttpContext http, CaseChangeSignal signal, Accounts.CurrentUser user)
    {
        var ct = http.RequestAborted;
        // The towns the reader's cases can be in (null: unbounded, e.g. a county-level partner unit).
        var towns = (await user.AccessAsync(ct)).TownIds;
        var account = http.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? http.User.Identity?.Name ?? "";
        if (OpenByAccount.AddOrUpdate(account, 1, (_, n) => n + 1) > PerAccount)
        {
            Release(account);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = "60";
            return;
        }
        if (!signal.TryOpen())
        {
            Release(account);
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
            // The heartbeat runs on its own clock: changes elsewhere (other towns) do not put it off.
            var beat = Task.Delay(Heartbeat, lifetime.Token);
            while (!lifetime.IsCancellationRequested)
            {
                var next = signal.Next;
                if (await Task.WhenAny(next, beat) == next)
                {
                    if (!(await next).Concerns(towns))
                    {
                        continue;
                    }
                    if (!await StillSignedInAsync(http, lifetime.Token))
                    {
                        break;
                    }
                    await http.Response.WriteAsync("event: changed\ndata: \n\n", lifetime.Token);
                }
                else
                {
                    await beat;
                    beat = Task.Delay(Heartbeat, lifetime.Token);
                    if (!await StillSignedInAsync(http, lifetime.Token))
                    {
                        break;
                    }
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
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The sign-in could not be checked (the database is briefly away): the stream ends; the browser reconnects.
        }
        finally
        {
            signal.Close();
            Release(account);
        }
    }

    /// <summary>
    /// The stream's sign-in is still good (checked as every request's cookie is: the account's security stamp, which a
    /// sign-out, a password change or disabling changes, and the absolute lifetime). Checked before each event and each
    /// heartbeat: a board left open after its person signed out (or was disabled) stops within one heartbeat, not at the
    /// stream's end. The browser's reconnect then meets the sign-in like any request.
    /// </summary>
    private static async Task<bool> StillSignedInAsync(HttpContext http, CancellationToken ct)
    {
        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var services = scope.ServiceProvider;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        return Accounts.AccountsSetup.WithinLifetime(http.User, now, Accounts.AccountsSetup.AbsoluteSession(services.GetRequiredService<IConfiguration>()))
            && await Accounts.CurrentUser.LoadAccountAsync(services.GetRequiredService<Data.TaizhangDb>(), http.User, ct) is not null;
    }

    private static void Release(string account)
    {
        if (OpenByAccount.AddOrUpdate(account, 0, (_, n) => n - 1) <= 0)
        {
            OpenByAccount.TryRemove(new KeyValuePair<string, int>(account, 0));
        }
    }
}
