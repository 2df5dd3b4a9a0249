using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// The cases behind a figure: exactly the cohort's cases (as of the period's end) that a figure of
/// the report counts, optionally within one row of a breakdown table (<c>dim</c>, <c>value</c>), in
/// the caller's scope, newest first, as the ledger's summaries. The count of a figure on the report
/// and the total here are the same number by construction (<see cref="PeriodFacts.Handler.CasesAsync"/>).
/// </summary>
public static class ReportCases
{
    public const int PageSize = 50;

    /// <summary>The report's query string plus which figure, which breakdown row, which page.</summary>
    public sealed record Query
    {
        public string? Period { get; init; }
        public string? Month { get; init; }
        public string? Quarter { get; init; }
        public string? Year { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Unit { get; init; }
        public string? Figure { get; init; }
        public string? Dim { get; init; }
        public string? Value { get; init; }
        public string? Page { get; init; }

        public ReportData.Query Report => new() { Period = Period, Month = Month, Quarter = Quarter, Year = Year, From = From, To = To, Unit = Unit };
    }

    public sealed record Response(
        string Label, DateOnly From, DateOnly To, DateTime AsOf, bool Closed, UnitRef? Scope,
        string Figure, string FigureName, string Definition, string? Dimension, string? DimensionName, string? Value,
        int Total, int Page, int PageSize, IReadOnlyList<CaseSummary> Items, string ReportQuery);

    public sealed class Handler(ReportData.Handler report, PeriodFacts.Handler facts, ListCases.Handler list, CaseReader reader, TimeProvider clock,
        Texts texts)
    {
        public async Task<Response> HandleAsync(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var resolved = await report.ResolveAsync(q.Report, errors, ct);
            var figureKey = q.Figure?.Trim() ?? "";
            var figure = CaseFigures.All.FirstOrDefault(f => f.Key == figureKey);
            // Not figures of CaseFigures: the monthly report's lists as of the period's end (ReportLists.Then).
            var then = figure is null ? ReportLists.ThenList(figureKey) : null;
            if (figure is null && then is null)
            {
                errors.Add("figure", texts.Format("field.one-of", string.Join(", ", CaseFigures.All.Select(f => f.Key).Concat(ReportLists.Then.Select(l => l.Key)))));
            }
            var dim = string.IsNullOrWhiteSpace(q.Dim) ? null : q.Dim.Trim();
            if (dim is not null && !ReportData.TableDimensions.Contains(dim))
            {
                errors.Add("dim", texts.Format("field.one-of", string.Join(", ", ReportData.TableDimensions)));
            }
            if (dim is null && q.Value is not null)
            {
                errors.Add("dim", texts["field.required"]);
            }
            var page = 1;
            if (!string.IsNullOrWhiteSpace(q.Page) && (!int.TryParse(q.Page, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1 || page > ListCases.MaxPage))
            {
                errors.Add("page", texts["field.page"]);
            }
            errors.ThrowIfAny();
            var (_, period, _, label, _, scope, filters, units) = resolved!;
            var value = q.Value?.Trim() ?? "";
            var where = dim is null ? null : ReportData.Handler.RowFilter(dim, value, units);
            var set = await facts.CasesAsync(period, ct, filters);
            var (asOf, closed) = facts.When(period);
            var ids = set
                .Where(c => (figure is null ? then!(c, asOf) : figure.Counts(c.Row.Facts)) && (where is null || where(c.Row)))
                .Select(c => c.Id)
                .ToList();
            var items = await SummariesAsync(ids.Skip((page - 1) * PageSize).Take(PageSize).ToList(), list, reader, units, clock, ct);
            return new Response(label, period.From, period.To, asOf, closed, scope is null ? null : new UnitRef(scope.Code, scope.Name),
                figureKey, texts["figure." + figureKey], texts["figure." + figureKey + ".definition"],
                dim, dim is null ? null : texts["report.dimension." + dim], dim is null ? null : value,
                ids.Count, page, PageSize, items, q.Report.ToQueryString());
        }
    }

    /// <summary>
    /// The ledger's summaries (as <see cref="ListCases"/> shows them, now) of <paramref name="ids"/>, in
    /// that order, within the caller's scope (an id out of scope is left out).
    /// </summary>
    public static async Task<IReadOnlyList<CaseSummary>> SummariesAsync(IReadOnlyList<long> ids, ListCases.Handler list, CaseReader reader,
        OrgDirectory.Snapshot units, TimeProvider clock, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var errors = new FieldErrors();
        var visible = await list.FilterAsync(new ListCases.Query(), errors, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var wanted = ids.ToArray();
        var rows = await visible.Where(c => wanted.Contains(c.Id))
            .Select(c => new
            {
                c.Id, c.TrackingCode, c.Title, c.Channel, c.Status, c.Track, c.Urgency, c.CategoryId, c.OrgUnitId,
                c.AssigneeUnitId, c.RegisteredAt, c.DueAt, c.ResolvedAt, c.Outcome, c.Satisfaction, c.UpdatedAt,
                c.SuspendedAt, c.SupervisionLevel, c.SuspensionReason,
            })
            .ToListAsync(ct);
        var byId = rows.ToDictionary(c => c.Id);
        // A suspended case is listed with its reason, masked as the ledger masks it.
        var mask = await list.TextMaskAsync(rows.Select(c => c.SuspensionReason), ct);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(c => new CaseSummary(
            c.Id, c.TrackingCode, c.Title, c.Channel, c.Status, c.Track, c.Urgency, units.CategoryRef(c.CategoryId),
            units.Ref(c.OrgUnitId), units.Ref(c.AssigneeUnitId), c.RegisteredAt, c.DueAt, reader.DueDate(c.DueAt),
            Lifecycle.IsOverdue(c.Status, c.DueAt, now, c.SuspendedAt != null), c.ResolvedAt, c.Outcome, c.Satisfaction, c.UpdatedAt)
        {
            Suspended = c.SuspendedAt != null,
            Supervision = Lifecycle.IsOpen(c.Status) ? c.SupervisionLevel : null,
            SuspensionReason = mask(c.SuspensionReason),
        }).ToList();
    }
}
