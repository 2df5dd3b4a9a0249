using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>What an intake form offers: the units the caller may register a case at, and the categories.</summary>
public static class GetIntakeChoices
{
    /// <param name="Group">The village or community a unit belongs to (its 组 are listed under it); null for the town itself.</param>
    public sealed record UnitOption(string Code, string Name, string? Group);

    public sealed record Choices(IReadOnlyList<UnitOption> Units, IReadOnlyList<CategoryInfo> Categories);

    public sealed class Handler(OrgDirectory org, CurrentUser user)
    {
        public async Task<Choices> HandleAsync(CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var mine = units.Units
                .Where(u => u.CanOwnCases && u.TownId is not null && access.CanRegisterAt(u))
                .Order(OrgDirectory.Snapshot.TreeOrder)
                .Select(u => new UnitOption(u.Code, u.Name, VillageOf(u, units)?.Name))
                .ToList();
            return new Choices(mine, units.Categories.OrderBy(c => c.Id).ToList());
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
