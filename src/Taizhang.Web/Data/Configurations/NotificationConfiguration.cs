using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Address).HasMaxLength(Notification.AddressMaxLength).IsRequired();
        b.Property(n => n.TemplateKey).HasMaxLength(64).IsRequired();
        b.Property(n => n.Parameters).IsRequired();
        b.Property(n => n.LastError).HasMaxLength(Notification.ErrorMaxLength);
        b.Property(n => n.ClaimToken).HasMaxLength(64);
        // The sender's question: what is due (status, then the time of the next attempt).
        b.HasIndex(n => new { n.Status, n.NextAttemptAt });
        // The admin list of a town, newest first; a case's notifications.
        b.HasIndex(n => new { n.TownId, n.Id });
        b.HasIndex(n => n.CaseId);
        b.HasIndex(n => n.ClaimToken).HasFilter("\"ClaimToken\" IS NOT NULL");
        b.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
