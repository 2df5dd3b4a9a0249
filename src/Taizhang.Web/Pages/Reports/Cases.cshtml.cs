using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// 数字背后的事项: the cases a report's figure counts (as of the period's end), with the period, the
/// scope, the figure's name and definition. The report's links come here with the report's query
/// plus <c>figure</c>, <c>dim</c> and <c>value</c>; a bad parameter is a message, never a 500.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ReportRateLimit.Policy)]
public sealed class CasesModel(ReportCases.Handler handler) : StaffPage
{
    public ReportCases.Query Query { get; private set; } = new();

    public ReportCases.Response? Result { get; private set; }

    public int Pages => Result is null ? 0 : Math.Max(1, (Result.Total + Result.PageSize - 1) / Result.PageSize);

    public async Task<IActionResult> OnGetAsync()
    {
        // From the query string itself: "page" is also Razor Pages' route value (the page's path).
        string? Get(string name) => Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        Query = new ReportCases.Query
        {
            Period = Get("period"), Month = Get("month"), Quarter = Get("quarter"), Year = Get("year"), From = Get("from"), To = Get("to"),
            Unit = Get("unit"), Figure = Get("figure"), Dim = Get("dim"), Value = Get("value"), Page = Get("page"),
        };
        await TryAsync(async () => Result = await handler.HandleAsync(Query, HttpContext.RequestAborted), prefix: "Query.");
        return Page();
    }

    /// <summary>Another page of the same list.</summary>
    public string PageLink(int page)
    {
        var q = Result!.ReportQuery;
        var link = "/reports/cases" + (q.Length == 0 ? "?" : q + "&") + "figure=" + Uri.EscapeDataString(Result.Figure);
        if (Result.Dimension is { } d)
        {
            link += "&dim=" + Uri.EscapeDataString(d) + "&value=" + Uri.EscapeDataString(Result.Value ?? "");
        }
        return link + "&page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Back to the report this list came from.</summary>
    public string ReportLink => "/reports" + (Result?.ReportQuery ?? "");
}
