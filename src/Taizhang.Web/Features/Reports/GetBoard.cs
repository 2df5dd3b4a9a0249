using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// 一览清: where every matter in the caller's scope stands (one figure per stage of the
/// lifecycle), what is late, due soon, suspended or supervised, and the rates of a period (this
/// month, last month as of its end, this year) beside the period before and a 12-month trend. The
/// stages are counted through the ledger's own filters (<see cref="Lifecycle"/>), the rates through
/// <see cref="PeriodFacts"/> (<see cref="CaseFigures"/>, as of the period's end), and every number
/// comes with the link that lists exactly those cases, so the board, the queues, the reports and the
/// list cannot disagree.
/// </summary>
public static class GetBoard
{
    /// <summary>A number and the ledger query that lists exactly the cases it counts.</summary>
    public sealed record Figure(string Key, ListCases.Query Query, int Count)
    {
        public string Link => Query.Link;
    }

    public sealed record StageFigure(CaseStage Stage, Figure Figure);

    /// <summary>A part of a rate: its count and the link listing exactly those cases (as of the period's end).</summary>
    public sealed record Part(string Key, int Count, string Link);

    /// <summary>One month of a rate's 12-month trend (as of that month's end; the running month as of now).</summary>
    public sealed record TrendPoint(string Month, double? Value);

    public sealed record Rate(string Key, Part Numerator, Part Denominator, double? Previous, IReadOnlyList<TrendPoint> Trend)
    {
        /// <summary>Null when nothing was counted (no "0%" for an empty month).</summary>
        public double? Value => Denominator.Count == 0 ? null : (double)Numerator.Count / Denominator.Count;
    }

    /// <summary>The board's periods: this month (the default), last month (as of its end), this year.</summary>
    public static readonly IReadOnlyList<string> Periods = ["month", "last-month", "year"];

    public sealed record Board(
        IReadOnlyList<StageFigure> Stages, ListCases.CasePage Overdue, ListCases.CasePage DueSoon,
        ListCases.CasePage Suspended, ListCases.CasePage Supervised,
        string Period, DateOnly From, DateOnly To, DateOnly Today, IReadOnlyList<Rate> Rates)
    {
        /// <summary>The first day of the period (the board showed this month only before the picker).</summary>
        public DateOnly MonthStart => From;
    }

    /// <summary>How many cases each list on the board shows (the rest are a link away).</summary>
    public const int ListSize = 10;

    public static readonly ListCases.Query OverdueQuery = new() { Overdue = "true", Sort = "dueAt" };
    public static readonly ListCases.Query DueSoonQuery = new() { DueSoon = "true", Sort = "dueAt" };
    public static readonly ListCases.Query SuspendedQuery = new() { Suspended = "true", Sort = "dueAt" };
    public static readonly ListCases.Query SupervisedQuery = new() { Supervised = "true", Sort = "supervisionDueAt" };

    public sealed class Handler(ListCases.Handler list, PeriodFacts.Handler facts, CaseCounters counters, IServiceScopeFactory scopes)
    {
        /// <summary>The board's period for <paramref name="period"/> as of today: what <see cref="HandleAsync"/> reports on.</summary>
        public Period PeriodOf(string? period) => PeriodOf(period, facts.Today);

        /// <summary>This month so far, last month whole, or this year so far (the last two months are those of <see cref="Period.TwelveMonths"/>).</summary>
        private static Period PeriodOf(string? period, DateOnly today) => period?.Trim().ToLowerInvariant() switch
        {
            "last-month" => Period.Month(new DateOnly(today.Year, today.Month, 1).AddMonths(-1)),
            "year" => new Period(new DateOnly(today.Year, 1, 1), today),
            _ => new Period(new DateOnly(today.Year, today.Month, 1), today),
        };

        /// <param name="period">month (default), last-month or year; anything else is this month.</param>
        public async Task<Board> HandleAsync(CancellationToken ct, string? period = null)
        {
            period = Periods.Contains(period?.Trim().ToLowerInvariant()) ? period!.Trim().ToLowerInvariant() : "month";
            // The four lists read beside the stages and rates (SideTask: a scope and connection of their own, the same user):
            // at county scope they were half of the board's statements, one after another (PostgreSQL: 55 ms for the board).
            await using var lists = SideTask<(ListCases.CasePage, ListCases.CasePage, ListCases.CasePage, ListCases.CasePage)>.Start(scopes,
                services => ListsAsync(services.GetRequiredService<ListCases.Handler>(), services.GetRequiredService<Deadlines.DeadlineInstructions>(), ct), ct);
            var stages = new List<StageFigure>();
            // From the status counters when the caller reads by area (CaseCounters), every stage from one read: the same
            // numbers as the ledger's counts.
            var byStatus = await counters.StatusCountsAsync(ct);
            foreach (var stage in Enum.GetValues<CaseStage>())
            {
                var query = ListCases.Query.OfStage(stage);
                var count = byStatus is { } known ? Lifecycle.StatusesOf(stage).Sum(s => known[s]) : await CountAsync(query, ct);
                stages.Add(new StageFigure(stage, new Figure(stage.ToString(), query, count)));
            }
            // The last 12 months, each once, as of its end (PeriodFacts: a closed month replays the cases
            // changed since, and is kept a few minutes per caller; the running month is read as it stands). They draw the sparklines and give
            // this month and last month with the month before each.
            var today = facts.Today;
            var clippedMonths = Period.TwelveMonths(today).Select(m => m.To > today ? m with { To = today } : m).ToList();
            // The closed ones in one read of the towns' stored figures (a county's eleven: one statement, not eleven).
            var totals = await facts.TotalsAsync(clippedMonths, ct);
            var months = clippedMonths.Select(m => (Month: m, Totals: totals[m])).ToList();
            var current = PeriodOf(period, today);
            FigureCounts counts, previous;
            switch (period)
            {
                case "last-month":
                    counts = months[^2].Totals;
                    previous = months[^3].Totals;
                    break;
                case "year":
                    counts = await facts.TotalsAsync(current, ct);
                    var lastYear = Period.Year(new DateOnly(today.Year - 1, 1, 1));
                    previous = await TotalsAsync(lastYear, ct);
                    break;
                default:
                    counts = months[^1].Totals;
                    previous = months[^2].Totals;
                    break;
            }

            // A running period stands as the ledger does now: its parts link to the ledger narrowed by the
            // same definition. Last month is as of its end: its parts link to the report's list of exactly
            // those cases then.
            var ledger = new ListCases.Query { From = current.FromText, To = current.ToText };
            string Link(CaseFigure f) => period == "last-month"
                ? "/reports/cases?period=last-month&figure=" + f.Key
                : ledger.Where(f).Link;
            Part Of(CaseFigure f) => new(f.Key, counts[f], Link(f));
            var rates = CaseFigures.Rates.Select(r => new Rate(r.Key, Of(r.Numerator), Of(r.Denominator), previous.Rate(r).Value,
                months.Select(m => new TrendPoint(m.Month.From.ToString("yyyy-MM", CultureInfo.InvariantCulture), m.Totals.Rate(r).Value)).ToList())).ToList();
            var (overdue, soon, suspended, supervised) = await lists.Result;
            return new Board(stages, overdue, soon, suspended, supervised, period, current.From, current.To, today, rates);
        }

        /// <summary>What is late, due soon, suspended and supervised: the first <see cref="ListSize"/> of each.</summary>
        private static async Task<(ListCases.CasePage, ListCases.CasePage, ListCases.CasePage, ListCases.CasePage)> ListsAsync(
            ListCases.Handler list, Deadlines.DeadlineInstructions instructions, CancellationToken ct)
        {
            var size = ListSize.ToString(CultureInfo.InvariantCulture);
            var overdue = await list.HandleAsync(OverdueQuery with { PageSize = size }, ct);
            var soon = await list.HandleAsync(DueSoonQuery with { PageSize = size }, ct);
            var suspended = await list.HandleAsync(SuspendedQuery with { PageSize = size }, ct);
            var supervised = await list.HandleAsync(SupervisedQuery with { PageSize = size }, ct);
            // Each supervised case with the leader's note (督办意见), beside its level and the supervision's own deadline.
            supervised = supervised with { Items = await instructions.WithInstructionsAsync(supervised.Items, ct) };
            return (overdue, soon, suspended, supervised);
        }

        private Task<FigureCounts> TotalsAsync(Period period, CancellationToken ct) => facts.TotalsAsync(period, ct);

        private async Task<int> CountAsync(ListCases.Query query, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var cases = await list.FilterAsync(query, errors, ct);
            errors.ThrowIfAny();
            return await cases.CountAsync(ct);
        }
    }
}
