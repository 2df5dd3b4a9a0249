using Taizhang.Domain.Access;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// 统计报表 (/reports): a period and a scope picked; the rates with their definitions and the previous
/// period's, the 12345 assessment, the funnel, the 12-month trend, the breakdowns, the rankings and the
/// consultation figures (<see cref="ReportData"/>). Every number links to its cases; tables first, charts on top.
/// </summary>
[Requires(Permission.ReadCases)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ReportRateLimit.Policy)]
public sealed class IndexModel(ReportData.Handler reports, CurrentUser user, OrgDirectory org, Texts texts)
    : ReportPage(reports, user, org, texts)
{
    public async Task OnGetAsync() => await LoadAsync(withTrends: true);
}
