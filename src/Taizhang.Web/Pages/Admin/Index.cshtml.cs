using Microsoft.AspNetCore.Authorization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin;

/// <summary>管理: every administration page with a one-line summary, within the administrator's posts.</summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class IndexModel(AdminOverview.Handler overview) : StaffPage
{
    public AdminOverview.Summary Summary { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Summary = await overview.HandleAsync(ct);
}
