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
/// lifecycle), what is late or due soon, and this month's rates. Every number is counted through
/// the ledger's own filters — the stages from <see cref="Lifecycle"/>, the rates from
/// <see cref="CaseFigures"/> through the monthly report — and comes with the ledger query that
/// lists exactly those cases, so the board, the queues, the report and the list cannot disagree.
/// </summary>
public static class GetBoard
{
    /// <summary>A number and the ledger query that lists exactly the cases it counts.</summary>
    public sealed record Figure(string Key, ListCases.Query Query, int Count)
    {
        public string Link => Query.Link;
    }

    public sealed record StageFigure(CaseStage Stage, Figure Figure);

    public sealed record Rate(string Key, Figure Numerator, Figure Denominator)
    {
        /// <summary>Null when nothing was counted (no "0%" for an empty month).</summary>
        public double? Value => Denominator.Count == 0 ? null : (double)Numerator.Count / Denominator.Count;
    }

    public sealed record Board(
        IReadOnlyList<StageFigure> Stages, ListCases.CasePage Overdue, ListCases.CasePage DueSoon,
        DateOnly MonthStart, DateOnly Today, IReadOnlyList<Rate> Rates);

    /// <summary>How many overdue and due-soon cases the board lists (the rest are a link away).</summary>
    public const int ListSize = 10;

    public static readonly ListCases.Query OverdueQuery = new() { Overdue = "true", Sort = "dueAt" };
    public static readonly ListCases.Query DueSoonQuery = new() { DueSoon = "true", Sort = "dueAt" };

    public sealed class Handler(ListCases.Handler list, MonthlyReport.Handler monthly, DuePolicy due, TimeProvider clock)
    {
        public async Task<Board> HandleAsync(CancellationToken ct)
        {
            var stages = new List<StageFigure>();
            foreach (var stage in Enum.GetValues<CaseStage>())
            {
                var query = ListCases.Query.OfStage(stage);
                stages.Add(new StageFigure(stage, new Figure(stage.ToString(), query, await CountAsync(query, ct))));
            }
            var size = ListSize.ToString(CultureInfo.InvariantCulture);
            var overdue = await list.HandleAsync(OverdueQuery with { PageSize = size }, ct);
            var soon = await list.HandleAsync(DueSoonQuery with { PageSize = size }, ct);

            // This month's cohort: the cases registered since the first of the month (local time). The
            // counts are the monthly report's (one grouped query); each figure links to the ledger
            // narrowed by the same definition (the tests hold them equal).
            var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
            var monthStart = new DateOnly(today.Year, today.Month, 1);
            var month = new ListCases.Query { From = Day(monthStart), To = Day(today) };
            var report = (await monthly.HandleAsync(null, ct, withConsultation: false)).Total;
            Figure Of(CaseFigure f) => new(f.Key, month.Where(f), report[f]);
            var rates = CaseFigures.Rates.Select(r => new Rate(r.Key, Of(r.Numerator), Of(r.Denominator))).ToList();
            return new Board(stages, overdue, soon, monthStart, today, rates);
        }

        private async Task<int> CountAsync(ListCases.Query query, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var cases = await list.FilterAsync(query, errors, ct);
            errors.ThrowIfAny();
            return await cases.CountAsync(ct);
        }

        private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
