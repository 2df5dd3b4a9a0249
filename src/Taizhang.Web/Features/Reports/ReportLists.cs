using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// The monthly report's lists: 超期 (for a closed period the cohort's cases that were overdue at its
/// end, as of then; for the running one the ledger's overdue cases now), 挂起 and 督办 (now). Each is
/// limited to <see cref="Limit"/> rows with its total and a link to all of them.
/// </summary>
public static class ReportLists
{
    public const int Limit = 20;

    public sealed record CaseList(string Key, string Name, int Total, IReadOnlyList<CaseSummary> Items, string Link);

    public sealed class Handler(PeriodFacts.Handler facts, ListCases.Handler list, CaseReader reader, OrgDirectory org, TimeProvider clock, Texts texts)
    {
        /// <param name="closedDetails">A whole-town closed period's persisted details (the "overdue then" list's total and first
        /// cases, <see cref="ClosedPeriodDetails"/>); null: the cohort is replayed for it.</param>
        public async Task<IReadOnlyList<CaseList>> ListsAsync(Period period, bool closed, DateTime asOf, ListCases.Query? filters, UnitInfo? scope,
            Func<string, string?, string?, string> link, CancellationToken ct, ClosedPeriodDetails? closedDetails = null)
        {
            var result = new List<CaseList>();
            var unit = scope?.Code;
            if (closed)
            {
                // As of the period's end: the cohort's cases that were overdue then (their links list exactly these).
                var units = await org.GetAsync(ct);
                var (total, first) = closedDetails is { } d
                    ? (d.OverdueTotal, d.OverdueFirst.Select(c => c.Id).ToList())
                    : await OverdueThenAsync(period, asOf, filters, ct);
                var items = await ReportCases.SummariesAsync(first, list, reader, units, clock, ct);
                result.Add(new CaseList("overdue", texts["report.list.overdue-then"], total, items, link(ReportCases.OverdueFigure, null, null)));
            }
            else
            {
                result.Add(await CurrentAsync("overdue", texts["report.list.overdue"], new ListCases.Query { Overdue = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            }
            result.Add(await CurrentAsync("suspended", texts["report.list.suspended"], new ListCases.Query { Suspended = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            result.Add(await CurrentAsync("supervised", texts["report.list.supervised"], new ListCases.Query { Supervised = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            return result;
        }

        private async Task<(int, List<long>)> OverdueThenAsync(Period period, DateTime asOf, ListCases.Query? filters, CancellationToken ct)
        {
            var overdue = (await facts.CasesAsync(period, ct, filters)).Where(c => c.OverdueAt(asOf)).Select(c => c.Id).ToList();
            return (overdue.Count, overdue.Take(Limit).ToList());
        }

        private async Task<CaseList> CurrentAsync(string key, string name, ListCases.Query query, CancellationToken ct)
        {
            var page = await list.HandleAsync(query with { PageSize = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            return new CaseList(key, name, page.Total, page.Items, "/cases" + (query with { Sort = null }).ToQueryString());
        }
    }
}
