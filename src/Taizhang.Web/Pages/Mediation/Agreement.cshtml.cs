using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Mediation;

namespace Taizhang.Web.Pages.Mediation;

/// <summary>
/// 人民调解协议书 for paper (A4, for signatures and the committee's seal). The parties are shown
/// unmasked only to those who may reveal the case's personal data, and each such printing is recorded
/// on the case as a viewing; others get the masked record.
/// </summary>
public sealed class AgreementModel(GetMediationPage.Handler page, RevealMediationParties.Handler reveal) : StaffPage
{
    public GetMediationPage.Page View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        View = await page.HandleAsync(id, ct);
        if (View.Mediation?.Agreement is null)
        {
            return NotFound();
        }
        if (View.MayReveal)
        {
            View = await page.HandleAsync(id, ct, await reveal.HandleAsync(id, ct));
        }
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
