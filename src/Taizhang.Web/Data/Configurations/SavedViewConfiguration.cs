using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Taizhang.Web.Data.Configurations;

public sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.Property(v => v.Name).HasMaxLength(SavedView.NameMaxLength);
        b.Property(v => v.Query).HasMaxLength(SavedView.QueryMaxLength);
        b.HasIndex(v => new { v.UserId, v.Name }).IsUnique();
        // A person's views go with their account.
        b.HasOne<AppUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
