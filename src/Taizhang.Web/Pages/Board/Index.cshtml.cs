using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages.Board;

/// <summary>
/// 一览清: where every matter in the user's scope stands, what is late, and this month's rates.
/// Every number is counted through the ledger's own filters (<see cref="ListCases.Handler.FilterAsync"/>;
/// the rates through the monthly report, which filters the same way) and links to the ledger with
/// those filters, so the board, the report and the list can never disagree.
/// </summary>
public sealed class IndexModel(ListCases.Handler list, Features.Reports.MonthlyReport.Handler monthly, Shared.PageChrome show) : StaffPage
{
    public sealed record Figure(string Key, ListCases.Query Query, int Count)
    {
        public string Link => "/cases" + Query.ToQueryString();
    }

    public sealed record Rate(string Key, Figure Numerator, Figure Denominator)
    {
        /// <summary>Null when nothing was counted (no "0%" for an empty month).</summary>
        public double? Value => Denominator.Count == 0 ? null : (double)Numerator.Count / Denominator.Count;

        public string Shown => Value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "—";
    }

    /// <summary>The stages of the board and the states each covers.</summary>
    public static readonly IReadOnlyList<(string Key, string Statuses)> StageStatuses =
    [
        ("registered", "Registered"),
        ("in-triage", "Triaged,Returned,Reopened"),
        ("in-progress", "Assigned,InProgress,Planned"),
        ("deliberating", "Ledgered,Deliberating"),
        ("awaiting-follow-up", "Resolved"),
        ("closed", "FollowedUp,Rejected,Merged"),
    ];

    public IReadOnlyList<Figure> Stages { get; private set; } = [];

    public ListCases.CasePage Overdue { get; private set; } = null!;

    public ListCases.CasePage DueSoon { get; private set; } = null!;

    public IReadOnlyList<Rate> Rates { get; private set; } = [];

    public DateOnly MonthStart { get; private set; }

    public DateOnly Today { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var stages = new List<Figure>();
        foreach (var (key, statuses) in StageStatuses)
        {
            stages.Add(await CountAsync(key, new ListCases.Query { Status = statuses }, ct));
        }
        Stages = stages;

        var overdue = new ListCases.Query { Overdue = "true", Sort = "dueAt", PageSize = "10" };
        var soon = new ListCases.Query { DueSoon = "true", Sort = "dueAt", PageSize = "10" };
        Overdue = await list.HandleAsync(overdue, ct);
        DueSoon = await list.HandleAsync(soon, ct);

        // This month's cohort: the cases registered since the first of the month (local time).
        Today = show.Today;
        MonthStart = new DateOnly(Today.Year, Today.Month, 1);
        var month = new ListCases.Query { From = Day(MonthStart), To = Day(Today) };
        const string resolved = "Resolved,FollowedUp";
        // The counts are the monthly report's (one grouped query, the same definitions as the report);
        // each links to the ledger with the filters that list exactly those cases (the tests hold them equal).
        var report = (await monthly.HandleAsync(null, ct)).Total;
        var accepted = new Figure("accepted", month with { Status = "Registered,Triaged,Returned,Assigned,InProgress,Resolved,FollowedUp,Reopened,Ledgered,Deliberating,Planned" }, report.Accepted);
        var handled = new Figure("handled", month with { Status = resolved }, report.Handled);
        var onTime = new Figure("on-time", month with { Status = resolved, OnTime = "true" }, report.OnTime);
        // A verdict of any kind: an unsatisfied one reopened its case, and still counts against satisfaction.
        var verdicts = new Figure("verdicts", month with { Satisfaction = "Satisfied,BasicallySatisfied,Unsatisfied" }, report.Verdicts);
        var satisfied = new Figure("satisfied", month with { Satisfaction = "Satisfied,BasicallySatisfied" }, report.Satisfied);
        var followedUp = new Figure("followed-up", month with { Status = resolved, Satisfaction = "Satisfied,BasicallySatisfied,Unsatisfied" }, report.FollowedUp);
        Rates =
        [
            new Rate("handling", handled, accepted),
            new Rate("on-time", onTime, handled),
            new Rate("satisfaction", satisfied, verdicts),
            new Rate("follow-up", followedUp, handled),
        ];
    }

    private async Task<Figure> CountAsync(string key, ListCases.Query query, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cases = await list.FilterAsync(query, errors, ct);
        errors.ThrowIfAny();
        return new Figure(key, query, await cases.CountAsync(ct));
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
