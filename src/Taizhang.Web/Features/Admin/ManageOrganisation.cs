using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// The organisation tree (towns, villages, communities, groups, partner units) and the
/// categories. Everyone signed in can read them (intake needs the codes); administrators
/// change them within their area. The very first unit of an empty installation may be created
/// by the bootstrap administrator, who then administers it.
/// </summary>
public static partial class ManageOrganisation
{
    public sealed record UnitView(string Code, string Name, OrgUnitKind Kind, string? Parent);

    /// <summary>A unit of the administrator's area; <see cref="Depth"/> 0 for the area's own top units.</summary>
    public sealed record AreaUnit(string Code, string Name, OrgUnitKind Kind, string? Parent, int Depth, IReadOnlyList<OrgUnitKind> ChildKinds);

    /// <summary>
    /// The units an administrator administers, in tree order. <see cref="MayCreateRoot"/>: an empty
    /// installation, whose bootstrap administrator creates the first unit (a town or a county).
    /// </summary>
    public sealed record Area(IReadOnlyList<AreaUnit> Units, bool MayCreateRoot);

    public sealed record CreateUnitRequest(string? Code, string? Name, string? Kind, string? Parent);

    public sealed record RenameRequest(string? Name);

    public sealed record CategoryView(string Code, string Name, bool IsDispute);

    public sealed record CategoryRequest(string? Code, string? Name, bool? IsDispute);

    /// <summary>The categories for an administrator; <see cref="Editable"/>: they apply to every town, so the top level changes them.</summary>
    public sealed record CategoryList(IReadOnlyList<CategoryView> Categories, bool Editable);

    public sealed class Handler(TaizhangDb db, AdminScope admin, CurrentUser user, OrgDirectory org, TimeProvider clock, Texts texts)
    {
        public async Task<IReadOnlyList<UnitView>> UnitsAsync(CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            return units.Units.OrderBy(u => u.Path, StringComparer.Ordinal)
                .Select(u => new UnitView(u.Code, u.Name, u.Kind, u.ParentId is { } p ? units.UnitsById[p].Code : null)).ToList();
        }

        /// <summary>The administrator's units (everyone's units are <see cref="UnitsAsync"/>).</summary>
        public async Task<Area> AreaAsync(CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            if (units.Units.Count == 0)
            {
                var principal = await user.GetAsync(ct);
                return principal.UserId is not null && principal.Posts.Count == 0 ? new Area([], true) : throw new ForbiddenException();
            }
            var scope = await admin.RequireAsync(ct);
            var covered = scope.CoveredUnits;
            var top = covered.Count == 0 ? 0 : covered.Min(Depth);
            return new Area(covered.Select(u => new AreaUnit(u.Code, u.Name, u.Kind, u.ParentId is { } p ? units.UnitsById[p].Code : null,
                Depth(u) - top, Enum.GetValues<OrgUnitKind>().Where(k => OrgUnit.AllowedUnder(k, u.Kind)).ToList())).ToList(), false);
        }

        private static int Depth(UnitInfo u) => u.Path.Count(c => c == '/');

        public async Task<UnitView> CreateUnitAsync(CreateUnitRequest r, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var code = RequestParsing.Text(errors, texts, "code", r.Code, 32, required: true);
            if (code is not null && !UnitCode().IsMatch(code))
            {
                // The code is a path segment (PUT /api/v1/admin/org-units/{code}) and is typed at intake.
                errors.Add("code", texts["admin.field.unit-code"]);
                code = null;
            }
            var name = RequestParsing.Text(errors, texts, "name", r.Name, 100, required: true);
            var kind = RequestParsing.Enum<OrgUnitKind>(errors, texts, "kind", r.Kind, required: true);
            var units = await org.GetAsync(ct);
            var firstUnit = units.Units.Count == 0;
            OrgUnit? parent = null;
            if (firstUnit)
            {
                // An empty installation: its bootstrap administrator creates the root and administers it.
                var principal = await user.GetAsync(ct);
                if (principal.UserId is null || principal.Posts.Count > 0)
                {
                    throw new ForbiddenException();
                }
            }
            else
            {
                var scope = await admin.RequireAsync(ct);
                if (!string.IsNullOrWhiteSpace(r.Parent))
                {
                    var parentInfo = scope.Unit(errors, texts, "parent", r.Parent);
                    parent = parentInfo is null ? null : await db.OrgUnits.FirstAsync(u => u.Id == parentInfo.Id, ct);
                }
                else
                {
                    // A new root is beyond any one administrator's area.
                    errors.Add("parent", texts["field.required"]);
                }
            }
            if (code is not null && units.UnitsByCode.ContainsKey(code))
            {
                errors.Add("code", texts["field.name-taken"]);
            }
            if (kind is { } k && (parent is not null || firstUnit) && !OrgUnit.AllowedUnder(k, parent?.Kind))
            {
                errors.Add(parent is null ? "kind" : "parent", parent is null
                    ? texts.Format("admin.field.root-kind", texts["admin.kind." + k])
                    : texts.Format("admin.field.invalid-parent", texts["admin.kind." + k], parent.Name,
                        string.Join("、", Enum.GetValues<OrgUnitKind>().Where(c => OrgUnit.AllowedUnder(c, parent.Kind)).Select(c => texts["admin.kind." + c]))));
            }
            errors.ThrowIfAny();
            var unit = new OrgUnit(code!, name!, kind!.Value, parent);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.OrgUnits.Add(unit);
            await db.SaveChangesAsync(ct);
            unit.SetHierarchy();
            var actor = (await user.GetAsync(ct)).Actor;
            db.Record(actor, clock.GetUtcNow().UtcDateTime, "org-unit.create", "org-unit:" + unit.Code, $"kind={unit.Kind}; parent={parent?.Code}", unit.Id);
            if (firstUnit)
            {
                var principal = await user.GetAsync(ct);
                db.UserPosts.Add(new UserPost { UserId = principal.UserId!.Value, Role = Role.Administrator, OrgUnitId = unit.Id });
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            org.Invalidate();
            return new UnitView(unit.Code, unit.Name, unit.Kind, parent?.Code);
        }

        public async Task<UnitView> RenameUnitAsync(string code, RenameRequest r, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            if (!scope.Units.UnitsByCode.TryGetValue(code, out var info) || !scope.Covers(info))
            {
                throw new NotFoundException("orgUnit");
            }
            var errors = new FieldErrors();
            var name = RequestParsing.Text(errors, texts, "name", r.Name, 100, required: true);
            errors.ThrowIfAny();
            var unit = await db.OrgUnits.FirstAsync(u => u.Id == info.Id, ct);
            unit.Rename(name!);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "org-unit.rename", "org-unit:" + unit.Code, $"name={unit.Name}", unit.Id);
            await db.SaveChangesAsync(ct);
            org.Invalidate();
            return new UnitView(unit.Code, unit.Name, unit.Kind, info.ParentId is { } p ? scope.Units.UnitsById[p].Code : null);
        }

        public async Task<IReadOnlyList<CategoryView>> CategoriesAsync(CancellationToken ct) =>
            (await org.GetAsync(ct)).Categories.OrderBy(c => c.Code, StringComparer.Ordinal)
                .Select(c => new CategoryView(c.Code, c.Name, c.IsDispute)).ToList();

        public async Task<CategoryList> AdminCategoriesAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            return new CategoryList(await CategoriesAsync(ct), scope.IsTopLevel);
        }

        public async Task<CategoryView> CreateCategoryAsync(CategoryRequest r, CancellationToken ct)
        {
            // Categories apply to every town.
            var scope = (await admin.RequireAsync(ct)).RequireTopLevel();
            var errors = new FieldErrors();
            var code = RequestParsing.Text(errors, texts, "code", r.Code, 32, required: true);
            if (code is not null && !UnitCode().IsMatch(code))
            {
                errors.Add("code", texts["admin.field.unit-code"]);
                code = null;
            }
            var name = RequestParsing.Text(errors, texts, "name", r.Name, 100, required: true);
            if (code is not null && (await org.GetAsync(ct)).CategoriesByCode.ContainsKey(code))
            {
                errors.Add("code", texts["field.name-taken"]);
            }
            errors.ThrowIfAny();
            var category = new Category(code!, name!, r.IsDispute ?? false);
            db.Categories.Add(category);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "category.create", "category:" + category.Code);
            await db.SaveChangesAsync(ct);
            org.Invalidate();
            return new CategoryView(category.Code, category.Name, category.IsDispute);
        }

        public async Task<CategoryView> UpdateCategoryAsync(string code, CategoryRequest r, CancellationToken ct)
        {
            var scope = (await admin.RequireAsync(ct)).RequireTopLevel();
            var category = await db.Categories.FirstOrDefaultAsync(c => c.Code == code, ct) ?? throw new NotFoundException("category");
            var errors = new FieldErrors();
            var name = r.Name is null ? null : RequestParsing.Text(errors, texts, "name", r.Name, 100, required: true);
            errors.ThrowIfAny();
            category.Update(name ?? category.Name, r.IsDispute ?? category.IsDispute);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "category.update", "category:" + category.Code);
            await db.SaveChangesAsync(ct);
            org.Invalidate();
            return new CategoryView(category.Code, category.Name, category.IsDispute);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial System.Text.RegularExpressions.Regex UnitCode();

    public static async Task<Ok<IReadOnlyList<UnitView>>> UnitsEndpoint(Handler h, CancellationToken ct) => TypedResults.Ok(await h.UnitsAsync(ct));

    public static async Task<Ok<Area>> AreaEndpoint(Handler h, CancellationToken ct) => TypedResults.Ok(await h.AreaAsync(ct));

    public static async Task<Created<UnitView>> CreateUnitEndpoint(CreateUnitRequest? r, Handler h, CancellationToken ct)
    {
        var unit = await h.CreateUnitAsync(r ?? new CreateUnitRequest(null, null, null, null), ct);
        return TypedResults.Created($"/api/v1/org-units/{unit.Code}", unit);
    }

    public static async Task<Ok<UnitView>> RenameUnitEndpoint(string code, RenameRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.RenameUnitAsync(code, r ?? new RenameRequest(null), ct));

    public static async Task<Ok<IReadOnlyList<CategoryView>>> CategoriesEndpoint(Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.CategoriesAsync(ct));

    public static async Task<Created<CategoryView>> CreateCategoryEndpoint(CategoryRequest? r, Handler h, CancellationToken ct)
    {
        var category = await h.CreateCategoryAsync(r ?? new CategoryRequest(null, null, null), ct);
        return TypedResults.Created($"/api/v1/categories/{category.Code}", category);
    }

    public static async Task<Ok<CategoryView>> UpdateCategoryEndpoint(string code, CategoryRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.UpdateCategoryAsync(code, r ?? new CategoryRequest(null, null, null), ct));
}
