using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// /reports/export.xlsx?…: the reports page's query string (period, month, quarter, year, from, to,
/// unit) as a workbook, through the same handler as the API's export and in the caller's scope. A
/// refusal (a period or unit that makes no sense) is a page with the message and the way back.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ReportRateLimit.Policy)]
public sealed class ExportModel(ExportReport.Handler export) : StaffPage
{
    public string Back { get; private set; } = "/reports";

    public IEnumerable<string> Messages => ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage);

    public async Task<IActionResult> OnGetAsync()
    {
        string? Get(string name) => Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        var query = new ReportData.Query
        {
            Period = Get("period"), Month = Get("month"), Quarter = Get("quarter"), Year = Get("year"),
            From = Get("from"), To = Get("to"), Unit = Get("unit"),
        };
        Back = "/reports" + query.ToQueryString();
        WorkbookDownload? download = null;
        if (await TryAsync(async () => download = await export.HandleAsync(query, HttpContext.RequestAborted), prefix: "Query."))
        {
            return download!;
        }
        return Page();
    }
}
