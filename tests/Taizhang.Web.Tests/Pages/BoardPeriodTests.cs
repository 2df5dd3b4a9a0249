using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 一览清 over periods: this month, last month (as of its end) and this year, each beside the period
/// before; a 12-month sparkline per rate; the suspended and supervised lists; and /board/events,
/// which says "changed" (nothing else) when a case is registered.
/// </summary>
public abstract partial class BoardPeriodTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        // Last year: one case, handled.
        app.Clock.SetUtcNow(new DateTimeOffset(2025, 12, 10, 2, 0, 0, TimeSpan.Zero));
        await HandledAsync("去年：路面坑洼");
        // October: two cases, one handled in October, the other only in November.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 10, 2, 0, 0, TimeSpan.Zero));
        await HandledAsync("十月：路灯不亮");
        var late = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月：十一月才办结"));
        await _town.DoAsync(late, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        // November: four cases, three handled; one suspended, one under yellow-card supervision.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero));
        await _town.DoAsync(late, "resolve", new { outcome = "Solved", result = "已处理" });
        for (var i = 1; i <= 3; i++)
        {
            await HandledAsync($"十一月：已办结 {i}");
        }
        var suspended = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十一月：等法院判决"));
        var supervised = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十一月：黄牌督办"));
        await _town.DoAsync(suspended, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        // The deadline actions' routes belong to another part of the issue: the state is set as they leave it.
        await app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            await db.Cases.Where(c => c.Id == suspended).ExecuteUpdateAsync(s => s.SetProperty(c => c.SuspendedAt, now));
            await db.Cases.Where(c => c.Id == supervised).ExecuteUpdateAsync(s => s.SetProperty(c => c.SupervisionLevel, SupervisionLevel.Yellow));
            return 0;
        });
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    private async Task HandledAsync(string title)
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: title));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ThisMonth_IsTheDefault_WithLastMonthAsOfItsEndBesideIt()
    {
        var (status, html) = await _town.GetHtmlAsync("/board");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-period=\"month\"", html);
        Assert.Contains("本月指标（2026-11-01 至 2026-11-26", html);
        var handling = Rate(html, "handling");
        Assert.Equal("60.0%", handling.Shown); // 3 of the 5 November cases (none rejected)
        Assert.Equal((3, 5), (handling.Numerator, handling.Denominator));
        Assert.StartsWith("/cases?", handling.NumeratorLink);
        // October as of its end: one of two handled, though the other was handled since.
        Assert.Equal("上月 50.0%", handling.Previous);
        Assert.Contains("aria-current=\"page\">本月</a>", html);
    }

    [Fact]
    public async Task LastMonth_IsAsOfItsEnd_AndLinksToThoseCasesThen()
    {
        var (_, html) = await _town.GetHtmlAsync("/board?period=last-month");
        Assert.Contains("data-period=\"last-month\"", html);
        Assert.Contains("上月指标（2026-10-01 至 2026-10-31", html);
        var handling = Rate(html, "handling");
        Assert.Equal("50.0%", handling.Shown);
        Assert.Equal((1, 2), (handling.Numerator, handling.Denominator));
        Assert.Equal("/reports/cases?period=last-month&figure=handled", handling.NumeratorLink);
        Assert.Equal("/reports/cases?period=last-month&figure=accepted", handling.DenominatorLink);
        Assert.Equal("前月 —", handling.Previous); // nothing registered in September
        // The stages and the lists below are today's, and say so (this month's board needs no such note).
        Assert.Equal(5, Regex.Matches(html, "data-now=\"true\">（当前）").Count);
        Assert.Contains("事项所处阶段<span class=\"now-note\" data-now=\"true\">（当前）</span>", html);
        var (_, month) = await _town.GetHtmlAsync("/board");
        Assert.DoesNotContain("data-now=\"true\"", month);
    }

    [Fact]
    public async Task ThisYear_StandsBesideLastYear()
    {
        var (_, html) = await _town.GetHtmlAsync("/board?period=year");
        Assert.Contains("今年指标（2026-01-01 至 2026-11-26", html);
        var handling = Rate(html, "handling");
        // This year runs: as of now, both October cases are handled, and three of the five November ones.
        Assert.Equal((5, 7), (handling.Numerator, handling.Denominator));
        Assert.Equal("71.4%", handling.Shown);
        Assert.Equal("去年 100.0%", handling.Previous);
        // An unknown period is this month, not an error.
        var (status, other) = await _town.GetHtmlAsync("/board?period=%3Cscript%3E");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-period=\"month\"", other);
    }

    [Fact]
    public async Task EachRate_HasATwelveMonthSparkline_WithItsValuesInItsTitle()
    {
        var (_, html) = await _town.GetHtmlAsync("/board");
        var svgs = Sparkline().Matches(html).ToList();
        Assert.Equal(5, svgs.Count);
        var handling = svgs.Single(m => m.Groups["key"].Value == "handling");
        Assert.Equal("12", handling.Groups["points"].Value);
        var title = WebUtility.HtmlDecode(handling.Groups["title"].Value);
        Assert.StartsWith("近 12 个月办理率：2025-12 100.0%；2026-01 —；", title);
        // November is the running month: said so, joined by a dashed segment and drawn open (a few weeks' rate is not a month's).
        Assert.EndsWith("2026-10 50.0%；2026-11（至今）60.0%", title);
        // A circle per month with a value: December, October and November.
        Assert.Equal(3, Regex.Matches(handling.Value, "<circle ").Count);
        Assert.Single(Regex.Matches(handling.Value, "<circle [^>]*data-running=\"true\" data-month=\"2026-11\""));
        Assert.Single(Regex.Matches(handling.Value, "<line class=\"running\"[^>]*stroke-dasharray"));
        // The finished months' line ends at October: no solid segment reaches the running month.
        Assert.DoesNotContain("<polyline", handling.Value);
    }

    [Fact]
    public async Task SuspendedAndSupervisedCases_AreListed()
    {
        var (_, html) = await _town.GetHtmlAsync("/board");
        var suspended = Section(html, "suspended");
        Assert.Contains("十一月：等法院判决", suspended);
        Assert.Contains("/cases?suspended=true", suspended);
        var supervised = Section(html, "supervised");
        Assert.Contains("十一月：黄牌督办", supervised);
        Assert.Contains("data-flag=\"supervised\" data-level=\"Yellow\"", supervised);
        Assert.Contains("data-flag=\"suspended\"", suspended);
        Assert.DoesNotContain("十一月：等法院判决", supervised);
        Assert.DoesNotContain("十一月：等法院判决", Section(html, "overdue"));
    }

    [Fact]
    public async Task AnotherVillagesCadre_SeesNoneOfIt_InAnyPeriod()
    {
        var cadre = app.SharedClientAs("cadre-wjc");
        foreach (var period in new[] { "", "?period=last-month", "?period=year" })
        {
            var (_, html) = await cadre.GetHtmlAsync("/board" + period);
            var handling = Rate(html, "handling");
            Assert.Equal((0, 0), (handling.Numerator, handling.Denominator));
            Assert.EndsWith(" —", handling.Previous);
            Assert.DoesNotContain("十一月：", html);
        }
    }

    [Fact]
    public async Task Events_StreamAsServerSentEvents_SayChangedWhenACaseIsRegistered_AndCloseWhenTheBoardGoes()
    {
        var signal = app.Services.GetRequiredService<CaseChangeSignal>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/board/events");
        var response = await _town.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var received = new StringBuilder();
        async Task ReadUntilAsync(string text)
        {
            var buffer = new byte[256];
            while (!received.ToString().Contains(text, StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, cancel.Token);
                Assert.True(n > 0, "the stream ended");
                received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        await ReadUntilAsync(": open");
        Assert.True(signal.OpenStreams >= 1);

        // Registered long ago, so that no figure above moves: a registration (the intake writer's inserts) …
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 6, 10, 2, 0, 0, TimeSpan.Zero));
        try
        {
            var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "事件：新登记"));
            await ReadUntilAsync("event: changed\n");
            // Only the word: no case, no count, no scope.
            Assert.Matches("^retry: 10000\n: open\n\n(: keep-alive\n\n)*event: changed\n", received.ToString());
            Assert.DoesNotContain("事件", received.ToString());
            Assert.DoesNotContain(id.ToString(System.Globalization.CultureInfo.InvariantCulture), received.ToString().Replace("retry: 10000", "", StringComparison.Ordinal));
            // … and a change saved through SaveChanges (the interceptor) each wake the board.
            received.Clear();
            await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await ReadUntilAsync("event: changed\n");
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }

        // The board goes: the server ends the stream and frees its slot.
        var before = signal.OpenStreams;
        response.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (signal.OpenStreams >= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(signal.OpenStreams < before, "the stream was not closed");
    }

    [Fact]
    public async Task Events_AreHeardOnlyByBoardsWhoseScopeHoldsTheTownThatChanged()
    {
        // A second town with its own clerk (made through the admin API, as a county administrator would).
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var otherTown = "E" + suffix;
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = otherTown, name = "金山镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = otherTown + "-V", name = "南村", kind = "Village", parent = otherTown })).StatusCode);
        var clerkName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = clerkName, displayName = "金山镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = otherTown } },
        })).StatusCode);
        var otherClerk = await app.SignInClientAsync(clerkName, TaizhangApp.Password);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var townStream = await ListenAsync(_town, cancel.Token);
        var countyStream = await ListenAsync(county, cancel.Token);
        // Changes made before (this class's other tests, the set-up above) may still be waiting out the debounce
        // interval: let them go by, then listen afresh.
        var signal = app.Services.GetRequiredService<CaseChangeSignal>();
        await Task.Delay(signal.Interval + TimeSpan.FromSeconds(1));
        townStream.Clear();
        countyStream.Clear();
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 6, 11, 2, 0, 0, TimeSpan.Zero));
        try
        {
            // The other town registers: the county's board hears it, the first town's does not.
            await otherClerk.RegisterIdAsync(CaseApi.NewCase(title: "别镇的事", orgUnit: otherTown + "-V"));
            await countyStream.UntilAsync("event: changed\n");
            await Task.Delay(500);
            Assert.DoesNotContain("event: changed", townStream.Text);

            // Its own town registers: now it does (and the county's again).
            countyStream.Clear();
            await _town.RegisterIdAsync(CaseApi.NewCase(title: "本镇的事"));
            await townStream.UntilAsync("event: changed\n");
            await countyStream.UntilAsync("event: changed\n");
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
            cancel.Cancel();
        }
    }

    /// <summary>An open /board/events stream read in the background.</summary>
    private sealed class Listener(HttpResponseMessage response)
    {
        private readonly StringBuilder _text = new();

        public HttpResponseMessage Response { get; } = response;

        /// <summary>The background read: done when the stream has ended.</summary>
        public Task ReadTask { get; set; } = Task.CompletedTask;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Clear()
        {
            lock (_text)
            {
                _text.Clear();
            }
        }

        public async Task ReadAsync(CancellationToken ct)
        {
            try
            {
                var stream = await Response.Content.ReadAsStreamAsync(ct);
                var buffer = new byte[256];
                int n;
                while ((n = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    lock (_text)
                    {
                        _text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
            }
        }

        public async Task UntilAsync(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Text.Contains(text, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"not heard: {text.Trim()}; heard: {Text}");
                await Task.Delay(50);
            }
        }
    }

    private static async Task<Listener> ListenAsync(HttpClient client, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/board/events");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listener = new Listener(response);
        listener.ReadTask = listener.ReadAsync(ct);
        await listener.UntilAsync(": open");
        return listener;
    }

    [Fact]
    public async Task Events_EndWhenTheirPersonSignsOut_WithoutAnotherWord()
    {
        // A clerk of the town of their own (signing out ends every session of the account).
        var clerk = app.ClientAs("看板退出测试-" + Guid.NewGuid().ToString("N")[..6]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stream = await ListenAsync(clerk, cancel.Token);
        var signal = app.Services.GetRequiredService<CaseChangeSignal>();
        await Task.Delay(signal.Interval + TimeSpan.FromSeconds(1));
        stream.Clear();

        using (var signOut = await clerk.DeleteAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 6, 12, 2, 0, 0, TimeSpan.Zero));
        try
        {
            // A case of the clerk's town changes: the stream ends instead of saying so.
            await _town.RegisterIdAsync(CaseApi.NewCase(title: "退出后的登记"));
            var reading = stream.ReadTask;
            Assert.Same(reading, await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(20))));
            Assert.DoesNotContain("event: changed", stream.Text);
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
            cancel.Cancel();
        }
    }

    [Fact]
    public async Task Events_AreForSignedInPeopleOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/board/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await app.AnonymousClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record RateShown(string Shown, int Numerator, int Denominator, string NumeratorLink, string DenominatorLink, string Previous);

    private static RateShown Rate(string html, string key)
    {
        var m = RateFigure().Matches(html).Single(x => x.Groups["key"].Value == key);
        return new RateShown(m.Groups["shown"].Value, int.Parse(m.Groups["num"].Value), int.Parse(m.Groups["den"].Value),
            WebUtility.HtmlDecode(m.Groups["numHref"].Value), WebUtility.HtmlDecode(m.Groups["denHref"].Value), WebUtility.HtmlDecode(m.Groups["prev"].Value));
    }

    private static string Section(string html, string list)
    {
        var start = html.IndexOf($"data-list=\"{list}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {list} list");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [GeneratedRegex("""data-rate="(?<key>[^"]+)">\s*<div>[^<]*</div>\s*<div class="n">(?<shown>[^<]*)</div>\s*<div>\s*<a href="(?<numHref>[^"]*)" data-part="numerator">(?<num>\d+)</a> / <a href="(?<denHref>[^"]*)" data-part="denominator">(?<den>\d+)</a>\s*</div>\s*<div class="prev"[^>]*>(?<prev>[^<]*)</div>""")]
    private static partial Regex RateFigure();

    [GeneratedRegex("""<svg class="sparkline"[^>]*data-points="(?<points>\d+)"><title id="trend-(?<key>[^"]+)">(?<title>[^<]*)</title>.*?</svg>""", RegexOptions.Singleline)]
    private static partial Regex Sparkline();
}

public sealed class BoardPeriodTests_Sqlite(SqliteApp app) : BoardPeriodTests(app), IClassFixture<SqliteApp>;

public sealed class BoardPeriodTests_Postgres(PostgresApp app) : BoardPeriodTests(app), IClassFixture<PostgresApp>;
