using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Everything needed to work on one case besides its <see cref="CaseDetail"/>: the units, categories
/// and meetings its action forms offer, the titles of the meetings its timeline names, and whether
/// the caller may reveal its reporters' personal data. The case page loads through this.
/// </summary>
public static class GetCaseWorkspace
{
    /// <summary>The most recent meetings offered when a topic goes to deliberation.</summary>
    public const int MeetingChoices = 200;

    public sealed record MeetingOption(long Id, string Title);

    public sealed record Workspace(
        CaseDetail Detail, bool MayReveal, IReadOnlyList<UnitInfo> HandlingUnits, IReadOnlyList<CategoryInfo> Categories,
        IReadOnlyList<MeetingOption> Meetings, IReadOnlyDictionary<long, string> MeetingTitles);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user)
    {
        /// <param name="meetingIds">The meetings the case's timeline and source name (their titles are wanted).</param>
        public async Task<Workspace> HandleAsync(CaseDetail detail, IReadOnlyCollection<long> meetingIds, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var access = await user.AccessAsync(ct);
            var scope = await db.Cases.AsNoTracking().Where(c => c.Id == detail.Id)
                .Select(c => new { c.TownId, c.OrgUnitId, c.AssigneeUnitId }).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("case");
            var mayReveal = detail.Reporters.Count > 0 && access.Can(Permission.RevealPersonalData, scope.OrgUnitId, scope.AssigneeUnitId);

            // Most cases never meet a meeting: no query for them.
            var titles = meetingIds.Count == 0 ? new Dictionary<long, string>() : await db.Meetings.AsNoTracking()
                .Where(m => meetingIds.Contains(m.Id))
                .ToDictionaryAsync(m => m.Id, m => m.Title, ct);
            var meetings = !detail.AvailableActions.Contains(Domain.Cases.CaseAction.Deliberate) ? [] : await db.Meetings.AsNoTracking()
                .Where(m => m.TownId == scope.TownId)
                .OrderByDescending(m => m.HeldAt).ThenByDescending(m => m.Id)
                .Take(MeetingChoices)
                .Select(m => new MeetingOption(m.Id, m.Title))
                .ToListAsync(ct);
            return new Workspace(detail, mayReveal, units.HandlersFor(scope.TownId), units.Categories, meetings, titles);
        }

        /// <summary>Whether the caller still sees the case (after an action that may have moved it out of their scope).</summary>
        public async Task<bool> VisibleAsync(long id, CancellationToken ct) =>
            await (await user.AccessAsync(ct)).Visible(db.Cases.AsNoTracking()).AnyAsync(c => c.Id == id, ct);
    }
}
