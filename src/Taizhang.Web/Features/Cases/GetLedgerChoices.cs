using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// What the ledger's filters offer the caller — the villages of their area, the units that handle
/// their cases, the categories — and its ready-made views: the caller's own unit's overdue and
/// due-soon cases, and one view per stage a case waits in (<see cref="Lifecycle"/>).
/// </summary>
public static class GetLedgerChoices
{
    /// <param name="Key">A text key: "ledger.view.…" or "stage.…".</param>
    public sealed record View(string Key, ListCases.Query Query);

    public sealed record Choices(
        IReadOnlyList<UnitInfo> AreaUnits, IReadOnlyList<UnitInfo> HandlingUnits, IReadOnlyList<CategoryInfo> Categories,
        IReadOnlyList<View> Views);

    public sealed class Handler(OrgDirectory org, CurrentUser user)
    {
        public async Task<Choices> HandleAsync(CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var access = await user.AccessAsync(ct);
            var area = access.AreaUnitIds.Select(id => units.UnitsById[id]).ToList();
            var areaUnits = area.Where(u => u.Kind is OrgUnitKind.Town or OrgUnitKind.Village or OrgUnitKind.Community)
                .Order(OrgDirectory.Snapshot.TreeOrder).ToList();
            var towns = area.Concat(access.AssigneeUnitIds.Select(id => units.UnitsById[id])).Select(u => u.TownId).ToHashSet();
            var handling = units.Units
                .Where(u => u.CanHandleCases && u.Kind != OrgUnitKind.Group
                    && (u.TownId is null ? u.Kind == OrgUnitKind.Partner : towns.Contains(u.TownId)))
                .OrderBy(u => u.Kind == OrgUnitKind.Partner).ThenBy(u => u, OrgDirectory.Snapshot.TreeOrder).ToList();
            return new Choices(areaUnits, handling, units.Categories, ReadyViews(access));
        }

        private static List<View> ReadyViews(CaseAccess access)
        {
            var views = new List<View> { new("ledger.view.all", new ListCases.Query()) };
            // "My unit": the unit of the first post that reads cases; agencies own what they handle.
            if (access.Principal.Posts.FirstOrDefault(p => Permissions.Allows(p.Role, Permission.ReadCases)) is { } post)
            {
                var mine = Permissions.Scope(post.Role) == ScopeKind.Assigned
                    ? new ListCases.Query { AssigneeUnit = post.Unit.Code }
                    : new ListCases.Query { OrgUnit = post.Unit.Code };
                views.Add(new("ledger.view.my-overdue", mine with { Overdue = "true", Sort = "dueAt" }));
                views.Add(new("ledger.view.my-due-soon", mine with { DueSoon = "true", Sort = "dueAt" }));
            }
            // One view per stage a case waits in (the board's stages); the office's queues only for
            // those who work them (an agency's would always be empty).
            foreach (var stage in Enum.GetValues<CaseStage>().Where(s => s != CaseStage.Closed))
            {
                if (!GetTriageQueue.Queues.TryGetValue(stage, out var permission) || access.HasAnywhere(permission))
                {
                    views.Add(new("stage." + stage, ListCases.Query.OfStage(stage)));
                }
            }
            return views;
        }
    }
}
