using Microsoft.AspNetCore.Identity;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Data;

/// <summary>A person who signs in: office staff, cadres, agency handlers, leaders, members.</summary>
public sealed class AppUser : IdentityUser<long>
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Disabled accounts cannot sign in; their events keep their name.</summary>
    public bool IsDisabled { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<UserPost> Posts { get; set; } = [];
}

/// <summary>A post: a role held at an org unit (a village cadre of 马家村, town staff of 三岔镇).</summary>
public sealed class UserPost
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public Role Role { get; set; }
    public long OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
}

/// <summary>
/// An integration (hotline system, petition platform, higher-level platform) calling the API
/// with a Bearer token. Only a hash of the token is stored; the token is shown once at creation.
/// </summary>
public sealed class ApiClient
{
    public long Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public long OrgUnitId { get; set; }

    /// <summary>Channels this client may register cases on, comma-separated names.</summary>
    public string AllowedChannels { get; set; } = string.Empty;

    /// <summary>The public part of the token, used to find the row.</summary>
    public string TokenPrefix { get; set; } = string.Empty;

    /// <summary>SHA-256 of the whole token, hex.</summary>
    public string TokenHash { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
