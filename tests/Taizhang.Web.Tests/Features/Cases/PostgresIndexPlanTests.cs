using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// PostgreSQL's own indexes (<see cref="PostgresTaizhangDb"/>), asked of the planner. The partial index of the clocked, unsuspended cases by due date (<c>IX_Cases_Clocked_TownId_DueAt</c>,
/// <see cref="PostgresTaizhangDb.ClockedFilter"/>): the board's and the ledger's overdue and due-soon lists read it in
/// due-date order, and their counts from its entries. PostgreSQL uses a partial index only when it can prove the query's
/// conditions imply the index's filter, so this asks the planner, with the alternatives switched off, whether the
/// ledger's conditions (as EF sends them: the statuses as an IN list of names) are served: a change to the clocked
/// statuses, to the filter's text or to the query's shape that breaks the proof fails here, not as a slow board at a
/// million cases (docs/BENCHMARKS.md, "PostgreSQL at county scope, the afternoon of 2026-12-07").
/// </summary>
public sealed class PostgresIndexPlanTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private static readonly string Clocked = string.Join(", ", Lifecycle.ClockedStatuses.Select(s => $"'{s}'"));

    [Theory]
    // A town's overdue cases by due date: one range of the index, in order (no sort).
    [InlineData("c.\"TownId\" = 1 AND {clocked} AND c.\"SuspendedAt\" IS NULL AND c.\"DueAt\" <= now() ORDER BY c.\"DueAt\", c.\"Id\" LIMIT 10", false)]
    // Due soon (the next 24 hours), the same way.
    [InlineData("c.\"TownId\" = 1 AND {clocked} AND c.\"SuspendedAt\" IS NULL AND c.\"DueAt\" > now() AND c.\"DueAt\" <= now() + interval '1 day' ORDER BY c.\"DueAt\", c.\"Id\" LIMIT 10", false)]
    // The county's (several towns): the entries of each town's range, then sorted.
    [InlineData("c.\"TownId\" = ANY (ARRAY[1, 2, 3]::bigint[]) AND {clocked} AND c.\"SuspendedAt\" IS NULL AND c.\"DueAt\" <= now() ORDER BY c.\"DueAt\", c.\"Id\" LIMIT 10", true)]
    public async Task TheOverdueAndDueSoonLists_AreReadFromThePartialIndex(string where, bool sorted)
    {
        var plan = await ExplainAsync("SELECT c.\"Id\" FROM \"Cases\" AS c WHERE " + where.Replace("{clocked}", $"c.\"Status\" IN ({Clocked})"), allowSort: sorted);
        Assert.Contains("Index Only Scan using \"IX_Cases_Clocked_TownId_DueAt\"", plan);
        Assert.Equal(sorted, plan.Contains("Sort", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOverdueCount_IsReadFromThePartialIndexAlone()
    {
        var plan = await ExplainAsync($"SELECT count(*) FROM \"Cases\" AS c WHERE c.\"TownId\" = ANY (ARRAY[1, 2]::bigint[]) AND c.\"Status\" IN ({Clocked}) AND c.\"SuspendedAt\" IS NULL AND c.\"DueAt\" <= now()", allowSort: true);
        Assert.Contains("Index Only Scan using \"IX_Cases_Clocked_TownId_DueAt\"", plan);
    }

    [Fact]
    public async Task ASuspendedOrClosedCase_IsNotServedByTheIndex()
    {
        // The index holds only clocked, unsuspended cases: a query for suspended ones cannot use it (the filter is real).
        var plan = await ExplainAsync($"SELECT c.\"Id\" FROM \"Cases\" AS c WHERE c.\"TownId\" = 1 AND c.\"Status\" IN ({Clocked}) AND c.\"SuspendedAt\" IS NOT NULL ORDER BY c.\"DueAt\", c.\"Id\" LIMIT 10", allowSort: true);
        Assert.DoesNotContain("IX_Cases_Clocked_TownId_DueAt", plan);
    }

    [Fact]
    public async Task ACountyBureausCases_AreCountedAndPagedFromTheAssigneeIndexAlone()
    {
        // The caller's towns and the page's ids are in the entries (TownId last, Id included): no row is read to test the town or to sort.
        const string where = "c.\"TownId\" = ANY (ARRAY[1, 2]::bigint[]) AND c.\"AssigneeUnitId\" IS NOT NULL AND c.\"AssigneeUnitId\" = ANY (ARRAY[7]::bigint[])";
        Assert.Contains("Index Only Scan using \"IX_Cases_AssigneeUnitId_Status_RegisteredAt_TownId\"",
            await ExplainAsync("SELECT count(*) FROM \"Cases\" AS c WHERE " + where, allowSort: true));
        Assert.Contains("Index Only Scan using \"IX_Cases_AssigneeUnitId_Status_RegisteredAt_TownId\"",
            await ExplainAsync("SELECT c.\"Id\" FROM \"Cases\" AS c WHERE " + where + " ORDER BY c.\"RegisteredAt\" DESC, c.\"Id\" DESC LIMIT 20", allowSort: true));
    }

    [Fact]
    public async Task EachTownsLateCases_AreReadFromThePartialIndex()
    {
        // The county's "on time = no" merged town by town, as ListCases sends it (one LATERAL subquery, the town correlated
        // through an expression): the index's filter is the query's own condition, so each town's newest late cases are
        // its last entries.
        var plan = await ExplainAsync("""
            SELECT k."Id" FROM "OrgUnits" AS o
            JOIN LATERAL (
                SELECT c."Id", c."RegisteredAt" FROM "Cases" AS c
                WHERE c."ResolvedAt" IS NOT NULL AND c."ResolvedAt" >= c."DueAt" AND c."TownId" = o."Id" + 0
                ORDER BY c."RegisteredAt" DESC, c."Id" DESC LIMIT 20) AS k ON TRUE
            WHERE o."Id" = ANY (ARRAY[1, 2]::bigint[])
            """, allowSort: true);
        Assert.Contains("using \"IX_Cases_Late_TownId_RegisteredAt\"", plan);
    }

    [Fact]
    public async Task TheCasesTable_IsVacuumedAfterOnePercentChanged()
    {
        var options = await app.WithDbAsync(db => db.Database
            .SqlQueryRaw<string>("SELECT unnest(reloptions) AS \"Value\" FROM pg_class WHERE relname = 'Cases'").ToListAsync());
        Assert.Contains("autovacuum_vacuum_scale_factor=0.01", options);
        Assert.Contains("autovacuum_vacuum_insert_scale_factor=0.01", options);
    }

    /// <summary>The plan PostgreSQL would choose with sequential and bitmap scans (and, unless allowed, sorts) switched off.</summary>
    private Task<string> ExplainAsync(string sql, bool allowSort) => app.WithDbAsync(async db =>
    {
        // The statements are this class's own constants (no input): EF1003 does not apply.
#pragma warning disable EF1003
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"
            + (allowSort ? "" : "; SET LOCAL enable_sort = off"));
        var lines = await db.Database.SqlQueryRaw<string>("EXPLAIN " + sql).ToListAsync();
#pragma warning restore EF1003
        return string.Join("\n", lines);
    });
}
