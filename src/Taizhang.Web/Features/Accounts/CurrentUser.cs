using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Accounts;

/// <summary>A post as the request sees it: the role and the unit it is held at.</summary>
public sealed record Post(Role Role, UnitInfo Unit);

/// <summary>
/// Who is asking, and what their posts let them see and do. Loaded once per request from the
/// database (not from the cookie), so a removed post or a disabled account takes effect at once.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, TaizhangDb db, OrgDirectory org)
{
    private Principal? _principal;

    /// <summary>ASP.NET Core Identity's claim for the security stamp in the sign-in cookie.</summary>
    public const string SecurityStampClaim = "AspNet.Identity.SecurityStamp";

    /// <param name="UserId">The person signed in; null for an integration.</param>
    /// <param name="ApiClientId">The integration (API client) calling; null for a person.</param>
    /// <param name="MustChangePassword">The person's password is one someone else knows: they must set their own first.</param>
    public sealed record Principal(Actor Actor, IReadOnlyList<Post> Posts, IReadOnlySet<Channel>? AllowedChannels, long? UserId, long? ApiClientId = null,
        bool MustChangePassword = false);

    public async ValueTask<Principal> GetAsync(CancellationToken ct = default)
    {
        if (_principal is not null)
        {
            return _principal;
        }
        var user = http.HttpContext?.User ?? throw new UnauthorizedException();
        var units = await org.GetAsync(ct);
        if (user.FindFirstValue(ApiTokens.ClientIdClaim) is { } clientClaim)
        {
            var clientId = long.Parse(clientClaim, CultureInfo.InvariantCulture);
            var client = http.HttpContext?.Items[ApiTokens.ClientItem] as ApiClient
                ?? await db.ApiClients.AsNoTracking().FirstAsync(c => c.Id == clientId, ct);
            var channels = client.AllowedChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Enum.Parse<Channel>).ToHashSet();
            // An integration acts like a hotline operator of its unit, limited to its channels.
            var posts = units.UnitsById.TryGetValue(client.OrgUnitId, out var unit) ? [new Post(Role.Operator, unit)] : Array.Empty<Post>();
            _principal = new Principal(new Actor(ActorKind.ApiClient, "client:" + client.Id, client.Name), posts, channels, null, client.Id);
            return _principal;
        }
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userClaim)
        {
            // Usually loaded once already by the cookie's validation (AccountsSetup); loaded here otherwise.
            var account = http.HttpContext?.Items[AccountItem] as Account
                ?? await LoadAccountAsync(db, user, ct)
                ?? throw new UnauthorizedException();
            var posts = account.Posts
                .Where(p => units.UnitsById.ContainsKey(p.OrgUnitId))
                .Select(p => new Post(p.Role, units.UnitsById[p.OrgUnitId]))
                .ToList();
            var name = string.IsNullOrWhiteSpace(account.DisplayName) ? account.UserName ?? "user" : account.DisplayName;
            _principal = new Principal(new Actor(ActorKind.User, "user:" + account.Id, name), posts, null, account.Id,
                MustChangePassword: account.MustChangePassword);
            return _principal;
        }
        throw new UnauthorizedException();
    }

    public const string AccountItem = "taizhang:account";

    /// <summary>What a request needs of the signed-in account.</summary>
    public sealed record Account(long Id, string DisplayName, string? UserName, IReadOnlyList<(Role Role, long OrgUnitId)> Posts,
        bool MustChangePassword = false);

    /// <summary>
    /// The account behind a cookie principal, or null when it no longer may act: disabled, or its
    /// security stamp changed (sign-out, password reset, disabling) since the cookie was issued.
    /// </summary>
    public static async Task<Account?> LoadAccountAsync(TaizhangDb db, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }
        var stamp = principal.FindFirstValue(SecurityStampClaim);
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId && !u.IsDisabled && u.SecurityStamp == stamp)
            .Select(u => new { u.Id, u.DisplayName, u.UserName, u.MustChangePassword, Posts = u.Posts.Select(p => new { p.Role, p.OrgUnitId }).ToList() })
            .FirstOrDefaultAsync(ct);
        return row is null ? null
            : new Account(row.Id, row.DisplayName, row.UserName, row.Posts.Select(p => (p.Role, p.OrgUnitId)).ToList(), row.MustChangePassword);
    }

    /// <summary>
    /// A public channel (the web form, the WeChat account) acts as itself for the rest of the request:
    /// no account behind it, an operator's right to register at every town (the resident picks the
    /// village), and its one channel. Called by the channel's endpoint before it registers; never from
    /// a signed-in request.
    /// </summary>
    public async ValueTask ActAsChannelAsync(Channel channel, string actorId, string name, CancellationToken ct = default)
    {
        var units = await org.GetAsync(ct);
        var towns = units.Units.Where(u => u.Kind == Taizhang.Domain.Organization.OrgUnitKind.Town).Select(u => new Post(Role.Operator, u)).ToList();
        _principal = new Principal(new Actor(ActorKind.System, actorId, name), towns, new HashSet<Channel> { channel }, null);
        _access = null;
    }

    /// <summary>
    /// A system reader for the rest of this scope: reads every case registered under <paramref name="unit"/>
    /// and nothing else, whoever (if anyone) asked. For figures that are a whole unit's by definition (a
    /// town's frozen month), computed in a scope of their own, never in the asking request's.
    /// </summary>
    public void ActAsReaderOf(UnitInfo unit, string actorId, string name)
    {
        _principal = new Principal(new Actor(ActorKind.System, actorId, name), [new Post(Role.Member, unit)],
            new HashSet<Channel>(), null);
        _access = null;
    }

    public async ValueTask<Actor> ActorAsync(CancellationToken ct = default) => (await GetAsync(ct)).Actor;

    private CaseAccess? _access;

    // The participants are only ever a sub-query or an Any (never entities to track), so the set itself:
    // AsNoTracking() here built an expression tree on every request (2 % of a registration's CPU).
    public async ValueTask<CaseAccess> AccessAsync(CancellationToken ct = default) =>
        _access ??= new CaseAccess(await GetAsync(ct), await org.GetAsync(ct), db.CaseParticipants);
}
