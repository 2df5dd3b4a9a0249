using System.Globalization;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// Who may freeze and read a town's snapshots. A snapshot's figures are the whole town's, so a post
/// must cover the whole town (held at the town or above it): to read (list, verify), one that reads
/// cases by area; to freeze, one whose role decides deadline changes (<see cref="Permission.DecideDeadlineChange"/>:
/// town staff and leaders, the office that closes the month's books). Nothing new in the permission table.
/// A caller with posts inside the town but none covering it is refused (403); anyone else is told
/// the town does not exist (404), as for a case out of scope.
/// </summary>
public static class SnapshotAccess
{
    public static void Require(CurrentUser.Principal principal, UnitInfo town, Permission permission)
    {
        bool Covers(Post p) => town.Path.StartsWith(p.Unit.Path, StringComparison.Ordinal);
        if (principal.Posts.Any(p => Covers(p) && Permissions.Allows(p.Role, permission) && Permissions.Scope(p.Role) == ScopeKind.Area))
        {
            return;
        }
        if (principal.Posts.Any(p => Covers(p) || p.Unit.TownId == town.Id))
        {
            throw new ForbiddenException();
        }
        throw new NotFoundException("orgUnit");
    }

    /// <summary>Whether <see cref="Require"/> lets the caller through (lists and forms offer only such towns).</summary>
    public static bool Allows(CurrentUser.Principal principal, UnitInfo town, Permission permission)
    {
        try
        {
            Require(principal, town, permission);
            return true;
        }
        catch (ProblemException)
        {
            return false;
        }
    }

    /// <summary>A town by its code, or a field error.</summary>
    public static UnitInfo? Town(OrgDirectory.Snapshot units, string? code, FieldErrors errors, Texts texts, string field = "town")
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            errors.Add(field, texts["snapshot.town-required"]);
            return null;
        }
        if (!units.UnitsByCode.TryGetValue(code.Trim(), out var unit))
        {
            errors.Add(field, texts.Format("field.unknown-org-unit", code.Trim()));
            return null;
        }
        if (unit.Kind != OrgUnitKind.Town)
        {
            errors.Add(field, texts.Format("snapshot.not-a-town", unit.Code));
            return null;
        }
        return unit;
    }

    /// <summary>The first day of a yyyy-MM month, or a field error.</summary>
    public static DateOnly? Month(string? month, FieldErrors errors, Texts texts)
    {
        if (string.IsNullOrWhiteSpace(month)
            || !DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
            || !ReportData.InRange(first))
        {
            errors.Add("month", texts["field.month"]);
            return null;
        }
        return first;
    }

    public static string Text(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
