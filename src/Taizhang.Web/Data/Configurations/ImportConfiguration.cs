using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

public sealed class ImportSourceConfiguration : IEntityTypeConfiguration<ImportSource>
{
    public const int NameMaxLength = 64;

    public void Configure(EntityTypeBuilder<ImportSource> b)
    {
        b.Property(s => s.Name).HasMaxLength(NameMaxLength);
        b.Property(s => s.Mapping).HasMaxLength(4000);
        b.Property(s => s.UpdatedBy).HasMaxLength(128);
        b.HasIndex(s => new { s.TownId, s.Name }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(s => s.TownId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// Dedupe of imported rows: a table of its own, (SourceId, Reference) unique, written in the chunk's
/// transaction with the case. Chosen over a nullable ImportSourceId on Cases with a filtered unique
/// index: the case stays what every channel's case is (its ExternalRef is the source's reference, as
/// for an integration's ticket), the hot Cases table gets no column or index that only imports use,
/// and the row remembers its run (the ledger link "cases of this import") and the source's received
/// date, which the case has no place for. The database, not a look-up, decides: two uploads of the same
/// file at once cannot both create a row's case (the second chunk meets the index and is retried).
/// </summary>
public sealed class ImportedRowConfiguration : IEntityTypeConfiguration<ImportedRow>
{
    public void Configure(EntityTypeBuilder<ImportedRow> b)
    {
        b.Property(r => r.Reference).HasMaxLength(128);
        b.HasIndex(r => new { r.SourceId, r.Reference }).IsUnique();
        b.HasIndex(r => r.RunId);
        b.HasIndex(r => r.CaseId);
        b.HasOne<ImportSource>().WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ImportRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> b)
    {
        b.Property(r => r.ActorId).HasMaxLength(128);
        b.Property(r => r.ActorName).HasMaxLength(128);
        b.Property(r => r.FileName).HasMaxLength(260);
        b.Property(r => r.Status).HasMaxLength(16);
        b.HasIndex(r => new { r.TownId, r.StartedAt });
        b.HasOne<ImportSource>().WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Restrict);
    }
}
