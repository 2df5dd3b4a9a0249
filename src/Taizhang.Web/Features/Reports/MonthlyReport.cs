using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;
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
    /// <summary>A cohort's figures, one per <see cref="CaseFigures.All"/> (the same names).</summary>
    public sealed record Figures(int Registered, int Accepted, int Handled, int Solved, int OnTime, int ResolvedOnce, int FollowedUp, int Satisfied)
    {
        public static readonly Figures Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

        /// <summary><paramref name="count"/> cases with these facts, counted by each figure's definition.</summary>
        public static Figures Of(CaseFacts facts, int count)
        {
            int N(CaseFigure figure) => figure.Counts(facts) ? count : 0;
            return new(N(CaseFigures.Registered), N(CaseFigures.Accepted), N(CaseFigures.Handled), N(CaseFigures.Solved),
                N(CaseFigures.OnTime), N(CaseFigures.ResolvedOnce), N(CaseFigures.FollowedUp), N(CaseFigures.Satisfied));
        }

        public int this[CaseFigure figure] => figure.Key switch
        {
            "registered" => Registered,
            "accepted" => Accepted,
            "handled" => Handled,
            "solved" => Solved,
            "on-time" => OnTime,
            "resolved-once" => ResolvedOnce,
            "followed-up" => FollowedUp,
            "satisfied" => Satisfied,
            _ => throw new ArgumentOutOfRangeException(nameof(figure), figure.Key, "Not a figure of the monthly report."),
        };

        public Figures Plus(Figures o) => new(Registered + o.Registered, Accepted + o.Accepted, Handled + o.Handled, Solved + o.Solved,
            OnTime + o.OnTime, ResolvedOnce + o.ResolvedOnce, FollowedUp + o.FollowedUp, Satisfied + o.Satisfied);
    }

    /// <summary>A rate as numerator ÷ denominator; Value is null when nothing was counted.</summary>
    public sealed record Rate(int Numerator, int Denominator)
    {
        public double? Value => Denominator == 0 ? null : Math.Round((double)Numerator / Denominator, 4);

        public static Rate Of(RateDefinition definition, Figures f) => new(f[definition.Numerator], f[definition.Denominator]);
    }

    public sealed record Rates(Rate Handling, Rate Resolution, Rate OnTime, Rate FollowUp, Rate Satisfaction)
    {
        public static Rates Of(Figures f) => new(
            Rate.Of(CaseFigures.HandlingRate, f), Rate.Of(CaseFigures.ResolutionRate, f), Rate.Of(CaseFigures.OnTimeRate, f),
            Rate.Of(CaseFigures.FollowUpRate, f), Rate.Of(CaseFigures.SatisfactionRate, f));
    }

    public sealed record Row(UnitRef Unit, Figures Figures, Rates Rates);

    public sealed record Response(string Month, DateOnly From, DateOnly To, IReadOnlyList<Row> Rows, Figures Total, Rates TotalRates,
        IReadOnlyDictionary<string, string> Definitions)
    {
        /// <summary>协商议事成效: the month's consultation figures (<see cref="Consultation.ConsultationReport"/>), each with its definition.</summary>
        public Consultation.ConsultationReport.Response? Consultation { get; init; }
    }

    public sealed class Handler(PeriodFacts.Handler facts, OrgDirectory org, TimeProvider clock, DuePolicy due, Texts texts,
        Consultation.ConsultationReport.Handler consultation)
    {
        public async Task<Response> HandleAsync(string? month, CancellationToken ct) => await HandleAsync(month, ct, withConsultation: true);

        /// <summary>
        /// The month's cohort as of its end (<see cref="PeriodFacts"/>): a closed month's figures stay as
        /// they were when it ended; the running month's are as of now.
        /// </summary>
        public async Task<Response> HandleAsync(string? month, CancellationToken ct, bool withConsultation)
        {
            var errors = new FieldErrors();
            var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
            var first = new DateOnly(today.Year, today.Month, 1);
            if (!string.IsNullOrWhiteSpace(month))
            {
                // Months before 2000 are refused as the reports page refuses them (ReportData.InRange): the ledger's dates are
                // checked the same way, and the period's filters would otherwise fail on their own fields (from, to).
                if (!DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
                    || !ReportData.InRange(first))
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
            var set = await facts.GetAsync(new Period(first, last > today ? today : last), ct);

            var units = await org.GetAsync(ct);
            var byUnit = new Dictionary<long, Figures>();
            foreach (var row in set.Rows)
            {
                var unit = ReportingUnit(units, row.OrgUnitId);
                var f = Figures.Of(row.Facts, row.Count);
                byUnit[unit.Id] = byUnit.TryGetValue(unit.Id, out var sum) ? sum.Plus(f) : f;
            }
            var rows = byUnit
                .Select(kv => units.UnitsById[kv.Key])
                .OrderBy(u => u.Path, StringComparer.Ordinal)
                .Select(u => new Row(new UnitRef(u.Code, u.Name), byUnit[u.Id], Rates.Of(byUnit[u.Id])))
                .ToList();
            var total = byUnit.Values.Aggregate(Figures.Zero, (a, b) => a.Plus(b));
            return new Response(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), first, last, rows, total, Rates.Of(total),
                CaseFigures.Rates.ToDictionary(r => r.Key, r => $"{texts["rate." + r.Key]} = {texts["rate." + r.Key + ".definition"]}"))
            {
                Consultation = withConsultation ? await consultation.ForPeriodAsync(first, last, ct) : null,
            };
        }

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

    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        // The 12345 assessment scheme's weights and window (PRODUCT.md defaults); refused at start-up when they cannot score.
        var scheme = (configuration.GetSection("Assessment").Get<AssessmentScheme>() ?? AssessmentScheme.Default).Validate();
        services.AddReportRateLimit(configuration);
        return services.AddSingleton(scheme).AddScoped<Handler>().AddScoped<GetBoard.Handler>().AddScoped<PeriodFacts.Handler>()
            .AddScoped<ReportData.Handler>().AddSingleton<ClosedPeriodCache>().AddScoped<CaseCounters>().AddScoped<ReportRankings.Handler>().AddScoped<ReportLists.Handler>()
            .AddScoped<ReportCases.Handler>().AddScoped<ReportAudit>().AddHostedService<CaseCounterCompactor>();
    }

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports", async ([AsParameters] ReportData.Query q, ReportData.Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(q, ct)))
            .RequireAuthorization(Accounts.Policies.SignedIn).RequireRateLimiting(ReportRateLimit.Policy).WithTags("Reports").WithName("Report").ProducesValidationProblem();
        app.MapGet("/api/v1/reports/cases", async ([AsParameters] ReportCases.Query q, ReportCases.Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(q, ct)))
            .RequireAuthorization(Accounts.Policies.SignedIn).RequireRateLimiting(ReportRateLimit.Policy).WithTags("Reports").WithName("ReportCases").ProducesValidationProblem();
        app.MapGet("/api/v1/reports/monthly", Endpoint).RequireAuthorization(Accounts.Policies.SignedIn).RequireRateLimiting(ReportRateLimit.Policy).WithTags("Reports").WithName("MonthlyReport").ProducesValidationProblem();
        return app;
    }
}
