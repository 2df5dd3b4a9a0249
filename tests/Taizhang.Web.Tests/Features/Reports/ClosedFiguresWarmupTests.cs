using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The closed periods' warm-up (<see cref="ClosedFiguresWarmup"/>): one pass persists every town's last twelve
/// closed months and last year, each equal to that month's report computed from the cases, so the county board's
/// first request reads them instead of replaying; a second pass computes nothing again.
/// </summary>
public abstract class ClosedFiguresWarmupTests(TaizhangApp app)
{
    [Fact]
    public async Task OnePass_PersistsEveryTownsClosedMonthsAndLastYear_EqualToTheReports()
    {
        var town = app.ClientAs("town");
        // September and October cases: registered, resolved, followed up.
        foreach (var (day, n) in new[] { (new DateTimeOffset(2026, 9, 14, 2, 0, 0, TimeSpan.Zero), 2), (new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero), 3) })
        {
            app.Clock.SetUtcNow(day);
            for (var i = 0; i < n; i++)
            {
                var id = await town.RegisterIdAsync(CaseApi.NewCase(title: $"预计算 {day:MM} {i}"));
                await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
                if (i > 0)
                {
                    await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理" });
                }
            }
        }
        app.Clock.SetUtcNow(TaizhangApp.Start);
        Assert.Equal(0, await app.WithDbAsync(db => db.ClosedPeriodFigures.CountAsync()));

        var warmup = app.Services.GetServices<IHostedService>().OfType<ClosedFiguresWarmup>().Single();
        await warmup.WarmAsync(default);

        var towns = await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Kind == Taizhang.Domain.Organization.OrgUnitKind.Town));
        var stored = await app.WithDbAsync(db => db.ClosedPeriodFigures.AsNoTracking().Select(f => new { f.TownId, f.From, f.To, f.ComputedAt }).ToListAsync());
        // 2026-11-26: December 2025 to October 2026 are closed (11 months), November is running; and the year 2025.
        Assert.Equal(towns * 12, stored.Count);
        var sch = await app.UnitIdAsync("SCH");
        Assert.Contains(stored, f => f.TownId == sch && f.From == new DateOnly(2025, 1, 1) && f.To == new DateOnly(2025, 12, 31));
        Assert.DoesNotContain(stored, f => f.From == new DateOnly(2026, 11, 1));

        // A second pass finds everything persisted: nothing is computed (or stored) again.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await warmup.WarmAsync(default);
        var again = await app.WithDbAsync(db => db.ClosedPeriodFigures.AsNoTracking().Select(f => new { f.TownId, f.From, f.To, f.ComputedAt }).ToListAsync());
        Assert.Equal(stored.OrderBy(f => f.TownId).ThenBy(f => f.From), again.OrderBy(f => f.TownId).ThenBy(f => f.From));

        // What was persisted is what the report of that month computes from the cases.
        var quarter = await ReportFixture.GetOkAsync(town, "/api/v1/reports?period=quarter");
        var trend = quarter["trends"]!.AsArray().ToDictionary(t => t!["month"]!.GetValue<string>(), t => t!.AsObject());
        foreach (var (month, to) in new[] { ("2026-09", "2026-09-30"), ("2026-10", "2026-10-31") })
        {
            var report = await ReportFixture.GetOkAsync(town, $"/api/v1/reports?period=custom&from={month}-01&to={to}");
            Assert.Equal(ReportFixture.Figures(report)["registered"], trend[month]["registered"]!.GetValue<int>());
            Assert.True(ReportFixture.Figures(report)["registered"] > 0);
        }

    }
}

public sealed class ClosedFiguresWarmupTests_Sqlite(SqliteApp app) : ClosedFiguresWarmupTests(app), IClassFixture<SqliteApp>;

public sealed class ClosedFiguresWarmupTests_Postgres(PostgresApp app) : ClosedFiguresWarmupTests(app), IClassFixture<PostgresApp>;
