using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data.Configurations;

public sealed class WeChatInboundConfiguration : IEntityTypeConfiguration<WeChatInbound>
{
    public void Configure(EntityTypeBuilder<WeChatInbound> b)
    {
        b.ToTable("WeChatInbound");
        b.Property(m => m.DedupeKey).HasMaxLength(WeChatInbound.DedupeKeyMaxLength);
        b.Property(m => m.Kind).HasMaxLength(64);
        // A retry of the same message (or event) never makes a second row.
        b.HasIndex(m => m.DedupeKey).IsUnique();
        b.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
