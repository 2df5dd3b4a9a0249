using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

internal sealed class ReportSnapshotConfiguration : IEntityTypeConfiguration<ReportSnapshot>
{
    public void Configure(EntityTypeBuilder<ReportSnapshot> b)
    {
        b.ToTable("ReportSnapshots");
        b.HasKey(s => s.Id);
        b.Property(s => s.Month).HasMaxLength(7).IsRequired();
        b.Property(s => s.FiguresJson).IsRequired();
        b.Property(s => s.EventsHash).HasMaxLength(64).IsRequired();
        b.Property(s => s.CreatedBy).HasMaxLength(100).IsRequired();
        b.Property(s => s.CreatedByName).HasMaxLength(200).IsRequired();
        b.Property(s => s.Signature).HasMaxLength(64).IsRequired();
        // Once per town and month: a second freeze is refused (409), also when two race.
        b.HasIndex(s => new { s.TownId, s.Month }).IsUnique();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(s => s.TownId).OnDelete(DeleteBehavior.Restrict);
    }
}
