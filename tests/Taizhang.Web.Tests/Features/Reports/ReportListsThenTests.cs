using System.Text.Json.Nodes;
using Taizhang.Domain.Cases;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The monthly report's lists of a closed month are as of its end: a case suspended then and resumed since, and a case
/// under supervision then and resolved since, are listed under November; the ledger's lists now hold neither.
/// </summary>
public abstract class ReportListsThenTests(TaizhangApp app)
{
    private static readonly Actor Tester = new(ActorKind.System, "test", "测试");
    private static readonly Actor Unit = new(ActorKind.User, "test-unit", "承办人");

    [Fact]
    public async Task SuspendedAndSupervisedAtTheMonthsEnd_AreNovembersLists_NotWhatTheyAreNow()
    {
        var town = app.ClientAs("town");
        app.Clock.SetUtcNow(ReportFixture.B);
        var waiting = await town.RegisterIdAsync(CaseApi.NewCase(title: "等待法院判决的事项", orgUnit: "SCH-MJC", phone: null));
        var supervised = await town.RegisterIdAsync(CaseApi.NewCase(title: "黄牌督办的事项", orgUnit: "SCH-MJC", phone: null));
        foreach (var id in new[] { waiting, supervised })
        {
            await town.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        }
        app.Clock.Advance(TimeSpan.FromHours(1));
        await ReportFixture.DomainAsync(app, waiting, (c, d, at) => c.RequestSuspension("等待法院判决", Unit, at));
        await ReportFixture.DomainAsync(app, supervised, (c, d, at) => c.Supervise(SupervisionLevel.Yellow, new DateOnly(2026, 11, 20), "尽快办理", d, Tester, at));
        app.Clock.Advance(TimeSpan.FromHours(1));
        await ReportFixture.DomainAsync(app, waiting, (c, d, at) => c.DecideSuspension(true, null, false, Tester, at));

        // December: the judgment is in and the other case is resolved.
        app.Clock.SetUtcNow(ReportFixture.D);
        await ReportFixture.DomainAsync(app, waiting, (c, d, at) => c.Resume("判决已出", Tester, at));
        await town.DoAsync(supervised, "resolve", new { outcome = "Solved", result = "已修复" });
        app.Clock.SetUtcNow(ReportFixture.Now);

        static long[] Items(JsonObject list) => [.. list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];
        // The town's November is persisted with its figures; the village's is replayed: the same lists.
        foreach (var query in new[] { "month=2026-11", "month=2026-11&unit=SCH-MJC" })
        {
            var report = await ReportFixture.GetOkAsync(town, "/api/v1/reports?" + query);
            var lists = report["lists"]!.AsArray().ToDictionary(l => l!["key"]!.GetValue<string>(), l => l!.AsObject());
            Assert.Equal([waiting], Items(lists["suspended"]));
            Assert.Equal("期末挂起事项", lists["suspended"]["name"]!.GetValue<string>());
            Assert.Equal([supervised], Items(lists["supervised"]));
            Assert.Equal([waiting], await ReportFixture.CaseIdsAsync(town, query + "&figure=suspended"));
            Assert.Equal([supervised], await ReportFixture.CaseIdsAsync(town, query + "&figure=supervised"));
        }
        var december = await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-12");
        Assert.All(december["lists"]!.AsArray(), l => Assert.Equal(0, l!["total"]!.GetValue<int>()));

        // The printed November report says which lists these are.
        var print = await town.GetStringAsync("/reports/print?month=2026-11");
        Assert.Contains("期末挂起事项", print);
        Assert.Contains("期末督办事项", print);
        Assert.DoesNotContain("（当前）", print);
    }

    [Fact]
    public async Task A_suspended_case_is_listed_with_its_reason_masked_as_the_ledger_shows_it()
    {
        var town = app.ClientAs("town");
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 12, 2, 0, 0, TimeSpan.Zero));
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "等待资金到位的事项", orgUnit: "SCH-MJC", phone: null));
        await town.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        app.Clock.Advance(TimeSpan.FromHours(1));
        await ReportFixture.DomainAsync(app, id, (c, d, at) => c.RequestSuspension("资金未到位，联系人 13912345678", Unit, at));
        app.Clock.Advance(TimeSpan.FromHours(1));
        await ReportFixture.DomainAsync(app, id, (c, d, at) => c.DecideSuspension(true, null, false, Tester, at));
        app.Clock.SetUtcNow(ReportFixture.Now);

        // October's suspended list, on the page and on paper: the case with its reason, the typed phone masked.
        foreach (var url in new[] { "/reports?month=2026-10&unit=SCH-MJC", "/reports/print?month=2026-10&unit=SCH-MJC" })
        {
            var html = await town.GetStringAsync(url);
            Assert.Contains("等待资金到位的事项", html);
            Assert.Contains("资金未到位，联系人 139****5678", html);
            Assert.DoesNotContain("13912345678", html);
        }
    }
}

public sealed class ReportListsThenTests_Sqlite(SqliteApp app) : ReportListsThenTests(app), IClassFixture<SqliteApp>;

public sealed class ReportListsThenTests_Postgres(PostgresApp app) : ReportListsThenTests(app), IClassFixture<PostgresApp>;
