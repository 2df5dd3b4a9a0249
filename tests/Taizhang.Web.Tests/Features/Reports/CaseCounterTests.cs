using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The county counters (issue 17, item 2): after a random workload — registrations through intake, triage,
/// resolve, follow-up, reopen, merge, reject, raw updates and a raw insert and delete as an import or a
/// restore would write them — the trigger-kept counters equal a full recount from the cases, and every
/// figure read from them (task queues, the trend's closed and running months, the previous period) equals
/// the same figure counted the old way (the ledger's count, the report of that period computed from the cases).
/// </summary>
public abstract class CaseCounterTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    private sealed record Counters(string[] Statuses, string[] Facts, string[] Breakdown, string[] UnitEvents, string[] Kinds);

    // PostgreSQL: the deltas folded into the base rows first (CaseCounterSql.CompactAsync), so this also checks the compaction.
    private Task<Counters> ReadCountersAsync() => app.WithDbAsync(async db => await CaseCounterSql.CompactAsync(db, default) >= 0 ? new Counters(
        (await db.CaseStatusCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.TownId}|{c.OrgUnitId}|{c.Status}|{c.Count}").Order(StringComparer.Ordinal).ToArray(),
        (await db.CaseFactCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.TownId}|{c.Month}|{c.Status}|{c.Outcome}|{c.Satisfaction}|{c.OnTime}|{c.Reopened}|{c.FollowedUp}|{c.Returned}|"
                + $"{c.AssignedOnce}|{c.ContactedInTime}|{c.ResolvedByResident}|{c.Count}").Order(StringComparer.Ordinal).ToArray(),
        // The breakdown (CaseCounterSql.Breakdown.cs) and unit-event counters (CaseCounterSql.UnitEvents.cs) too.
        (await db.CaseBreakdownCounts.AsNoTracking().Where(c => c.Registered != 0).ToListAsync())
            .Select(c => string.Join('|', new object[] { c.TownId, c.Month, c.Dimension, c.Value }.Concat(Taizhang.Domain.Rates.CaseFigures.All
                .Select(f => typeof(CaseBreakdownCount).GetProperty(CaseCounterSql.FigureColumn(f))!.GetValue(c)!))))
            .Order(StringComparer.Ordinal).ToArray(),
        (await db.CaseUnitEventCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.TownId}|{c.Month}|{c.UnitId}|{c.Kind}|{c.Count}").Order(StringComparer.Ordinal).ToArray(),
        // The kind counters (channel, urgency, track: the ledger's county totals for those filters).
        (await db.CaseKindCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.TownId}|{c.Channel}|{c.Urgency}|{c.Track}|{c.Count}").Order(StringComparer.Ordinal).ToArray()) : null!);

    private async Task AssertCountersEqualRecountAsync()
    {
        var kept = await ReadCountersAsync();
        Assert.NotEmpty(kept.Statuses);
        Assert.NotEmpty(kept.Facts);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.ServiceProvider.GetRequiredService<CalendarOptions>().TimeZone);
            Assert.True(await CaseCounterSql.TriggersExistAsync(db, zone, default));
            Assert.NotNull(await CaseCounterSql.EnsureAsync(db, zone, force: true, default));
        }
        var recounted = await ReadCountersAsync();
        Assert.Equal(recounted.Statuses, kept.Statuses);
        Assert.Equal(recounted.Facts, kept.Facts);
        Assert.NotEmpty(kept.Breakdown);
        Assert.Equal(recounted.Breakdown, kept.Breakdown);
        Assert.Equal(recounted.UnitEvents, kept.UnitEvents);
        // Triaged cases among them (a track) and untriaged ones ("").
        Assert.Contains(kept.Kinds, k => k.Split('|')[3] == "Direct");
        Assert.Contains(kept.Kinds, k => k.Split('|')[3] == "");
        Assert.Equal(recounted.Kinds, kept.Kinds);
    }

    private async Task<long> HandledAsync(string title, bool followUp, Random random)
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: title));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = random.Next(2) == 0 ? "SCH-MJC" : "SCH-WJC" });
        await _town.DoAsync(id, "resolve", new { outcome = random.Next(3) == 0 ? "Explained" : "Solved", result = "已处理" });
        if (followUp)
        {
            await _town.DoAsync(id, "follow-up", new { satisfaction = random.Next(2) == 0 ? "Satisfied" : "BasicallySatisfied" });
        }
        return id;
    }

    [Fact]
    public async Task AfterARandomWorkload_TheCountersEqualARecount_AndTheFiguresEqualTheOldPath()
    {
        var random = new Random(17);
        // October: a mix of every lifecycle turn.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 10, 2, 0, 0, TimeSpan.Zero));
        var october = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            october.Add(await HandledAsync($"十月：已办结 {i}", followUp: random.Next(2) == 0, random));
        }
        var open = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月：待分流"));
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月：不予受理"));
        await _town.DoAsync(rejected, "reject", new { reason = "不属受理范围" });
        var merged = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月：重复"));
        await _town.DoAsync(merged, "merge", new { into = open });
        var assigned = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月：办理中"));
        await _town.DoAsync(assigned, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await AssertCountersEqualRecountAsync();

        // November: more cases; the October figures are persisted once asked, then October's cases change.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 4; i++)
        {
            await HandledAsync($"十一月：已办结 {i}", followUp: i % 2 == 0, random);
        }
        var waiting = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十一月：待交办"));
        await _town.DoAsync(waiting, "triage", new { track = "Direct" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
        await AssertSameFiguresAsync();

        // October's cases change after October: reopened, resolved, followed up; raw writes as an import or a restore.
        var reopened = october[0];
        var current = await _town.GetCaseAsync(reopened);
        if (current.Status() == nameof(CaseStatus.Resolved))
        {
            await _town.DoAsync(reopened, "follow-up", new { satisfaction = "Unsatisfied" });
        }
        // An unsatisfied return visit reopens the case by itself; a satisfied one is reopened by hand.
        if ((await _town.GetCaseAsync(reopened)).Status() != nameof(CaseStatus.Reopened))
        {
            await _town.DoAsync(reopened, "reopen", new { reason = "群众不满意，再办" });
        }
        await _town.DoAsync(assigned, "resolve", new { outcome = "Solved", result = "已处理" });
        await app.WithDbAsync(async db =>
        {
            await db.Cases.Where(c => c.Id == october[1]).ExecuteUpdateAsync(s => s.SetProperty(c => c.ReopenCount, 3));
            await db.Cases.Where(c => c.Id == waiting).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CaseStatus.Ledgered));
            return 0;
        });
        await AssertCountersEqualRecountAsync();
        await AssertSameFiguresAsync();
        await AssertCountersEqualRecountAsync();
    }

    /// <summary>
    /// The task list's queues and total (from the counters) against the ledger's own counts; the quarter's trend
    /// (October closed and persisted, November running from the counters) and the month's previous period against
    /// the reports of those months computed from the cases.
    /// </summary>
    private async Task AssertSameFiguresAsync()
    {
        var counts = await ReportFixture.GetOkAsync(_town, "/api/v1/tasks/counts");
        var tasks = await ReportFixture.GetOkAsync(_town, "/api/v1/tasks");
        var all = new HashSet<long>();
        foreach (var section in tasks["sections"]!.AsArray().Select(s => s!.AsObject()))
        {
            var link = section["apiLink"]!.GetValue<string>();
            var ledger = await _town.ListAsync(link["/api/v1/cases".Length..].TrimStart('?') + "&pageSize=100");
            Assert.Equal(ledger.Total(), section["count"]!.GetValue<int>());
            var key = section["key"]!.GetValue<string>();
            if (counts["parts"]!.AsArray().FirstOrDefault(p => p!["key"]!.GetValue<string>() == key) is { } part)
            {
                Assert.Equal(ledger.Total(), part["count"]!.GetValue<int>());
                all.UnionWith(ledger.ItemIds());
            }
        }
        Assert.Equal(all.Count, counts["total"]!.GetValue<int>());

        var quarter = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?period=quarter");
        var trend = quarter["trends"]!.AsArray().ToDictionary(t => t!["month"]!.GetValue<string>(), t => t!.AsObject());
        await AssertTrendPointAsync(trend["2026-10"], "period=custom&from=2026-10-01&to=2026-10-31");
        await AssertTrendPointAsync(trend["2026-11"], "period=custom&from=2026-11-01&to=2026-11-26");
        await AssertTrendPointAsync(trend["2026-09"], "period=custom&from=2026-09-01&to=2026-09-30");

        var month = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?period=month");
        var lastMonth = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?period=last-month");
        foreach (var rate in month["rates"]!.AsArray())
        {
            var key = rate!["key"]!.GetValue<string>();
            Assert.Equal(ReportFixture.Rate(lastMonth, key)["value"]?.GetValue<double?>(), rate["previous"]?.GetValue<double?>());
        }
    }

    private async Task AssertTrendPointAsync(JsonObject point, string oldPath)
    {
        var report = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?" + oldPath);
        Assert.Equal(ReportFixture.Figures(report)["registered"], point["registered"]!.GetValue<int>());
        foreach (var (key, value) in point["rates"]!.AsObject())
        {
            Assert.Equal(ReportFixture.Rate(report, key)["value"]?.GetValue<double?>(), value?.GetValue<double?>());
        }
    }
}

public sealed class CaseCounterTests_Sqlite(SqliteApp app) : CaseCounterTests(app), IClassFixture<SqliteApp>;

public sealed class CaseCounterTests_Postgres(PostgresApp app) : CaseCounterTests(app), IClassFixture<PostgresApp>;
