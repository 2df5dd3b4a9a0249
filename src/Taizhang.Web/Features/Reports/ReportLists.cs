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
        public async Task<IReadOnlyList<CaseList>> ListsAsync(PeriodFactSet set, ListCases.Query? filters, UnitInfo? scope,
            Func<string, string?, string?, string> link, CancellationToken ct)
        {
            var result = new List<CaseList>();
            var unit = scope?.Code;
            if (set.Closed)
            {
                // As of the period's end: the cohort's cases that were overdue then (their links list exactly these).
                var units = await org.GetAsync(ct);
                var overdue = (await facts.CasesAsync(set.Period, ct, filters)).Where(c => c.OverdueAt(set.AsOfUtc)).Select(c => c.Id).ToList();
                var items = await ReportCases.SummariesAsync(overdue.Take(Limit).ToList(), list, reader, units, clock, ct);
                result.Add(new CaseList("overdue", texts["report.list.overdue-then"], overdue.Count, items, link(ReportCases.OverdueFigure, null, null)));
            }
            else
            {
                result.Add(await CurrentAsync("overdue", texts["report.list.overdue"], new ListCases.Query { Overdue = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            }
            result.Add(await CurrentAsync("suspended", texts["report.list.suspended"], new ListCases.Query { Suspended = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            result.Add(await CurrentAsync("supervised", texts["report.list.supervised"], new ListCases.Query { Supervised = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            return result;
        }

        private async Task<CaseList> CurrentAsync(string key, string name, ListCases.Query query, CancellationToken ct)
        {
            var page = await list.HandleAsync(query with { PageSize = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            return new CaseList(key, name, page.Total, page.Items, "/cases" + (query with { Sort = null }).ToQueryString());
        }
    }
}
