using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// What an intake form offers: the units the caller may register a case at, the categories, and (for
/// the desk's 会议点) the meetings of the units the caller registers for, most recent first.
/// </summary>
public static class GetIntakeChoices
{
    /// <summary>The most recent meetings offered for a meeting's items.</summary>
    public const int MeetingChoices = 200;

    /// <param name="Group">The village or community a unit belongs to (its 组 are listed under it); null for the town itself.</param>
    public sealed record UnitOption(string Code, string Name, string? Group);

    public sealed record MeetingOption(long Id, string Title, DateTime HeldAt, string UnitName);

    public sealed record Choices(IReadOnlyList<UnitOption> Units, IReadOnlyList<CategoryInfo> Categories, IReadOnlyList<MeetingOption> Meetings);

    /// <summary>A case registered in this sitting, as the desk lists it.</summary>
    public sealed record Registered(long Id, string TrackingCode, string Title, DateTime RegisteredAt);

    public sealed class Handler(OrgDirectory org, CurrentUser user, TaizhangDb db, TimeProvider clock)
    {
        /// <param name="meetings">Whether the meetings are wanted (the hotline has no use for them).</param>
        public async Task<Choices> HandleAsync(CancellationToken ct, bool meetings = false)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var mine = units.Units
                .Where(u => u.CanOwnCases && u.TownId is not null && access.CanRegisterAt(u))
                .Order(OrgDirectory.Snapshot.TreeOrder)
                .Select(u => new UnitOption(u.Code, u.Name, VillageOf(u, units)?.Name))
                .ToList();
            IReadOnlyList<MeetingOption> offered = [];
            if (meetings && access.HasAnywhere(Permission.Register))
            {
                // RegisterCase accepts a meeting of a unit in this reach; meetings not yet held (beyond today) are not offered.
                var reach = access.ReachOf(Permission.Register).Area;
                var until = clock.GetUtcNow().UtcDateTime.AddDays(1);
                var rows = await db.Meetings.AsNoTracking()
                    .Where(m => reach.Contains(m.OrgUnitId) && m.HeldAt < until)
                    .OrderByDescending(m => m.HeldAt).ThenByDescending(m => m.Id)
                    .Take(MeetingChoices)
                    .Select(m => new { m.Id, m.Title, m.HeldAt, m.OrgUnitId })
                    .ToListAsync(ct);
                offered = rows.Select(m => new MeetingOption(m.Id, m.Title, m.HeldAt,
                    units.UnitsById.TryGetValue(m.OrgUnitId, out var u) ? u.Name : "")).ToList();
            }
            return new Choices(mine, units.Categories.OrderBy(c => c.Id).ToList(), offered);
        }

        /// <summary>
        /// The cases of one sitting at the desk (ids the page carried from one registration to the
        /// next) that came from <paramref name="meetingId"/> and that the caller may see, in the order registered.
        /// </summary>
        public async Task<IReadOnlyList<Registered>> SittingAsync(long meetingId, IReadOnlyCollection<long> ids, CancellationToken ct)
        {
            if (ids.Count == 0)
            {
                return [];
            }
            var access = await user.AccessAsync(ct);
            return await access.Visible(db.Cases.AsNoTracking())
                .Where(c => ids.Contains(c.Id) && c.MeetingId == meetingId)
                .OrderBy(c => c.RegisteredAt).ThenBy(c => c.Id)
                .Select(c => new Registered(c.Id, c.TrackingCode, c.Title, c.RegisteredAt))
                .ToListAsync(ct);
        }

        private static UnitInfo? VillageOf(UnitInfo unit, OrgDirectory.Snapshot units)
        {
            for (var u = unit; u is not null; u = u.ParentId is { } p && units.UnitsById.TryGetValue(p, out var parent) ? parent : null)
            {
                if (u.Kind is OrgUnitKind.Village or OrgUnitKind.Community)
                {
                    return u;
                }
            }
            return null;
        }
    }
}
