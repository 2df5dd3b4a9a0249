using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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
        // A pointer, not a foreign key: the journal stays on the coordinator of a distributed database,
        // apart from the towns' shards (Data/TownDistribution.cs); the index keeps the look-up.
        b.HasIndex(m => m.CaseId);
    }
}
