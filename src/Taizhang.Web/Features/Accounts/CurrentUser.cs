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

    public sealed record Principal(Actor Actor, IReadOnlyList<Post> Posts, IReadOnlySet<Channel>? AllowedChannels, long? UserId);

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
            _principal = new Principal(new Actor(ActorKind.ApiClient, "client:" + client.Id, client.Name), posts, channels, null);
            return _principal;
        }
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userClaim)
        {
            var userId = long.Parse(userClaim, CultureInfo.InvariantCulture);
            var account = await db.Users.AsNoTracking().Where(u => u.Id == userId && !u.IsDisabled)
                .Select(u => new { u.Id, u.DisplayName, u.UserName, u.SecurityStamp, Posts = u.Posts.Select(p => new { p.Role, p.OrgUnitId }).ToList() })
                .FirstOrDefaultAsync(ct) ?? throw new UnauthorizedException();
            // The stamp changes on sign-out, password reset and disabling: older cookies stop working at once.
            if (user.FindFirstValue(SecurityStampClaim) != account.SecurityStamp)
            {
                throw new UnauthorizedException();
            }
            var posts = account.Posts
                .Where(p => units.UnitsById.ContainsKey(p.OrgUnitId))
                .Select(p => new Post(p.Role, units.UnitsById[p.OrgUnitId]))
                .ToList();
            var name = string.IsNullOrWhiteSpace(account.DisplayName) ? account.UserName ?? "user" : account.DisplayName;
            _principal = new Principal(new Actor(ActorKind.User, "user:" + account.Id, name), posts, null, account.Id);
            return _principal;
        }
        throw new UnauthorizedException();
    }

    public async ValueTask<Actor> ActorAsync(CancellationToken ct = default) => (await GetAsync(ct)).Actor;

    private CaseAccess? _access;

    public async ValueTask<CaseAccess> AccessAsync(CancellationToken ct = default) =>
        _access ??= new CaseAccess(await GetAsync(ct), await org.GetAsync(ct));
}
