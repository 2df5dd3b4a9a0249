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

    /// <summary>
    /// The password is one that someone else knows (generated at first start, set by an
    /// administrator, reset from the command line): until the person sets their own, they may only
    /// change it or sign out (PasswordChangeGate).
    /// </summary>
    public bool MustChangePassword { get; set; }

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

    /// <summary>When the token stops working, like a revocation; null: until revoked.</summary>
    public DateTime? ExpiresAt { get; set; }
}

/// <summary>
/// One refused sign-in: the address it came from and, when the name is an account's, which
/// account. Kept only for the throttling window (Accounts:LockoutMinutes); never the name typed
/// (it may be a mistyped password) nor the password.
/// </summary>
public sealed class SignInFailure
{
    public long Id { get; set; }

    /// <summary>The account tried, or null for a name that is no account's.</summary>
    public long? UserId { get; set; }

    /// <summary>The client's address as the limits see it (an IPv6 address by its /64).</summary>
    public string Address { get; set; } = string.Empty;

    public DateTime At { get; set; }

    /// <summary>
    /// Refused by the throttle before the password was looked at: counts against the address,
    /// not against the account, so that a person who keeps trying does not lengthen their own wait.
    /// </summary>
    public bool Throttled { get; set; }
}
