using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// 月报: one month's cohort (the cases registered in that Shanghai calendar month, in the caller's
/// scope) and where it stands now, by village (a group's cases count for its village; a town's
/// own for the town), with the rates' definitions as on the board (PRODUCT.md "Rates"). One
/// grouped query over the month through the ledger's own filter code, so a row's figures are the
/// counts of the ledger's links with the same filters.
/// </summary>
public static class MonthlyReport
{
    public sealed record Figures(int Registered, int Accepted, int Handled, int Solved, int OnTime, int FollowedUp, int Verdicts, int Satisfied)
    {
        public static readonly Figures Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

        public Figures Plus(Figures o) => new(Registered + o.Registered, Accepted + o.Accepted, Handled + o.Handled, Solved + o.Solved,
            OnTime + o.OnTime, FollowedUp + o.FollowedUp, Verdicts + o.Verdicts, Satisfied + o.Satisfied);
    }

    /// <summary>A rate as numerator ÷ denominator; Value is null when nothing was counted.</summary>
    public sealed record Rate(int Numerator, int Denominator)
    {
        public double? Value => Denominator == 0 ? null : Math.Round((double)Numerator / Denominator, 4);
    }

    public sealed record Rates(Rate Handling, Rate Resolution, Rate OnTime, Rate FollowUp, Rate Satisfaction)
    {
        public static Rates Of(Figures f) => new(
            new Rate(f.Handled, f.Accepted), new Rate(f.Solved, f.Handled), new Rate(f.OnTime, f.Handled),
            new Rate(f.FollowedUp, f.Handled), new Rate(f.Satisfied, f.Verdicts));
    }

    public sealed record Row(UnitRef Unit, Figures Figures, Rates Rates);

    public sealed record Response(string Month, DateOnly From, DateOnly To, IReadOnlyList<Row> Rows, Figures Total, Rates TotalRates,
        IReadOnlyDictionary<string, string> Definitions);

    public sealed class Handler(ListCases.Handler list, OrgDirectory org, TimeProvider clock, DuePolicy due, Texts texts)
    {
        public async Task<Response> HandleAsync(string? month, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
            var first = new DateOnly(today.Year, today.Month, 1);
            if (!string.IsNullOrWhiteSpace(month))
            {
                if (!DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
                {
                    errors.Add("month", texts["field.month"]);
                }
                else if (first > today)
                {
                    errors.Add("month", texts["field.month-future"]);
                }
            }
            errors.ThrowIfAny();
            var last = first.AddMonths(1).AddDays(-1);
            var query = new ListCases.Query { From = Day(first), To = Day(last) };
            var cases = await list.FilterAsync(query, errors, ct);
            errors.ThrowIfAny();

            var groups = await cases
                .GroupBy(c => new { c.OrgUnitId, c.Status, c.Outcome, c.Satisfaction, OnTime = c.ResolvedAt != null && c.ResolvedAt < c.DueAt })
                .Select(g => new { g.Key.OrgUnitId, g.Key.Status, g.Key.Outcome, g.Key.Satisfaction, g.Key.OnTime, Count = g.Count() })
                .ToListAsync(ct);

            var units = await org.GetAsync(ct);
            var byUnit = new Dictionary<long, Figures>();
            foreach (var g in groups)
            {
                var unit = ReportingUnit(units, g.OrgUnitId);
                var accepted = g.Status is not (CaseStatus.Rejected or CaseStatus.Merged);
                var handled = g.Status is CaseStatus.Resolved or CaseStatus.FollowedUp;
                var verdict = g.Satisfaction is not null;
                var f = new Figures(
                    Registered: g.Count,
                    Accepted: accepted ? g.Count : 0,
                    Handled: handled ? g.Count : 0,
                    Solved: handled && g.Outcome == Outcome.Solved ? g.Count : 0,
                    OnTime: handled && g.OnTime ? g.Count : 0,
                    FollowedUp: handled && verdict ? g.Count : 0,
                    // A verdict of any kind: an unsatisfied one reopened its case, and still counts against satisfaction.
                    Verdicts: verdict ? g.Count : 0,
                    Satisfied: g.Satisfaction is Satisfaction.Satisfied or Satisfaction.BasicallySatisfied ? g.Count : 0);
                byUnit[unit.Id] = byUnit.TryGetValue(unit.Id, out var sum) ? sum.Plus(f) : f;
            }
            var rows = byUnit
                .Select(kv => units.UnitsById[kv.Key])
                .OrderBy(u => u.Path, StringComparer.Ordinal)
                .Select(u => new Row(new UnitRef(u.Code, u.Name), byUnit[u.Id], Rates.Of(byUnit[u.Id])))
                .ToList();
            var total = byUnit.Values.Aggregate(Figures.Zero, (a, b) => a.Plus(b));
            return new Response(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, last, rows, total, Rates.Of(total),
                Definitions.ToDictionary(d => d, d => $"{texts["rate." + d]} = {texts["rate." + d + ".definition"]}"));
        }

        // The same texts as the board's (Resources/pages.*.json "rate.*"): one definition per rate.
        private static readonly string[] Definitions = ["handling", "resolution", "on-time", "follow-up", "satisfaction"];

        /// <summary>The village (or community) a case counts for: a group's is its village; others their own unit.</summary>
        private static UnitInfo ReportingUnit(OrgDirectory.Snapshot units, long id)
        {
            var unit = units.UnitsById[id];
            return unit.Kind == OrgUnitKind.Group && unit.ParentId is { } parent && units.UnitsById.TryGetValue(parent, out var village)
                ? village
                : unit;
        }

        private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static async Task<Ok<Response>> Endpoint(string? month, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(month, ct));

    public static IServiceCollection AddReports(this IServiceCollection services) => services.AddScoped<Handler>();

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/monthly", Endpoint).WithTags("Reports").WithName("MonthlyReport").ProducesValidationProblem();
        return app;
    }
}
