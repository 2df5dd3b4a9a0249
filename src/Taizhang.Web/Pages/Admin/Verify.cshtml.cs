using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 台账校验: walks every event hash chain of the administrator's area (the whole ledger at the top
/// level) on a POST — it reads every event, so never on a GET that a crawler or a reload repeats —
/// and shows the result: cases and events checked, the time taken, each broken case with a link.
/// The same handler as GET /api/v1/admin/verify.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class VerifyModel(VerifyEventChain.Handler verify, AdminOverview.Handler overview) : StaffPage
{
    public VerifyEventChain.Response? Result { get; private set; }

    public AdminOverview.Summary Summary { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Summary = await overview.HandleAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Result = await verify.HandleAsync(null, ct);
        Summary = await overview.HandleAsync(ct);
        return Page();
    }
}
