using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data.Configurations;

internal sealed class LegacyTrackingCodeConfiguration : IEntityTypeConfiguration<LegacyTrackingCode>
{
    public void Configure(EntityTypeBuilder<LegacyTrackingCode> b)
    {
        b.ToTable("LegacyTrackingCodes");
        b.HasKey(l => l.Code);
        b.Property(l => l.Code).HasMaxLength(16);
        b.HasOne<Case>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
