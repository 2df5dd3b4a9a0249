using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data.Configurations;

internal sealed class RatingAttemptConfiguration : IEntityTypeConfiguration<RatingAttempt>
{
    public void Configure(EntityTypeBuilder<RatingAttempt> b)
    {
        b.ToTable("RatingAttempts");
        b.HasKey(a => a.Id);
        // Every rating counts the case's attempts of the day.
        b.HasIndex(a => new { a.CaseId, a.At });
        b.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
