using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

internal sealed class BodyConfiguration : IEntityTypeConfiguration<Body>
{
    public void Configure(EntityTypeBuilder<Body> b)
    {
        b.ToTable("MeetingBodies");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(Body.NameMaxLength).IsRequired();
        b.Ignore(x => x.ActiveMembers);
        // A unit's bodies (the meeting form's choice, the bodies list).
        b.HasIndex(x => new { x.OrgUnitId, x.Id });
        b.HasIndex(x => x.TownId);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(x => x.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Members).WithOne().HasForeignKey(m => m.BodyId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class BodyMemberConfiguration : IEntityTypeConfiguration<BodyMember>
{
    public void Configure(EntityTypeBuilder<BodyMember> b)
    {
        b.ToTable("MeetingBodyMembers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(Meeting.NameMaxLength).IsRequired();
        b.Property(x => x.Post).HasMaxLength(Meeting.PostMaxLength);
        b.HasIndex(x => new { x.BodyId, x.Seq }).IsUnique();
        b.HasIndex(x => x.UserId).HasFilter("\"UserId\" IS NOT NULL");
    }
}

internal sealed class MeetingAttachmentConfiguration : IEntityTypeConfiguration<MeetingAttachment>
{
    public void Configure(EntityTypeBuilder<MeetingAttachment> b)
    {
        b.ToTable("MeetingAttachments");
        b.HasKey(a => a.Id);
        b.Property(a => a.FileName).HasMaxLength(Case.AttachmentNameMaxLength).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(CaseAttachment.ContentTypeMaxLength).IsRequired();
        b.Property(a => a.Sha256).HasMaxLength(CaseEvent.HashLength).IsRequired();
        b.Property(a => a.ThumbnailSha256).HasMaxLength(CaseEvent.HashLength);
        b.Property(a => a.AddedById).HasMaxLength(128).IsRequired();
        b.Property(a => a.AddedByName).HasMaxLength(128).IsRequired();
        b.HasIndex(a => new { a.MeetingId, a.Id });
        b.HasIndex(a => a.Sha256);
        b.HasOne<Meeting>().WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Restrict);
    }
}
