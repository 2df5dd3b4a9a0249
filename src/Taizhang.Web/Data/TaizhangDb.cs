using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data;

/// <summary>
/// The one database. Abstract so that each provider has its own subclass and its own
/// migration set (Migrations/Sqlite, Migrations/Postgres), always added together.
/// </summary>
public abstract class TaizhangDb(DbContextOptions options) : IdentityUserContext<AppUser, long>(options), IDataProtectionKeyContext
{
    /// <summary>
    /// The keys that protect cookies and antiforgery tokens, in the database rather than in a home
    /// folder: sessions survive a reinstall or a new container, and several web nodes share them.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<CaseReporter> CaseReporters => Set<CaseReporter>();
    public DbSet<CaseText> CaseTexts => Set<CaseText>();
    public DbSet<CaseGram> CaseGrams => Set<CaseGram>();
    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<UserPost> UserPosts => Set<UserPost>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<HolidayCalendarYear> HolidayCalendars => Set<HolidayCalendarYear>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<AdminEvent> AdminEvents => Set<AdminEvent>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<CaseAttachment> CaseAttachments => Set<CaseAttachment>();
    public DbSet<RatingAttempt> RatingAttempts => Set<RatingAttempt>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ImportSource> ImportSources => Set<ImportSource>();
    public DbSet<ImportedRow> ImportedRows => Set<ImportedRow>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<Taizhang.Domain.Mediation.MediationFile> Mediations => Set<Taizhang.Domain.Mediation.MediationFile>();
    public DbSet<CaseParticipant> CaseParticipants => Set<CaseParticipant>();
    public DbSet<OutcomeTally> OutcomeTallies => Set<OutcomeTally>();
    public DbSet<CaseStatusCount> CaseStatusCounts => Set<CaseStatusCount>();
    public DbSet<CaseFactCount> CaseFactCounts => Set<CaseFactCount>();
    public DbSet<CaseStatusCountDelta> CaseStatusCountDeltas => Set<CaseStatusCountDelta>();
    public DbSet<CaseFactCountDelta> CaseFactCountDeltas => Set<CaseFactCountDelta>();
    public DbSet<CaseKindCount> CaseKindCounts => Set<CaseKindCount>();
    public DbSet<CaseKindCountDelta> CaseKindCountDeltas => Set<CaseKindCountDelta>();
    public DbSet<ClosedPeriodFigures> ClosedPeriodFigures => Set<ClosedPeriodFigures>();
    public DbSet<CaseBreakdownCount> CaseBreakdownCounts => Set<CaseBreakdownCount>();
    public DbSet<CaseBreakdownCountDelta> CaseBreakdownCountDeltas => Set<CaseBreakdownCountDelta>();
    public DbSet<CaseUnitEventCount> CaseUnitEventCounts => Set<CaseUnitEventCount>();
    public DbSet<CaseUnitEventCountDelta> CaseUnitEventCountDeltas => Set<CaseUnitEventCountDelta>();

    /// <summary>
    /// Every case saved through EF (the demo, seeded data, any path but the intake writer and imports,
    /// which insert their rows themselves) gets its full-text index row in the same SaveChanges.
    /// </summary>
    private void IndexNewCases()
    {
        foreach (var entry in ChangeTracker.Entries<Case>().Where(e => e.State == EntityState.Added).ToList())
        {
            CaseGrams.Add(new CaseGram(entry.Entity));
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        IndexNewCases();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        IndexNewCases();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
    public DbSet<LegacyTrackingCode> LegacyTrackingCodes => Set<LegacyTrackingCode>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TaizhangDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: the ledger stays readable in ad-hoc SQL and reports.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}

public sealed class SqliteTaizhangDb(DbContextOptions<SqliteTaizhangDb> options) : TaizhangDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite keeps no kind on DateTime: everything stored is UTC, so say so when reading.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class PostgresTaizhangDb(DbContextOptions<PostgresTaizhangDb> options) : TaizhangDb(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Keys a distributed PostgreSQL (Citus) can enforce inside one town's shard (docs/SCALING.md).
        TownDistribution.ApplyTownKeys(modelBuilder);
        var cases = modelBuilder.Entity<Case>();
        // The overdue and due-soon lists by due date (the board's, and the ledger's "overdue, sort=dueAt") at county scope:
        // through (TownId, Status, DueAt, …) PostgreSQL 15 cannot read 40 towns × 7 statuses of ranges in due-date order,
        // so it fetched and sorted the rows of the county's 22,000 overdue cases (40 ms). Here each town's clocked cases
        // are one range in due-date order with the id for the tie-break: the page and the count from index entries alone
        // (5 ms). Only open, unsuspended cases are in it. PostgreSQL only: SQLite reads the wider index in order already
        // (docs/BENCHMARKS.md, "PostgreSQL at county scope, the afternoon of 2026-12-07"), and its intake is the one short of its target.
        cases.HasIndex(c => new { c.TownId, c.DueAt, c.Id }, "IX_Cases_Clocked_TownId_DueAt")
            .HasFilter(ClockedFilter);
        // A county bureau's cases (the ledger's assignee filter at county scope, 23,000 of them): the page's ids from the
        // index entries too, not from each case's row (PostgreSQL's entries hold no id; SQLite's hold the rowid, which is the
        // id). Count 70 → 7 ms, page 49 → 7 ms at 1,000,000 cases. The same entries, a little wider.
        cases.HasIndex(c => new { c.AssigneeUnitId, c.Status, c.RegisteredAt, c.TownId }).IncludeProperties(c => new { c.Id });
        // The id in the status index's entries as well: with the assignee index covering (TownId, Status, RegisteredAt, Id),
        // the county's "assigned or in progress" page was planned as a scan of all 1,000,000 of its entries (150 ms) rather
        // than the status index's 80 ranges plus a row read each (27 ms); with the id here those ranges answer alone (11 ms).
        cases.HasIndex(c => new { c.TownId, c.Status, c.DueAt, c.SuspendedAt, c.RegisteredAt }).IncludeProperties(c => new { c.Id });
        // Autovacuum after 1 % of the cases changed or were added, not 20 % (200,000 rows at a million): until a vacuum marks a
        // changed page all-visible, a count or page answered from index entries (the overdue cases, a channel, a unit) reads
        // the row of each entry on it. The deadline watch's first round on the benchmark's county reminded 15,000 overdue
        // cases: the county's overdue count read 22,665 rows (44 ms), 8 ms after the vacuum this setting starts within a
        // minute. A vacuum of the million-case table takes ~3 s. Statistics after 2 % (the planner's row estimates).
        cases.HasStorageParameter("autovacuum_vacuum_scale_factor", 0.01)
            .HasStorageParameter("autovacuum_vacuum_insert_scale_factor", 0.01)
            .HasStorageParameter("autovacuum_analyze_scale_factor", 0.02);
    }

    /// <summary>
    /// The ledger's "clocked and not suspended" (<see cref="Lifecycle.ClockedStatuses"/>, no SuspendedAt) as the overdue and
    /// due-soon filters send it, so that PostgreSQL proves the partial index serves them.
    /// </summary>
    public static readonly string ClockedFilter =
        "\"Status\" IN (" + string.Join(", ", Lifecycle.ClockedStatuses.Select(s => $"'{s}'")) + ") AND \"SuspendedAt\" IS NULL";
}

internal sealed class UtcDateTimeConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
