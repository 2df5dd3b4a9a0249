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
    }
}

internal sealed class UtcDateTimeConverter()
    : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
