using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// The monthly report's lists: 超期, 挂起 and 督办. For a closed period the cohort's cases that were overdue, suspended or
/// under supervision at its end, as of then (<see cref="Then"/>; their links list exactly these); for the running one the
/// ledger's cases that are so now. Each is limited to <see cref="Limit"/> rows with its total and a link to all of them.
/// </summary>
public static class ReportLists
{
    public const int Limit = 20;

    public sealed record CaseList(string Key, string Name, int Total, IReadOnlyList<CaseSummary> Items, string Link);

    /// <summary>
    /// The lists as of a closed period's end: which of the cohort's cases each holds (at the period's end). Their keys are
    /// also "figures" of the reports' cases page (<see cref="ReportCases"/>), which lists them in full.
    /// </summary>
    public static readonly IReadOnlyList<(string Key, Func<PeriodFacts.CohortCase, DateTime, bool> Holds)> Then =
    [
        ("overdue", (c, asOf) => c.OverdueAt(asOf)),
        ("suspended", (c, _) => c.SuspendedThen),
        ("supervised", (c, _) => c.SupervisedThen),
    ];

    public static Func<PeriodFacts.CohortCase, DateTime, bool>? ThenList(string key) => Then.FirstOrDefault(l => l.Key == key).Holds;

    public sealed class Handler(PeriodFacts.Handler facts, ListCases.Handler list, CaseReader reader, OrgDirectory org, TimeProvider clock, Texts texts)
    {
        /// <param name="closedDetails">A whole-town closed period's persisted details (the lists' totals and first cases,
        /// <see cref="ClosedPeriodDetails"/>); null: the cohort is replayed for them.</param>
        public async Task<IReadOnlyList<CaseList>> ListsAsync(Period period, bool closed, DateTime asOf, ListCases.Query? filters, UnitInfo? scope,
            Func<string, string?, string?, string> link, CancellationToken ct, ClosedPeriodDetails? closedDetails = null)
        {
            var result = new List<CaseList>();
            var unit = scope?.Code;
            if (closed)
            {
                // As of the period's end: the cohort's cases that were so then (their links list exactly these).
                var units = await org.GetAsync(ct);
                var cohort = closedDetails is null ? await facts.CasesAsync(period, ct, filters) : null;
                foreach (var (key, holds) in Then)
                {
                    var head = closedDetails?.List(key)
                        ?? CaseListHead.Of(cohort!.Where(c => holds(c, asOf)).Select(c => (c.Id, c.RegisteredAt)).ToList());
                    var items = await ReportCases.SummariesAsync(head.First.Select(c => c.Id).ToList(), list, reader, units, clock, ct);
                    result.Add(new CaseList(key, texts["report.list." + key + "-then"], head.Total, items, link(key, null, null)));
                }
                return result;
            }
            result.Add(await CurrentAsync("overdue", texts["report.list.overdue"], new ListCases.Query { Overdue = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            result.Add(await CurrentAsync("suspended", texts["report.list.suspended"], new ListCases.Query { Suspended = "true", OrgUnit = unit, Sort = "dueAt" }, ct));
            result.Add(await CurrentAsync("supervised", texts["report.list.supervised"], new ListCases.Query { Supervised = "true", OrgUnit = unit, Sort = "supervisionDueAt" }, ct));
            return result;
        }

    private async Task<CaseList> CurrentAsync(string key, string name, ListCases.Query query, CancellationToken ct)
        {
            var page = await list.HandleAsync(query with { PageSize = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            return new CaseList(key, name, page.Total, page.Items, "/cases" + (query with { Sort = null }).ToQueryString());
        }
    }
}
