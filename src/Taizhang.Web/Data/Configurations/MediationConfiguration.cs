using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

// The mediation's tables: Mediations (one per case) and its children MediationParties,
// MediationSessions, MediationExtensions, MediationFollowUps, each with TownId (the distribution key).
// Enums are stored as their numbers, as everywhere else.

internal sealed class MediationFileConfiguration : IEntityTypeConfiguration<MediationFile>
{
    public void Configure(EntityTypeBuilder<MediationFile> b)
    {
        b.ToTable("Mediations");
        b.HasKey(m => m.Id);
        b.HasIndex(m => m.CaseId).IsUnique();
        // The figures: a town's mediations by acceptance date (rates by month, type, risk grade).
        b.HasIndex(m => new { m.TownId, m.AcceptedOn });
        b.Property(m => m.Summary).HasMaxLength(MediationFile.TextMaxLength).IsRequired();
        b.Property(m => m.AmountInvolved).HasPrecision(18, 2);
        b.Property(m => m.LeaderName).HasMaxLength(MediationFile.NameMaxLength).IsRequired();
        b.Property(m => m.LeaderPost).HasMaxLength(MediationFile.PostMaxLength);
        b.Property(m => m.Mediators).HasMaxLength(MediationFile.PostMaxLength).IsRequired();
        b.Property(m => m.AgreementFacts).HasMaxLength(MediationFile.TextMaxLength);
        b.Property(m => m.AgreementDisputes).HasMaxLength(MediationFile.TextMaxLength);
        b.Property(m => m.AgreementResponsibilities).HasMaxLength(MediationFile.TextMaxLength);
        b.Property(m => m.AgreementTerms).HasMaxLength(MediationFile.TextMaxLength);
        b.Property(m => m.PerformanceManner).HasMaxLength(MediationFile.ShortTextMaxLength);
        b.Property(m => m.PerformancePlace).HasMaxLength(MediationFile.AddressMaxLength);
        b.Property(m => m.JudicialCourt).HasMaxLength(MediationFile.PostMaxLength);
        b.Property(m => m.JudicialResult).HasMaxLength(MediationFile.ShortTextMaxLength);
        b.Property(m => m.OutcomeNote).HasMaxLength(MediationFile.ShortTextMaxLength);
        b.Property(m => m.Version).IsConcurrencyToken();
        b.Ignore(m => m.HasAgreement);
        b.Ignore(m => m.NeedsChasing);
        b.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Restrict);

        b.HasMany(m => m.Parties).WithOne().HasForeignKey(p => p.MediationId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Sessions).WithOne().HasForeignKey(s => s.MediationId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.Extensions).WithOne().HasForeignKey(e => e.MediationId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.FollowUps).WithOne().HasForeignKey(f => f.MediationId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(m => m.Parties).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(m => m.Sessions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(m => m.Extensions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(m => m.FollowUps).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MediationPartyConfiguration : IEntityTypeConfiguration<MediationParty>
{
    public void Configure(EntityTypeBuilder<MediationParty> b)
    {
        b.ToTable("MediationParties");
        b.HasKey(p => p.Id);
        b.HasIndex(p => new { p.MediationId, p.Seq }).IsUnique();
        b.Property(p => p.Name).HasMaxLength(MediationFile.NameMaxLength).IsRequired();
        b.Property(p => p.Phone).HasMaxLength(MediationFile.PhoneMaxLength);
        b.Property(p => p.IdType).HasMaxLength(MediationFile.NameMaxLength);
        b.Property(p => p.IdNumber).HasMaxLength(MediationFile.IdMaxLength);
        b.Property(p => p.Address).HasMaxLength(MediationFile.AddressMaxLength);
    }
}

internal sealed class MediationSessionConfiguration : IEntityTypeConfiguration<MediationSession>
{
    public void Configure(EntityTypeBuilder<MediationSession> b)
    {
        b.ToTable("MediationSessions");
        b.HasKey(s => s.Id);
        b.HasIndex(s => new { s.MediationId, s.Seq }).IsUnique();
        b.Property(s => s.Mediators).HasMaxLength(MediationFile.PostMaxLength).IsRequired();
        b.Property(s => s.PartiesPresent).HasMaxLength(MediationFile.ShortTextMaxLength);
        b.Property(s => s.Record).HasMaxLength(MediationFile.TextMaxLength).IsRequired();
        b.Property(s => s.Outcome).HasMaxLength(MediationFile.ShortTextMaxLength);
        // The participating units (a JSON array on SQLite, bigint[] on PostgreSQL); who keeps reading the case is CaseParticipants.
        b.PrimitiveCollection(s => s.UnitIds).IsRequired();
    }
}

internal sealed class MediationExtensionConfiguration : IEntityTypeConfiguration<MediationExtension>
{
    public void Configure(EntityTypeBuilder<MediationExtension> b)
    {
        b.ToTable("MediationExtensions");
        b.HasKey(e => e.Id);
        b.HasIndex(e => new { e.MediationId, e.Seq }).IsUnique();
        b.Property(e => e.Reason).HasMaxLength(MediationFile.ShortTextMaxLength).IsRequired();
    }
}

internal sealed class MediationFollowUpConfiguration : IEntityTypeConfiguration<MediationFollowUp>
{
    public void Configure(EntityTypeBuilder<MediationFollowUp> b)
    {
        b.ToTable("MediationFollowUps");
        b.HasKey(f => f.Id);
        b.HasIndex(f => new { f.MediationId, f.Seq }).IsUnique();
        b.Property(f => f.Note).HasMaxLength(MediationFile.ShortTextMaxLength);
    }
}

internal sealed class CaseParticipantConfiguration : IEntityTypeConfiguration<CaseParticipant>
{
    public void Configure(EntityTypeBuilder<CaseParticipant> b)
    {
        b.ToTable("CaseParticipants");
        b.HasKey(p => p.Id);
        // The access check is an EXISTS on (UnitId, CaseId): this index answers it alone. One row per unit and case.
        b.HasIndex(p => new { p.UnitId, p.CaseId }).IsUnique();
        // A case's participants (the mediation page), and the foreign key.
        b.HasIndex(p => p.CaseId);
        b.Property(p => p.Reason).HasMaxLength(CaseParticipant.ReasonMaxLength).IsRequired();
        b.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
