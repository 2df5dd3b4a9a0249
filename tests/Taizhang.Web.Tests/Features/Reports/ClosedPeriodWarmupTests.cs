using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The closed-period warm-up (<see cref="ClosedPeriodWarmup"/>): one pass stores every town's figures for every
/// default closed period, the same figures a reader's report computes, and a second pass stores nothing new.
/// </summary>
public abstract class ClosedPeriodWarmupTests(TaizhangApp app)
{
    [Fact]
    public void ThePeriods_AreTheClosedMonthsOfEveryDefaultTrend_TheLastTwoQuarters_AndTheLastTwoYears()
    {
        var periods = ClosedPeriodWarmup.Periods(new DateOnly(2026, 12, 6)).Select(p => $"{p.FromText}/{p.ToText}").ToList();
        static string MonthText(DateOnly d) => $"{d:yyyy-MM-dd}/{d.AddMonths(1).AddDays(-1):yyyy-MM-dd}";
        // This month's trend (January to November), then the quarters and last year, then the older months of last
        // month's trend (December 2025) and of last year's (January to November 2025), newest first, and 2024.
        var months = Enumerable.Range(1, 11).Select(m => MonthText(new DateOnly(2026, 12, 1).AddMonths(-m)));
        var older = Enumerable.Range(12, 12).Select(m => MonthText(new DateOnly(2026, 12, 1).AddMonths(-m)));
        Assert.Equal(months.Concat(["2026-07-01/2026-09-30", "2026-04-01/2026-06-30", "2025-01-01/2025-12-31"]).Concat(older)
            .Append("2024-01-01/2024-12-31"), periods);
        // Every month a default report's trend shows is there: last month's twelve, last quarter's, last year's.
        foreach (var end in new[] { new DateOnly(2026, 11, 30), new DateOnly(2026, 9, 30), new DateOnly(2025, 12, 31) })
        {
            Assert.All(Period.TwelveMonths(end), m => Assert.Contains($"{m.FromText}/{m.ToText}", periods));
        }
        // In May, last quarter's trend reaches back to April of last year, inside last year's.
        var may = ClosedPeriodWarmup.Periods(new DateOnly(2026, 5, 20)).Select(p => $"{p.FromText}/{p.ToText}").ToList();
        Assert.All(Period.TwelveMonths(new DateOnly(2026, 3, 31)), m => Assert.Contains($"{m.FromText}/{m.ToText}", may));
        Assert.Equal(may.Count, may.Distinct().Count());
        // In January the year before is the one just ended; nothing before 2000 is asked for.
        Assert.Contains("2025-01-01/2025-12-31", ClosedPeriodWarmup.Periods(new DateOnly(2026, 1, 2)).Select(p => $"{p.FromText}/{p.ToText}"));
        Assert.DoesNotContain(ClosedPeriodWarmup.Periods(new DateOnly(2000, 3, 1)), p => p.From.Year < 2000);
    }

    [Fact]
    public async Task APass_StoresEveryTownsFiguresForEveryDefaultClosedPeriod_AsTheReportCountsThem()
    {
        var town = app.SharedClientAs("town");
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 12, 2, 0, 0, TimeSpan.Zero));
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var id = await town.RegisterIdAsync(CaseApi.NewCase(title: $"预热：十月 {i}"));
                await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            }
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
        var warmup = app.Services.GetRequiredService<ClosedPeriodWarmup>();
        await warmup.RunPassAsync(default);
        var periods = ClosedPeriodWarmup.Periods(DateOnly.FromDateTime(TaizhangApp.Start.UtcDateTime.AddHours(8)));
        Assert.Equal(periods.Count, warmup.LastPass!.Value.Periods);

        var (towns, stored) = await app.WithDbAsync(async db => (
            await db.OrgUnits.Where(u => u.Kind == Domain.Organization.OrgUnitKind.Town).Select(u => u.Id).ToListAsync(),
            await db.ClosedPeriodFigures.AsNoTracking().Select(f => new { f.TownId, f.From, f.To, f.Figures }).ToListAsync()));
        Assert.NotEmpty(towns);
        foreach (var period in periods)
        {
            foreach (var t in towns)
            {
                Assert.Single(stored, s => s.TownId == t && s.From == period.From && s.To == period.To);
            }
        }

        // What was stored is what the town's report of that month computes from the cases (naming the town as the
        // report's unit takes the filtered path, which replays the cohort instead of reading the stored figures).
        var report = await ReportFixture.GetOkAsync(town, "/api/v1/reports?period=month&month=2026-10&unit=SCH");
        var sch = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == "SCH").Select(u => u.Id).SingleAsync());
        var october = stored.Single(s => s.TownId == sch && s.From == new DateOnly(2026, 10, 1) && s.To == new DateOnly(2026, 10, 31));
        var figures = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(october.Figures)!;
        Assert.Equal(ReportFixture.Figures(report)["registered"], figures["registered"]);
        Assert.True(figures["registered"] >= 3);
        Assert.Equal(ReportFixture.Figures(report)["assigned-once"], figures["assigned-once"]);

        // Every period is stored with its details (the reports' tables, rankings, lists), not its totals only.
        var details = await app.WithDbAsync(db => db.ClosedPeriodFigures.AsNoTracking().Where(f => f.Details != null).Select(f => new { f.TownId, f.From, f.To }).ToListAsync());
        foreach (var period in periods)
        {
            foreach (var t in towns)
            {
                Assert.Single(details, d => d.TownId == t && d.From == period.From && d.To == period.To);
            }
        }

        // A second pass finds everything stored: nothing is added.
        await warmup.RunPassAsync(default);
        Assert.Equal(stored.Count, await app.WithDbAsync(db => db.ClosedPeriodFigures.CountAsync()));
    }
}

public sealed class ClosedPeriodWarmupTests_Sqlite(SqliteApp app) : ClosedPeriodWarmupTests(app), IClassFixture<SqliteApp>;

public sealed class ClosedPeriodWarmupTests_Postgres(PostgresApp app) : ClosedPeriodWarmupTests(app), IClassFixture<PostgresApp>;
