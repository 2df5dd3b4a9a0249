using Taizhang.Domain.Access;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// 月报 (/reports/print, the reports page's query): the same report made for paper — A4 portrait, the
/// town's title, the figures with their definitions, the charts drawn as SVG, the lists and a signature
/// line; no menu, no controls (reports-print.css). Printed (or saved as PDF) from the browser.
/// </summary>
[Requires(Permission.ReadCases)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ReportRateLimit.Policy)]
public sealed class PrintModel(ReportData.Handler reports, CurrentUser user, OrgDirectory org, Texts texts, ReportAudit audit)
    : ReportPage(reports, user, org, texts)
{
    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(withTrends: true);
        if (Report is not null)
        {
            await audit.RecordAsync(ReportAudit.PrintAction, "reports:print", Query, ct);
        }
    }

    /// <summary>月报, 季报, 年报 or 统计报表 by the period's kind.</summary>
    public string DocumentKind => Report?.Kind switch
    {
        ReportData.PeriodKind.Month => "month",
        ReportData.PeriodKind.Quarter => "quarter",
        ReportData.PeriodKind.Year => "year",
        _ => "custom",
    };
}
