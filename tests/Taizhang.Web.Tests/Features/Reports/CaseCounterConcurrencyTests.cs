using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The county counters under concurrent writers on PostgreSQL (several nodes, or the intake writer next to a
/// handler's transition): two transactions that change cases of two villages of one town in opposite orders
/// must not deadlock on the counter rows (they used to: each held a village's status row and the town's month
/// fact row, and waited for the other's), and afterwards the counters still equal a full recount.
/// Also many concurrent registrations and triages through HTTP while compactions run: none fails, and the
/// counters (base + deltas) equal a recount.
/// </summary>
public sealed class CaseCounterConcurrencyTests_Postgres(PostgresApp app) : IClassFixture<PostgresApp>
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    private async Task<(string[] Statuses, string[] Facts)> ReadCountersAsync() => await app.WithDbAsync(async db =>
    {
        // What the readers see: base rows plus the deltas not yet folded in.
        var statuses = await db.Database.SqlQueryRaw<string>(
            """
            SELECT concat_ws('|', "TownId", "OrgUnitId", "Status", SUM("Count")) AS "Value"
            FROM (SELECT "TownId", "OrgUnitId", "Status", "Count" FROM "CaseStatusCounts"
                  UNION ALL SELECT "TownId", "OrgUnitId", "Status", "Count" FROM "CaseStatusCountDeltas") s
            GROUP BY "TownId", "OrgUnitId", "Status" HAVING SUM("Count") <> 0
            """).ToListAsync();
        const string facts = "\"TownId\", \"Month\", \"Status\", \"Outcome\", \"Satisfaction\", \"OnTime\", \"Reopened\", \"FollowedUp\", \"Returned\", \"AssignedOnce\", \"ContactedInTime\", \"ResolvedByResident\"";
        var factRows = await db.Database.SqlQueryRaw<string>(
            $"""
            SELECT concat_ws('|', {facts}, SUM("Count")) AS "Value"
            FROM (SELECT {facts}, "Count" FROM "CaseFactCounts" UNION ALL SELECT {facts}, "Count" FROM "CaseFactCountDeltas") f
            GROUP BY {facts} HAVING SUM("Count") <> 0
            """).ToListAsync();
        return (statuses.Order(StringComparer.Ordinal).ToArray(), factRows.Order(StringComparer.Ordinal).ToArray());
    });

    private async Task AssertCountersEqualRecountAsync()
    {
        var kept = await ReadCountersAsync();
        Assert.NotEmpty(kept.Statuses);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.ServiceProvider.GetRequiredService<CalendarOptions>().TimeZone);
            Assert.NotNull(await CaseCounterSql.EnsureAsync(db, zone, force: true, default));
        }
        var recounted = await ReadCountersAsync();
        Assert.Equal(recounted.Statuses, kept.Statuses);
        Assert.Equal(recounted.Facts, kept.Facts);
    }

    [Fact]
    public async Task TwoTransactions_ChangingTwoVillagesInOppositeOrders_DoNotDeadlock_AndTheCountersEqualARecount()
    {
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await _town.RegisterIdAsync(CaseApi.NewCase(title: $"并发计数 {i}")));
        }
        var (x, y) = await app.WithDbAsync(async db =>
        {
            var villages = await db.OrgUnits.AsNoTracking().Where(u => u.Code == "SCH-MJC" || u.Code == "SCH-WJC")
                .OrderBy(u => u.Code).Select(u => u.Id).ToListAsync();
            return (villages[0], villages[1]);
        });
        // Cases 0 and 3 at village X, 1 and 2 at village Y (as a village's intake would register them).
        await app.WithDbAsync(async db =>
        {
            await db.Cases.Where(c => c.Id == ids[0] || c.Id == ids[3]).ExecuteUpdateAsync(s => s.SetProperty(c => c.OrgUnitId, x));
            return await db.Cases.Where(c => c.Id == ids[1] || c.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(c => c.OrgUnitId, y));
        });

        // Each transaction changes a counted column of one case, waits for the other to have done the same
        // (or 3 s, when the other is blocked), then changes a case of the other village, and commits.
        using var firstDone = new CountdownEvent(2);
        async Task<string> RunAsync(long first, long second)
        {
            await using var conn = new NpgsqlConnection(app.DatabaseConnectionString);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            try
            {
                await using (var cmd = new NpgsqlCommand("UPDATE \"Cases\" SET \"ReopenCount\" = \"ReopenCount\" + 1 WHERE \"Id\" = $1", conn, tx))
                {
                    cmd.Parameters.AddWithValue(first);
                    await cmd.ExecuteNonQueryAsync();
                }
                firstDone.Signal();
                firstDone.Wait(TimeSpan.FromSeconds(3));
                await using (var cmd = new NpgsqlCommand("UPDATE \"Cases\" SET \"FollowUpCount\" = \"FollowUpCount\" + 1 WHERE \"Id\" = $1", conn, tx))
                {
                    cmd.Parameters.AddWithValue(second);
                    await cmd.ExecuteNonQueryAsync();
                }
                await tx.CommitAsync();
                return "ok";
            }
            catch (PostgresException e)
            {
                return $"{e.SqlState}: {e.MessageText}";
            }
        }
        var results = await Task.WhenAll(Task.Run(() => RunAsync(ids[0], ids[1])), Task.Run(() => RunAsync(ids[2], ids[3])));
        Assert.Equal(["ok", "ok"], results);
        Assert.Equal(4, await app.WithDbAsync(db => db.Cases.CountAsync(c => ids.Contains(c.Id) && c.ReopenCount + c.FollowUpCount == 1)));
        await AssertCountersEqualRecountAsync();
    }

    [Fact]
    public async Task ConcurrentRegistrationsAndTriages_ThroughHttp_AllSucceed_AndTheCountersEqualARecount()
    {
        var cadre = app.SharedClientAs("cadre");
        var cadreWjc = app.SharedClientAs("cadre-wjc");
        var existing = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            existing.Add(await _town.RegisterIdAsync(CaseApi.NewCase(title: $"待分流 {i}", orgUnit: i % 2 == 0 ? "SCH-WJC" : "SCH-MJC")));
        }
        var work = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var client = i % 2 == 0 ? cadre : cadreWjc;
            var n = i;
            work.Add(Task.Run(async () => await client.RegisterIdAsync(CaseApi.NewCase(title: $"村里登记 {n}", orgUnit: n % 2 == 0 ? "SCH-MJC" : "SCH-WJC"))));
            var id = existing[i];
            work.Add(Task.Run(async () => await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = n % 2 == 0 ? "SCH-MJC" : "SCH-WJC" })));
        }
        // Compactions run all along (as the job leader's would, only more often): none loses or doubles a delta.
        using var stop = new CancellationTokenSource();
        var compactor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await app.WithDbAsync(db => CaseCounterSql.CompactAsync(db, default));
                await Task.Delay(10);
            }
        });
        await Task.WhenAll(work);
        await stop.CancelAsync();
        await compactor;
        await AssertCountersEqualRecountAsync();
    }
}
