using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The town office's queues (分流 page): the cases of one stage that wait for the office, oldest
/// first — awaiting triage (registered, returned, reopened) or awaiting assignment (triaged
/// without a unit) — as far as the caller's posts allow the action the queue is for. The stage's
/// statuses are <see cref="Lifecycle"/>'s, so the board's figure, the ledger's view and this
/// queue count the same cases.
/// </summary>
public static class GetTriageQueue
{
    public const int PageSize = 20;
    public const int ExcerptLength = 80;

    /// <summary>The stages that are office queues, and the permission each is for.</summary>
    public static readonly IReadOnlyDictionary<CaseStage, Permission> Queues = new Dictionary<CaseStage, Permission>
    {
        [CaseStage.AwaitingTriage] = Permission.Triage,
        [CaseStage.AwaitingAssignment] = Permission.Assign,
    };

    public sealed record Row(
        long Id, long TownId, string TrackingCode, DateTime RegisteredAt, Channel Channel, string Village, string Title,
        string Excerpt, Urgency Urgency, string? CategoryCode, string? CategoryName, CaseStatus Status, DateTime DueAt,
        bool MayMerge, bool MayReject, IReadOnlyList<SuggestDuplicates.Suggestion> Suggestions);

    /// <param name="HandlingUnits">The units that may handle cases of each town on the page.</param>
    public sealed record Queue(
        CaseStage Stage, int Total, int Page, int LastPage, IReadOnlyList<Row> Rows,
        IReadOnlyDictionary<CaseStage, int> Totals, IReadOnlyList<CategoryInfo> Categories,
        IReadOnlyDictionary<long, IReadOnlyList<UnitInfo>> HandlingUnits, DateOnly Today);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user, DuePolicy due, TimeProvider clock, SuggestDuplicates.Handler suggest)
    {
        /// <summary>The cases of a queue in the caller's reach, any status of its stage.</summary>
        public async Task<IQueryable<Case>> CasesAsync(CaseStage stage, CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var statuses = Lifecycle.StatusesOf(stage).ToArray();
            return access.Reachable(db.Cases.AsNoTracking(), Queues[stage]).Where(c => statuses.Contains(c.Status));
        }

        public async Task<Queue> HandleAsync(CaseStage stage, int page, CancellationToken ct)
        {
            if (!Queues.ContainsKey(stage))
            {
                throw new NotFoundException("queue");
            }
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var totals = new Dictionary<CaseStage, int>();
            foreach (var s in Queues.Keys)
            {
                totals[s] = await (await CasesAsync(s, ct)).CountAsync(ct);
            }
            var total = totals[stage];
            var lastPage = Math.Max(1, (total + PageSize - 1) / PageSize);
            page = Math.Clamp(page, 1, lastPage);
            var rows = total == 0
                ? []
                : await (await CasesAsync(stage, ct)).OrderBy(c => c.RegisteredAt).ThenBy(c => c.Id)
                    .Skip((page - 1) * PageSize).Take(PageSize)
                    .Select(c => new
                    {
                        c.Id, c.TownId, c.TrackingCode, c.RegisteredAt, c.Channel, c.OrgUnitId, c.AssigneeUnitId, c.Title,
                        Description = c.Description.Substring(0, TextSimilarity.DescriptionPrefix),
                        c.Urgency, c.CategoryId, c.Status, c.DueAt,
                    })
                    .ToListAsync(ct);

            bool May(CaseAction action, CaseStatus status, long orgUnit, long? assignee) =>
                Case.AllowedActions(status).Contains(action) && access.Can(Permissions.For(action), orgUnit, assignee);
            var mayMerge = rows.ToDictionary(r => r.Id, r => May(CaseAction.Merge, r.Status, r.OrgUnitId, r.AssigneeUnitId));
            var suggestions = await suggest.HandleAsync(
                rows.Where(r => mayMerge[r.Id]).Select(r => new SuggestDuplicates.Queued(r.Id, r.TownId, r.Title, r.Description)).ToList(), ct);

            var list = rows.Select(r => new Row(
                r.Id, r.TownId, r.TrackingCode, r.RegisteredAt, r.Channel, units.Ref(r.OrgUnitId)?.Name ?? "", r.Title,
                Excerpt(r.Description), r.Urgency, units.CategoryRef(r.CategoryId)?.Code, units.CategoryRef(r.CategoryId)?.Name,
                r.Status, r.DueAt, mayMerge[r.Id], May(CaseAction.Reject, r.Status, r.OrgUnitId, r.AssigneeUnitId),
                suggestions.TryGetValue(r.Id, out var s) ? s : [])).ToList();
            return new Queue(stage, total, page, lastPage, list, totals,
                units.Categories.OrderBy(c => c.Id).ToList(),
                list.Select(r => r.TownId).Distinct().ToDictionary(town => town, town => units.HandlersFor(town)),
                due.LocalDate(clock.GetUtcNow().UtcDateTime));
        }

        private static string Excerpt(string description)
        {
            var flat = string.Join(' ', description.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return flat.Length <= ExcerptLength ? flat : flat[..ExcerptLength] + "…";
        }
    }
}
