using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

internal sealed class DisclosureConfiguration : IEntityTypeConfiguration<Disclosure>
{
    public void Configure(EntityTypeBuilder<Disclosure> b)
    {
        b.ToTable("Disclosures");
        b.HasKey(d => d.Id);
        b.Property(d => d.Title).HasMaxLength(Disclosure.TitleMaxLength).IsRequired();
        b.Property(d => d.Body).HasMaxLength(Disclosure.BodyMaxLength).IsRequired();
        b.Property(d => d.PublishedBy).HasMaxLength(100).IsRequired();
        b.Property(d => d.WithdrawReason).HasMaxLength(Disclosure.ReasonMaxLength);
        b.Ignore(d => d.Withdrawn);
        // A village's public page: its disclosures, newest first; the staff list by town.
        b.HasIndex(d => new { d.OrgUnitId, d.PublishedAt });
        b.HasIndex(d => new { d.TownId, d.PublishedAt });
        b.HasIndex(d => d.CaseId).HasFilter("\"CaseId\" IS NOT NULL");
        b.HasIndex(d => d.MeetingId).HasFilter("\"MeetingId\" IS NOT NULL");
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(d => d.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Meeting>().WithMany().HasForeignKey(d => d.MeetingId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DisclosureObjectionConfiguration : IEntityTypeConfiguration<DisclosureObjection>
{
    public void Configure(EntityTypeBuilder<DisclosureObjection> b)
    {
        b.ToTable("DisclosureObjections");
        b.HasKey(o => o.Id);
        b.Property(o => o.Text).HasMaxLength(DisclosureObjection.TextMaxLength).IsRequired();
        b.Property(o => o.ContactName).HasMaxLength(Disclosure.NameMaxLength);
        b.Property(o => o.ContactPhone).HasMaxLength(20);
        b.Property(o => o.Answer).HasMaxLength(DisclosureObjection.AnswerMaxLength);
        b.Property(o => o.AnsweredBy).HasMaxLength(100);
        b.Ignore(o => o.Reference);
        b.HasIndex(o => new { o.DisclosureId, o.SubmittedAt });
        b.HasIndex(o => new { o.TownId, o.Status });
        b.HasOne<Disclosure>().WithMany().HasForeignKey(o => o.DisclosureId).OnDelete(DeleteBehavior.Cascade);
    }
}
