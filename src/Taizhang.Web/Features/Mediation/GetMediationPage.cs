using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Mediation;

/// <summary>What the mediation page needs: the case, its mediation (if any), what the caller may do, and the units that can take part.</summary>
public static class GetMediationPage
{
    public sealed record Page(long CaseId, string TrackingCode, string CaseTitle, CaseStatus CaseStatus, bool IsDispute, MediationView? Mediation,
        bool MayMediate, bool MayReveal, IReadOnlyList<UnitRef> Units);

    public sealed class Handler(MediationReader reader, CurrentUser user, OrgDirectory org)
    {
        public async Task<Page> HandleAsync(long id, CancellationToken ct, MediationView? revealed = null)
        {
            var c = await reader.CaseAsync(id, ct);
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var town = units.UnitsById[c.OrgUnitId].TownId ?? c.OrgUnitId;
            var mediation = revealed ?? await reader.ReadAsync(id, ct);
            return new Page(c.Id, c.TrackingCode, c.Title, c.Status,
                c.CategoryId is { } cat && units.CategoriesById.TryGetValue(cat, out var category) && category.IsDispute,
                mediation,
                Case.AllowedActions(c.Status).Contains(CaseAction.Mediate) && access.Can(Permission.Mediate, c.OrgUnitId, c.AssigneeUnitId),
                access.Can(Permission.RevealPersonalData, c.OrgUnitId, c.AssigneeUnitId),
                units.Units.Where(u => u.CanHandleCases && OrgDirectory.Snapshot.CanHandle(u, town)).Select(u => new UnitRef(u.Code, u.Name)).ToList());
        }
    }
}

/// <summary>The case page's mediation block: whether to show it (a dispute, or a case with a mediation) and its state in a word.</summary>
public sealed class MediationSummary(TaizhangDb db, OrgDirectory org)
{
    public sealed record Summary(bool Exists, Domain.Mediation.MediationOutcome? Outcome, DateOnly? Deadline, Domain.Mediation.RiskGrade? Risk);

    /// <summary>Null when the block is not shown. The caller already reads the case (the case page checked its scope).</summary>
    public async Task<Summary?> ForAsync(long caseId, string? categoryCode, CancellationToken ct)
    {
        var m = await db.Mediations.AsNoTracking().Where(x => x.CaseId == caseId)
            .Select(x => new { x.Outcome, x.Deadline, x.RiskGrade }).FirstOrDefaultAsync(ct);
        if (m is not null)
        {
            return new Summary(true, m.Outcome, m.Deadline, m.RiskGrade);
        }
        var units = await org.GetAsync(ct);
        return categoryCode is { } code && units.CategoriesByCode.TryGetValue(code, out var c) && c.IsDispute ? new Summary(false, null, null, null) : null;
    }
}
