using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The whole-town reports without the cohort (issue 16 item 9): the breakdown counters' SQL is generated from the
/// declarative figures and agrees with <see cref="CaseFigure.Counts"/>; on the hand-made fixture (returns, reminders,
/// notices, supervisions, reopenings, suspensions), the breakdown and unit-event counters equal a full recount, and
/// every whole-town report (a closed month from the persisted details, the running month, quarter and year from the
/// counters) has the same figures, tables, rankings and lists as the same period counted from the cases (a custom
/// period: the old path).
/// </summary>
public abstract class CaseBreakdownTests(TaizhangApp app) : IAsyncLifetime
{
    private HttpClient Town => app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        await ReportFixture.BuildAsync(app);
        app.Clock.SetUtcNow(ReportFixture.Now);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryFigure_HasItsColumn_AndItsGeneratedPredicate_AgreesWithCounts()
    {
        // A figure added to CaseFigures.All without its column fails here (and the triggers could not be created).
        foreach (var type in new[] { typeof(CaseBreakdownCount), typeof(CaseBreakdownCountDelta) })
        {
            foreach (var figure in CaseFigures.All)
            {
                Assert.True(type.GetProperty(CaseCounterSql.FigureColumn(figure)) is { } p && p.PropertyType == typeof(long),
                    $"{type.Name} has no column {CaseCounterSql.FigureColumn(figure)} for the figure {figure.Key}");
            }
            Assert.Equal(CaseFigures.All.Count + 1, type.GetProperties().Count(p => p.PropertyType == typeof(long)));
        }

        var sqlite = app.Provider != "Postgres";
        var random = new Random(16);
        var statuses = Enum.GetValues<CaseStatus>();
        var outcomes = Enum.GetValues<Outcome>().Select(o => (Outcome?)o).Append(null).ToArray();
        var satisfactions = Enum.GetValues<Satisfaction>().Select(o => (Satisfaction?)o).Append(null).ToArray();
        var rows = new List<(CaseFacts Facts, string Sql)>();
        string Bool(bool b) => sqlite ? (b ? "1" : "0") : (b ? "TRUE" : "FALSE");
        string Text<T>(T? v) where T : struct, Enum => v is { } x ? $"'{x}'" : sqlite ? "NULL" : "CAST(NULL AS text)";
        for (var i = 0; i < 1500; i++)
        {
            var status = statuses[random.Next(statuses.Length)];
            var outcome = outcomes[random.Next(outcomes.Length)];
            var satisfaction = satisfactions[random.Next(satisfactions.Length)];
            int? resolvedAt = random.Next(3) switch { 0 => null, 1 => 5, _ => 15 };
            var (reopen, followUps, returns) = (random.Next(2), random.Next(2), random.Next(2));
            var assignee = random.Next(2) == 0 ? (long?)null : 7;
            var contacted = random.Next(2) == 0;
            bool? solved = random.Next(3) switch { 0 => null, 1 => false, _ => true };
            var facts = new CaseFacts(status, outcome, satisfaction, resolvedAt is { } r && r < 10, reopen > 0, followUps > 0, returns > 0,
                assignee is not null || returns > 0, contacted, solved);
            rows.Add((facts, string.Join(", ", Text<CaseStatus>(status), Text(outcome), Text(satisfaction),
                resolvedAt?.ToString(CultureInfo.InvariantCulture) ?? (sqlite ? "NULL" : "CAST(NULL AS integer)"), "10",
                reopen.ToString(CultureInfo.InvariantCulture), followUps.ToString(CultureInfo.InvariantCulture), returns.ToString(CultureInfo.InvariantCulture),
                assignee?.ToString(CultureInfo.InvariantCulture) ?? (sqlite ? "NULL" : "CAST(NULL AS bigint)"), Bool(contacted),
                solved is { } s ? Bool(s) : sqlite ? "NULL" : "CAST(NULL AS boolean)", i.ToString(CultureInfo.InvariantCulture))));
        }
        var sql = "WITH p(\"Status\", \"Outcome\", \"Satisfaction\", \"ResolvedAt\", \"DueAt\", \"ReopenCount\", \"FollowUpCount\", \"ReturnCount\", "
            + "\"AssigneeUnitId\", \"ContactedInTime\", \"ResolvedByResident\", \"N\") AS (VALUES "
            + string.Join(", ", rows.Select(r => "(" + r.Sql + ")")) + ") SELECT \"N\", "
            + string.Join(", ", CaseFigures.All.Select(f => $"CASE WHEN {CaseCounterSql.FigurePredicate(f, "p", sqlite)} THEN 1 ELSE 0 END"))
            + " FROM p ORDER BY \"N\"";
        var counted = await app.WithDbAsync(async db =>
        {
            var result = new List<int[]>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result.Add(Enumerable.Range(1, CaseFigures.All.Count).Select(i => Convert.ToInt32(reader.GetValue(i), CultureInfo.InvariantCulture)).ToArray());
            }
            return result;
        });
        Assert.Equal(rows.Count, counted.Count);
        var checkedOnes = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            for (var f = 0; f < CaseFigures.All.Count; f++)
            {
                var expected = CaseFigures.All[f].Counts(rows[i].Facts) ? 1 : 0;
                Assert.True(expected == counted[i][f], $"{CaseFigures.All[f].Key} of {rows[i].Facts}: SQL {counted[i][f]}, Counts {expected}");
                checkedOnes += expected;
            }
        }
        Assert.True(checkedOnes > 1500);
    }

    private sealed record Kept(string[] Breakdown, string[] UnitEvents);

    private Task<Kept> ReadCountersAsync() => app.WithDbAsync(async db =>
    {
        await CaseCounterSql.CompactAsync(db, default);
        var breakdown = (await db.CaseBreakdownCounts.AsNoTracking().Where(c => c.Registered != 0).ToListAsync())
            .Select(c => string.Join('|', new object[] { c.TownId, c.Month, c.Dimension, c.Value }
                .Concat(CaseFigures.All.Select(f => typeof(CaseBreakdownCount).GetProperty(CaseCounterSql.FigureColumn(f))!.GetValue(c)!))))
            .Order(StringComparer.Ordinal).ToArray();
        var events = (await db.CaseUnitEventCounts.AsNoTracking().Where(c => c.Count != 0).ToListAsync())
            .Select(c => $"{c.TownId}|{c.Month}|{c.UnitId}|{c.Kind}|{c.Count}").Order(StringComparer.Ordinal).ToArray();
        return new Kept(breakdown, events);
    });

    [Fact]
    public async Task TheCounters_EqualARecount_AndEveryWholeTownReport_EqualsTheOldPath()
    {
        var kept = await ReadCountersAsync();
        Assert.NotEmpty(kept.Breakdown);
        Assert.Contains(kept.UnitEvents, e => e.Contains("|assigned|", StringComparison.Ordinal));
        Assert.Contains(kept.UnitEvents, e => e.Contains("|supervision-", StringComparison.Ordinal));
        Assert.Contains(kept.UnitEvents, e => e.Contains("|reminders|", StringComparison.Ordinal));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.ServiceProvider.GetRequiredService<CalendarOptions>().TimeZone);
            Assert.NotNull(await CaseCounterSql.EnsureAsync(db, zone, force: true, default));
        }
        var recounted = await ReadCountersAsync();
        Assert.Equal(recounted.Breakdown, kept.Breakdown);
        Assert.Equal(recounted.UnitEvents, kept.UnitEvents);

        // The running month first: its trend persists November's figures without details; November's report adds them.
        await AssertSameAsync("period=month", "period=custom&from=2026-12-01&to=2026-12-10");
        await AssertSameAsync("month=2026-11", "period=custom&from=2026-11-01&to=2026-11-30");
        var stored = await app.WithDbAsync(db => db.ClosedPeriodFigures.AsNoTracking()
            .Where(f => f.From == new DateOnly(2026, 11, 1) && f.To == new DateOnly(2026, 11, 30)).Select(f => f.Details).ToListAsync());
        Assert.Single(stored);
        Assert.Contains("\"overdue\"", stored[0]);
        // Read back from the stored details.
        await AssertSameAsync("month=2026-11", "period=custom&from=2026-11-01&to=2026-11-30");
        await AssertSameAsync("period=quarter", "period=custom&from=2026-10-01&to=2026-12-10");
        await AssertSameAsync("period=year", "period=custom&from=2026-01-01&to=2026-12-10");
    }

    [Fact]
    public async Task TheYearRollup_FoldedInPartOrWhole_AndChangesToFoldedMonths_GivesTheOldPathsYear()
    {
        var sqlite = app.Provider == "Sqlite";
        async Task<int> FoldAsync(int through) => await app.WithDbAsync(db => CaseCounterSql.AbsorbYearsAsync(db, through, default));
        async Task<(long Rows, long? Mark)> RollupAsync() => sqlite
            ? (await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"CaseBreakdownYears\"").SingleAsync()),
               await app.WithDbAsync(db => db.Database.SqlQueryRaw<long?>("SELECT MAX(\"ThroughMonth\") AS \"Value\" FROM \"CaseBreakdownYearMark\"").SingleAsync()))
            : (0, null);
        Task SameYearAsync() => AssertSameAsync("period=year", "period=custom&from=2026-01-01&to=2026-12-10");

        // October folded in (O1), November and December read from their month rows; then November too.
        Assert.Equal(sqlite, await FoldAsync(202610) > 0);
        Assert.Equal(0, await FoldAsync(202610));
        await SameYearAsync();
        Assert.Equal(sqlite, await FoldAsync(202611) > 0);
        var folded = await RollupAsync();
        Assert.Equal(sqlite ? 202611 : null, folded.Mark);
        Assert.Equal(sqlite, folded.Rows > 0);
        await SameYearAsync();
        await AssertSameAsync("period=quarter", "period=custom&from=2026-10-01&to=2026-12-10");

        // Cases of folded months change (their year rows follow), and a case lands in October (an import, a late entry).
        var ids = await ReportFixture.BuildAsync(app);
        await Town.DoAsync(ids["N10"], "assign", new { unit = "SCH-MJC" });
        await Town.DoAsync(ids["N10"], "resolve", new { outcome = "Solved", result = "已处理" });
        await Town.DoAsync(ids["O1"], "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-WJC" });
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 28, 2, 0, 0, TimeSpan.Zero));
        await Town.RegisterIdAsync(CaseApi.NewCase(title: "十月补录的事项", orgUnit: "SCH-WJC", phone: null));
        app.Clock.SetUtcNow(ReportFixture.Now);
        await SameYearAsync();

        // A recount empties the roll-up (the month rows serve), and the next fold builds it again.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.ServiceProvider.GetRequiredService<CalendarOptions>().TimeZone);
            Assert.NotNull(await CaseCounterSql.EnsureAsync(db, zone, force: true, default));
        }
        Assert.Equal((0, (long?)null), await RollupAsync());
        await SameYearAsync();
        Assert.Equal(sqlite, await FoldAsync(202611) > 0);
        await SameYearAsync();
    }

    /// <summary>The figures, tables, rankings and lists of two reports, links left out (they carry each report's own query).</summary>
    private async Task AssertSameAsync(string fast, string old)
    {
        var a = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?" + fast);
        var b = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?" + old);
        Assert.Equal(ReportFixture.Figures(b), ReportFixture.Figures(a));
        foreach (var part in new[] { "tables", "rankings", "lists", "funnel" })
        {
            Assert.Equal(Comparable(b[part]), Comparable(a[part]));
        }
        Assert.Contains(a["tables"]!.AsArray(), t => t!["rows"]!.AsArray().Count > 1);
        Assert.NotEmpty(a["rankings"]!["rows"]!.AsArray());
    }

    private static string Comparable(JsonNode? node)
    {
        var copy = node?.DeepClone();
        void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).Where(k => k is "link" or "apiLink").ToList())
                    {
                        o.Remove(key);
                    }
                    foreach (var (_, v) in o)
                    {
                        Strip(v);
                    }
                    break;
                case JsonArray arr:
                    foreach (var v in arr)
                    {
                        Strip(v);
                    }
                    break;
            }
        }
        Strip(copy);
        return copy?.ToJsonString() ?? "null";
    }
}

public sealed class CaseBreakdownTests_Sqlite(ReportSqliteApp app) : CaseBreakdownTests(app), IClassFixture<ReportSqliteApp>;

public sealed class CaseBreakdownTests_Postgres(ReportPostgresApp app) : CaseBreakdownTests(app), IClassFixture<ReportPostgresApp>;
