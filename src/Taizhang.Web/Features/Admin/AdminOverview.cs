using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// One line per administration area, within the administrator's posts: how many units, people and
/// working API clients, whether next year's holidays are in, the latest audit entry and ledger check.
/// </summary>
public static class AdminOverview
{
    /// <param name="IsTopLevel">Administers every town: also changes categories, the calendar and service levels.</param>
    /// <param name="MayCreateRoot">An empty installation: create the first unit (everything else waits for it).</param>
    public sealed record Summary(bool IsTopLevel, bool MayCreateRoot, int Units, int People, int ActiveApiClients, int Categories,
        GetCalendar.NextYearStatus NextYear, AdminAudit.EventView? LatestEntry, Check? LatestCheck);

    /// <summary>The latest ledger check in the area: when, by whom, and whether every chain held.</summary>
    public sealed record Check(DateTime At, string ActorName, bool Intact);

    public sealed class Handler(TaizhangDb db, AdminScope admin, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock,
        AdminAudit.Handler audit)
    {
        public async Task<Summary> HandleAsync(CancellationToken ct)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var next = GetCalendar.Describe(due, now).NextYear;
            var units = await org.GetAsync(ct);
            if (units.Units.Count == 0)
            {
                var principal = await user.GetAsync(ct);
                return principal.UserId is not null && principal.Posts.Count == 0
                    ? new Summary(false, true, 0, 0, 0, units.Categories.Count, next, null, null)
                    : throw new ForbiddenException();
            }
            var scope = await admin.RequireAsync(ct);
            // Whose posts all lie in the area: the people this administrator manages (as ManageUsers decides).
            var posts = await db.UserPosts.AsNoTracking().Select(p => new { p.UserId, p.OrgUnitId }).ToListAsync(ct);
            var people = posts.GroupBy(p => p.UserId).Count(g => g.All(p => scope.Covers(p.OrgUnitId)));
            if (scope.IsTopLevel)
            {
                people += await db.Users.CountAsync(u => !u.Posts.Any(), ct);
            }
            var clients = await db.ApiClients.AsNoTracking()
                .Where(c => c.RevokedAt == null && (c.ExpiresAt == null || c.ExpiresAt > now))
                .Select(c => c.OrgUnitId).ToListAsync(ct);
            var latest = (await audit.ListAsync(new AdminAudit.Query(Take: 1), ct)).Items.FirstOrDefault();
            var check = (await audit.ListAsync(new AdminAudit.Query(Action: VerifyEventChain.Handler.AuditAction, Take: 1), ct)).Items.FirstOrDefault();
            return new Summary(scope.IsTopLevel, false, scope.CoveredUnits.Count, people, clients.Count(scope.Covers), units.Categories.Count,
                next, latest, check is null ? null : new Check(check.At, check.ActorName, check.Details?.StartsWith("intact=True", StringComparison.Ordinal) == true));
        }
    }

    /// <summary>GET /api/v1/admin/summary.</summary>
    public static async Task<Ok<Summary>> Endpoint(Handler h, CancellationToken ct) => TypedResults.Ok(await h.HandleAsync(ct));
}
