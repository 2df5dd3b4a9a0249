using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;

namespace Taizhang.Web.Data.Configurations;

internal sealed class OutcomeTallyConfiguration : IEntityTypeConfiguration<OutcomeTally>
{
    public void Configure(EntityTypeBuilder<OutcomeTally> b)
    {
        b.ToTable("OutcomeTallies");
        b.HasKey(t => t.Id);
        b.Property(t => t.MeasureKey).HasMaxLength(OutcomeMeasure.KeyMaxLength).IsRequired();
        b.Property(t => t.RecordedBy).HasMaxLength(100).IsRequired();
        // The reports: a town's (or a unit's) tallies of a period.
        b.HasIndex(t => new { t.TownId, t.RecordedAt });
        b.HasIndex(t => new { t.OrgUnitId, t.RecordedAt });
        b.HasIndex(t => t.CaseId).HasFilter("\"CaseId\" IS NOT NULL");
        b.HasIndex(t => t.MeetingId).HasFilter("\"MeetingId\" IS NOT NULL");
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(t => t.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Case>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Meeting>().WithMany().HasForeignKey(t => t.MeetingId).OnDelete(DeleteBehavior.Restrict);
    }
}
