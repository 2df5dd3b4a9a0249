using Taizhang.Domain.Access;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// What an administrator administers: the units under their Administrator posts. A county
/// administrator runs every town; a town administrator only their own town.
/// </summary>
public sealed class AdminScope(CurrentUser user, OrgDirectory org)
{
    public async Task<Scope> RequireAsync(CancellationToken ct)
    {
        var principal = await user.GetAsync(ct);
        var roots = principal.Posts.Where(p => Permissions.Allows(p.Role, Permission.Administer)).Select(p => p.Unit).ToList();
        if (roots.Count == 0)
        {
            throw new ForbiddenException();
        }
        return new Scope(principal, roots, await org.GetAsync(ct));
    }

    public sealed class Scope(CurrentUser.Principal principal, IReadOnlyList<UnitInfo> roots, OrgDirectory.Snapshot units)
    {
        public CurrentUser.Principal Principal { get; } = principal;
        public OrgDirectory.Snapshot Units { get; } = units;

        /// <summary>Administers every top-level unit: may change what applies to all towns.</summary>
        public bool IsTopLevel => Units.Units.Where(u => u.ParentId is null).All(Covers);

        public Scope RequireTopLevel() => IsTopLevel ? this : throw new ForbiddenException();

        public bool Covers(UnitInfo unit) => roots.Any(r => unit.Path.StartsWith(r.Path, StringComparison.Ordinal));

        public bool Covers(long unitId) => Units.UnitsById.TryGetValue(unitId, out var u) && Covers(u);

        /// <summary>The units administered, in tree order (a town, its villages and their groups, its partners).</summary>
        public IReadOnlyList<UnitInfo> CoveredUnits => _covered ??= Units.Units.Where(Covers).Order(OrgDirectory.Snapshot.TreeOrder).ToList();

        private IReadOnlyList<UnitInfo>? _covered;

        /// <summary>The deepest unit holding every administered unit: where this administrator's own checks lie.</summary>
        public long? Area => AdminAudit.AreaOf(Units, roots.Select(r => r.Id));

        /// <summary>A unit code the administrator may use, or a field error.</summary>
        public UnitInfo? Unit(FieldErrors errors, Resources.Texts texts, string field, string? code)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                errors.Add(field, texts["field.required"]);
                return null;
            }
            if (!Units.UnitsByCode.TryGetValue(code.Trim(), out var unit) || !Covers(unit))
            {
                errors.Add(field, texts.Format("field.unknown-org-unit", code.Trim()));
                return null;
            }
            return unit;
        }
    }
}
