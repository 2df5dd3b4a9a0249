using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Features.Reports.Snapshots;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// 月报封存: a town's closed month frozen with its figures and the hash of the events behind them;
/// verify holds while later changes leave the month alone and fails when its events or the stored
/// row are altered. Each test works in a month of its own (the app is shared by the class).
/// </summary>
public abstract class ReportSnapshotTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");

    /// <summary>Four cases registered on the 10th of <paramref name="month"/> (2026): one solved and rated, one rejected, one started, one waiting.</summary>
    private async Task<(long Solved, long Rejected, long Started, long Waiting)> SeedMonthAsync(int month)
    {
        try
        {
            app.Clock.SetUtcNow(new DateTimeOffset(2026, month, 10, 2, 0, 0, TimeSpan.Zero));
            var solved = await Town.RegisterIdAsync(CaseApi.NewCase(title: "路灯不亮", orgUnit: "SCH-MJC"));
            var rejected = await Town.RegisterIdAsync(CaseApi.NewCase(title: "不属于受理范围", orgUnit: "SCH-WJC"));
            var started = await Town.RegisterIdAsync(CaseApi.NewCase(title: "一组水渠堵塞", orgUnit: "SCH-MJC-1"));
            var waiting = await Town.RegisterIdAsync(CaseApi.NewCase(title: "集镇垃圾", orgUnit: "SCH"));
            foreach (var id in new[] { solved, started })
            {
                await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
                await Town.DoAsync(id, "start");
            }
            await Town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
            app.Clock.Advance(TimeSpan.FromDays(1));
            await Town.DoAsync(solved, "resolve", new { outcome = "Solved", result = "已修复" });
            app.Clock.Advance(TimeSpan.FromDays(1));
            await Town.DoAsync(solved, "follow-up", new { satisfaction = "Satisfied", note = "满意" });
            return (solved, rejected, started, waiting);
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    private static async Task<HttpResponseMessage> FreezeAsync(HttpClient client, string month, string town = "SCH") =>
        await client.PostAsJsonAsync("/api/v1/reports/snapshots", new { month, town });

    private async Task<JsonObject> FrozenAsync(string month, HttpClient? client = null)
    {
        using var response = await FreezeAsync(client ?? Town, month);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json;
    }

    private async Task<JsonObject> VerifyAsync(string month, string town = "SCH")
    {
        using var response = await Town.GetAsync($"/api/v1/reports/snapshots/{town}/{month}/verify");
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }

    private static string[] Differences(JsonObject verify) =>
        verify["differences"]!.AsArray().Select(d => d!["what"]!.GetValue<string>()).ToArray();

    private Task ExecAsync(FormattableString sql) => app.WithDbAsync(db => db.Database.ExecuteSqlAsync(sql));

    private async Task<int> CommandAsync(params string[] args)
    {
        var output = new StringWriter();
        return await VerifySnapshot.RunCommandAsync(app.Services, ["verify-snapshot", .. args], output);
    }

    [Fact]
    public async Task ClosedMonth_Freezes_Verifies_AndStaysValid_WhenACaseIsReopenedToday()
    {
        var (solved, _, _, _) = await SeedMonthAsync(10);
        var frozen = await FrozenAsync("2026-10");
        Assert.Equal("SCH", frozen["town"]!.GetValue<string>());
        Assert.Equal(4, frozen["caseCount"]!.GetValue<int>());
        Assert.Equal(4, frozen["totals"]!["registered"]!.GetValue<int>());
        Assert.Equal(3, frozen["totals"]!["accepted"]!.GetValue<int>());
        Assert.Equal(1, frozen["totals"]!["solved"]!.GetValue<int>());
        Assert.Equal(1, frozen["totals"]!["satisfied"]!.GetValue<int>());
        var events = frozen["eventCount"]!.GetValue<int>();
        Assert.True(events >= 4 + 4 + 1 + 2, frozen.ToJsonString()); // registrations, triage and start twice, reject, resolve and follow-up
        Assert.Matches("^[0-9a-f]{64}$", frozen["eventsHash"]!.GetValue<string>());

        var verify = await VerifyAsync("2026-10");
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(verify["signatureValid"]!.GetValue<bool>());
        Assert.True(verify["figuresMatch"]!.GetValue<bool>());
        Assert.True(verify["eventsMatch"]!.GetValue<bool>());
        Assert.Empty(verify["differences"]!.AsArray());

        // Today (November) a leader reopens a case of October: events after the month's end are outside it.
        await app.SharedClientAs("leader").DoAsync(solved, "reopen", new { reason = "群众反映路灯又坏了" });
        var after = await VerifyAsync("2026-10");
        Assert.True(after["valid"]!.GetValue<bool>(), after.ToJsonString());
        using (var stored = await Town.GetAsync("/api/v1/reports/snapshots/SCH/2026-10"))
        {
            var json = await stored.ReadJsonAsync();
            Assert.Equal(1, json["totals"]!["solved"]!.GetValue<int>());
            Assert.Equal(4, json["rows"]!.AsArray().Sum(r => r!["count"]!.GetValue<int>()));
        }
        Assert.Equal(0, await CommandAsync("SCH", "2026-10"));
        Assert.True(VerifySnapshot.IsCommand(["verify", "--snapshot", "SCH", "2026-10"]));
        var output = new StringWriter();
        Assert.Equal(0, await VerifySnapshot.RunCommandAsync(app.Services, ["verify", "--snapshot", "SCH", "2026-10"], output));
        // The freeze's time as the pages show it: Shanghai's, with the offset said.
        Assert.Matches(@"valid: SCH 2026-10 \(\d+ cases, \d+ events, frozen 2026-11-26 10:00 \+08:00 by ", output.ToString());
        Assert.False(VerifySnapshot.IsCommand(["verify", "--case", "1"]));

        // The reports page may read a frozen month from the store.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var townId = await app.UnitIdAsync("SCH");
            var rows = await scope.ServiceProvider.GetRequiredService<SnapshotStore>().FindAsync(townId, "2026-10", CancellationToken.None);
            Assert.NotNull(rows);
            Assert.Equal(4, rows.Sum(r => r.Count));
            Assert.Null(await scope.ServiceProvider.GetRequiredService<SnapshotStore>().FindAsync(townId, "2026-03", CancellationToken.None));
        }

        using var list = await Town.GetAsync("/api/v1/reports/snapshots?town=SCH");
        var items = (await list.ReadJsonAsync())["items"]!.AsArray();
        var october = Assert.Single(items, i => i!["month"]!.GetValue<string>() == "2026-10")!;
        Assert.True(october["signatureValid"]!.GetValue<bool>());
        Assert.Equal("镇办受理员", october["createdByName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ThePage_FreezesAClosedMonth_ShowsItsSeal_AndChecksIt_WithoutCurl()
    {
        // A walk-through: freezing and checking a month needed the API; the clerk now does it on /reports/snapshots.
        var (_, rejected, _, _) = await SeedMonthAsync(5);
        var (_, reports) = await Town.GetHtmlAsync("/reports");
        Assert.Contains("href=\"/reports/snapshots\" data-link=\"snapshots\"", reports);
        var (status, page) = await Town.GetHtmlAsync("/reports/snapshots");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"freeze-form\"", page);
        Assert.Contains("<option value=\"SCH\"", page);

        // The running month is refused next to the month field; nothing is frozen.
        using (var open = await Town.PostFormAsync("/reports/snapshots?handler=Freeze", ("Freeze.Town", "SCH"), ("Freeze.Month", "2026-11")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, open.StatusCode);
            var html = await open.Content.ReadAsStringAsync();
            Assert.Matches("data-valmsg-for=\"Freeze.Month\"[^>]*>[^<]*该月尚未结束", html);
        }
        using (var frozen = await Town.PostFormAsync("/reports/snapshots?handler=Freeze", ("Freeze.Town", "SCH"), ("Freeze.Month", "2026-05")))
        {
            Assert.Equal(HttpStatusCode.Redirect, frozen.StatusCode);
        }
        var stored = await app.WithDbAsync(db => db.Set<Taizhang.Web.Data.ReportSnapshot>().AsNoTracking().SingleAsync(s => s.Month == "2026-05"));
        (_, page) = await Town.GetHtmlAsync("/reports/snapshots");
        Assert.Contains("data-snapshot=\"SCH/2026-05\"", page);
        Assert.Contains($"已封存三岔镇 2026-05 的月报：{stored.CaseCount} 件事项", page);
        Assert.Contains($"<td class=\"num\">{stored.CaseCount}</td>", page);
        // Twice is refused on the page as in the API.
        using (var again = await Town.PostFormAsync("/reports/snapshots?handler=Freeze", ("Freeze.Town", "SCH"), ("Freeze.Month", "2026-05")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            Assert.Contains("已经封存", await again.Content.ReadAsStringAsync());
        }

        async Task<string> CheckAsync()
        {
            using var checkedPage = await Town.PostFormAsync("/reports/snapshots?handler=Verify", ("town", "SCH"), ("month", "2026-05"));
            Assert.Equal(HttpStatusCode.OK, checkedPage.StatusCode);
            return await checkedPage.Content.ReadAsStringAsync();
        }
        var valid = await CheckAsync();
        Assert.Contains("id=\"verify-result\" data-valid=\"true\"", valid);
        Assert.Contains("三岔镇 2026-05 的月报校验通过", valid);
        // An event altered behind the application's back: the page's check says so, and which part.
        await ExecAsync($"""UPDATE "CaseEvents" SET "Reason" = '属于受理范围' WHERE "CaseId" = {rejected} AND "Action" = 'Reject'""");
        var broken = await CheckAsync();
        Assert.Contains("id=\"verify-result\" data-valid=\"false\"", broken);
        Assert.Contains("背后的事件与封存时不一致", broken);
        await ExecAsync($"""UPDATE "CaseEvents" SET "Reason" = '不属于受理范围' WHERE "CaseId" = {rejected} AND "Action" = 'Reject'""");

        // A village cadre neither freezes nor sees the link; freezing through the page is refused like the API's.
        var (_, cadreReports) = await app.SharedClientAs("cadre").GetHtmlAsync("/reports");
        Assert.DoesNotContain("data-link=\"snapshots\"", cadreReports);
        var (_, cadrePage) = await app.SharedClientAs("cadre").GetHtmlAsync("/reports/snapshots");
        Assert.DoesNotContain("id=\"freeze-form\"", cadrePage);
        using var refused = await app.SharedClientAs("cadre").PostFormAsync("/reports/snapshots?handler=Freeze", ("Freeze.Town", "SCH"), ("Freeze.Month", "2026-04"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AlteredEvent_MakesVerifyInvalid_EventsAlways_FiguresWhereTheyChange()
    {
        var (solved, rejected, _, _) = await SeedMonthAsync(9);
        // Reopened before the freeze: the case is replayed from its events as of the month's end.
        await app.SharedClientAs("leader").DoAsync(solved, "reopen", new { reason = "群众反映仍未修好" });
        await FrozenAsync("2026-09");
        Assert.True((await VerifyAsync("2026-09"))["valid"]!.GetValue<bool>());

        // A reason rewritten behind the application's back: the figures are the same, the events are not.
        await ExecAsync($"""UPDATE "CaseEvents" SET "Reason" = '属于受理范围' WHERE "CaseId" = {rejected} AND "Action" = 'Reject'""");
        var edited = await VerifyAsync("2026-09");
        Assert.False(edited["valid"]!.GetValue<bool>(), edited.ToJsonString());
        Assert.False(edited["eventsMatch"]!.GetValue<bool>());
        Assert.True(edited["figuresMatch"]!.GetValue<bool>());
        Assert.True(edited["signatureValid"]!.GetValue<bool>());
        Assert.Equal(["events"], Differences(edited));
        Assert.Equal(1, await CommandAsync("SCH", "2026-09"));

        // Put back as it was: valid again (the hash is over the content, nothing else).
        await ExecAsync($"""UPDATE "CaseEvents" SET "Reason" = '不属于受理范围' WHERE "CaseId" = {rejected} AND "Action" = 'Reject'""");
        Assert.True((await VerifyAsync("2026-09"))["valid"]!.GetValue<bool>());

        // The resolution moved past the month's end: as of then the case was not handled.
        var later = new DateTime(2026, 10, 5, 2, 0, 0, DateTimeKind.Utc);
        await ExecAsync($"""UPDATE "CaseEvents" SET "At" = {later} WHERE "CaseId" = {solved} AND "Action" IN ('Resolve', 'FollowUp')""");
        var moved = await VerifyAsync("2026-09");
        Assert.False(moved["valid"]!.GetValue<bool>());
        Assert.False(moved["eventsMatch"]!.GetValue<bool>());
        Assert.False(moved["figuresMatch"]!.GetValue<bool>());
        var differences = Differences(moved);
        Assert.Contains("figure:handled", differences);
        Assert.Contains("figure:solved", differences);
        Assert.Contains("event-count", differences);
        var handled = moved["differences"]!.AsArray().Single(d => d!["what"]!.GetValue<string>() == "figure:handled")!;
        Assert.Equal("1", handled["frozen"]!.GetValue<string>());
        Assert.Equal("0", handled["now"]!.GetValue<string>());
        Assert.Equal(1, await CommandAsync("SCH"));
    }

    [Fact]
    public async Task TamperedFigures_BreakTheSignature()
    {
        await SeedMonthAsync(8);
        await FrozenAsync("2026-08");
        await ExecAsync($"""UPDATE "ReportSnapshots" SET "FiguresJson" = REPLACE("FiguresJson", '"solved":1', '"solved":2') WHERE "Month" = '2026-08'""");
        var verify = await VerifyAsync("2026-08");
        Assert.False(verify["valid"]!.GetValue<bool>());
        Assert.False(verify["signatureValid"]!.GetValue<bool>());
        Assert.False(verify["figuresMatch"]!.GetValue<bool>());
        Assert.True(verify["eventsMatch"]!.GetValue<bool>());
        Assert.Contains("signature", Differences(verify));
        Assert.Contains("figure:solved", Differences(verify));

        using var list = await Town.GetAsync("/api/v1/reports/snapshots?town=SCH");
        var august = (await list.ReadJsonAsync())["items"]!.AsArray().Single(i => i!["month"]!.GetValue<string>() == "2026-08")!;
        Assert.False(august["signatureValid"]!.GetValue<bool>());
        Assert.Equal(1, await CommandAsync("SCH", "2026-08"));
    }

    [Theory]
    [InlineData("2026-11", "month")] // the running month
    [InlineData("2027-01", "month")]
    [InlineData("2026-13", "month")]
    [InlineData("", "month")]
    public async Task OpenOrBadMonth_IsRefused_WithTheField(string month, string field)
    {
        using var response = await FreezeAsync(Town, month);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey(field), problem.ToJsonString());
        Assert.False(await app.WithDbAsync(db => db.Set<Taizhang.Web.Data.ReportSnapshot>().AnyAsync(s => s.Month == month)));
    }

    [Theory]
    [InlineData("SCH-MJC")]
    [InlineData("NOWHERE")]
    [InlineData("ZX")]
    public async Task NotATown_IsAFieldError(string town)
    {
        using var response = await FreezeAsync(Town, "2026-06", town);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("town"), problem.ToJsonString());
    }

    [Fact]
    public async Task Scope_VillageCadreAndOperator403_OtherTown404_LeaderMay_AndTwiceIs409()
    {
        foreach (var who in new[] { "cadre", "operator", "agency" })
        {
            using var refused = await FreezeAsync(app.SharedClientAs(who), "2026-07");
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using (var cadreList = await app.SharedClientAs("cadre").GetAsync("/api/v1/reports/snapshots?town=SCH"))
        {
            await cadreList.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        var county = app.SharedClientAs("admin-county");
        using (var created = await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = "LQZ", name = "柳泉镇", kind = "Town", parent = "ZX" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using (var elsewhere = await FreezeAsync(Town, "2026-07", "LQZ"))
        {
            await elsewhere.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        using (var elsewhereVerify = await Town.GetAsync("/api/v1/reports/snapshots/LQZ/2026-07/verify"))
        {
            await elsewhereVerify.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.False(await app.WithDbAsync(db => db.Set<Taizhang.Web.Data.ReportSnapshot>().AnyAsync(s => s.Month == "2026-07")));

        await SeedMonthAsync(7);
        var frozen = await FrozenAsync("2026-07", app.SharedClientAs("leader"));
        Assert.Equal("镇党委书记", frozen["createdByName"]!.GetValue<string>());
        using (var again = await FreezeAsync(Town, "2026-07"))
        {
            await again.AssertProblemAsync(HttpStatusCode.Conflict, "snapshot-exists");
        }
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Taizhang.Web.Data.ReportSnapshot>().CountAsync(s => s.Month == "2026-07")));

        // The county's administrator reads and verifies every town's; the cadre cannot verify the town's.
        using (var countyVerify = await county.GetAsync("/api/v1/reports/snapshots/SCH/2026-07/verify"))
        {
            Assert.True((await countyVerify.ReadJsonAsync())["valid"]!.GetValue<bool>());
        }
        using (var cadreVerify = await app.SharedClientAs("cadre").GetAsync("/api/v1/reports/snapshots/SCH/2026-07/verify"))
        {
            await cadreVerify.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using var missing = await Town.GetAsync("/api/v1/reports/snapshots/SCH/2026-01/verify");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Anonymous_Is401()
    {
        using var response = await app.AnonymousClient().GetAsync("/api/v1/reports/snapshots?town=SCH");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Command_BadArguments_Exit2()
    {
        Assert.Equal(2, await CommandAsync("NOWHERE"));
        Assert.Equal(2, await CommandAsync("SCH", "1999-01"));
        Assert.Equal(2, await CommandAsync("SCH", "2026-01", "extra"));
    }
}

public sealed class ReportSnapshotTests_Sqlite(SqliteApp app) : ReportSnapshotTests(app), IClassFixture<SqliteApp>;

public sealed class ReportSnapshotTests_Postgres(PostgresApp app) : ReportSnapshotTests(app), IClassFixture<PostgresApp>;
