using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data.Configurations;

internal sealed class CaseAttachmentConfiguration : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> b)
    {
        b.ToTable("CaseAttachments");
        b.HasKey(a => a.Id);
        b.Property(a => a.FileName).HasMaxLength(Case.AttachmentNameMaxLength).IsRequired();
        b.Property(a => a.ContentType).HasMaxLength(CaseAttachment.ContentTypeMaxLength).IsRequired();
        b.Property(a => a.Sha256).HasMaxLength(CaseEvent.HashLength).IsRequired();
        b.Property(a => a.ThumbnailSha256).HasMaxLength(CaseEvent.HashLength);
        b.Property(a => a.AddedById).HasMaxLength(128).IsRequired();
        b.Property(a => a.AddedByName).HasMaxLength(128).IsRequired();
        // A case's list, in the order added; also the foreign key's index.
        b.HasIndex(a => new { a.CaseId, a.Id });
        // Whether a stored file is still someone's (a failed save cleans up only a file nobody uses).
        b.HasIndex(a => a.Sha256);
        b.HasIndex(a => a.ThumbnailSha256).HasFilter("\"ThumbnailSha256\" IS NOT NULL");
        b.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
