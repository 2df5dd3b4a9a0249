using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(64).IsRequired();
        b.HasMany(u => u.Posts).WithOne().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserPostConfiguration : IEntityTypeConfiguration<UserPost>
{
    public void Configure(EntityTypeBuilder<UserPost> b)
    {
        b.ToTable("UserPosts");
        b.HasKey(p => p.Id);
        b.HasIndex(p => new { p.UserId, p.Role, p.OrgUnitId }).IsUnique();
        b.HasOne(p => p.OrgUnit).WithMany().HasForeignKey(p => p.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.ToTable("ApiClients");
        b.HasKey(c => c.Id);
        b.Property(c => c.Name).HasMaxLength(100).IsRequired();
        b.HasIndex(c => c.Name).IsUnique();
        b.Property(c => c.AllowedChannels).HasMaxLength(300).IsRequired();
        b.Property(c => c.TokenPrefix).HasMaxLength(32).IsRequired();
        b.HasIndex(c => c.TokenPrefix).IsUnique();
        b.Property(c => c.TokenHash).HasMaxLength(64).IsRequired();
        b.Property(c => c.CreatedBy).HasMaxLength(128).IsRequired();
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(c => c.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> b)
    {
        b.ToTable("SignInFailures");
        b.HasKey(f => f.Id);
        b.Property(f => f.Address).HasMaxLength(64).IsRequired();
        // Every sign-in counts an address's and an account's recent failures; old rows go by At.
        b.HasIndex(f => new { f.Address, f.At });
        b.HasIndex(f => new { f.UserId, f.At });
        b.HasIndex(f => f.At);
        b.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HolidayCalendarYearConfiguration : IEntityTypeConfiguration<HolidayCalendarYear>
{
    public void Configure(EntityTypeBuilder<HolidayCalendarYear> b)
    {
        b.ToTable("HolidayCalendars");
        b.HasKey(y => y.Year);
        b.Property(y => y.Year).ValueGeneratedNever();
        b.Property(y => y.Json).IsRequired();
        b.Property(y => y.UpdatedBy).HasMaxLength(128).IsRequired();
    }
}

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> b)
    {
        b.ToTable("Settings");
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(64);
        b.Property(s => s.Value).IsRequired();
        b.Property(s => s.UpdatedBy).HasMaxLength(128).IsRequired();
    }
}

internal sealed class AdminEventConfiguration : IEntityTypeConfiguration<AdminEvent>
{
    public void Configure(EntityTypeBuilder<AdminEvent> b)
    {
        b.ToTable("AdminEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.ActorId).HasMaxLength(128).IsRequired();
        b.Property(e => e.ActorName).HasMaxLength(128).IsRequired();
        b.Property(e => e.Action).HasMaxLength(64).IsRequired();
        b.Property(e => e.Target).HasMaxLength(128).IsRequired();
        b.Property(e => e.Details).HasMaxLength(2000);
        b.HasIndex(e => e.At);
        b.HasIndex(e => e.OrgUnitId);
    }
}
