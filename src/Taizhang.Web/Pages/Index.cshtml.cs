using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Tasks;

namespace Taizhang.Web.Pages;

/// <summary>Home: where each person starts their day (<see cref="GetMyTasks.StartPage"/>).</summary>
public sealed class IndexModel(CurrentUser user) : PageModel
{
    public async Task<IActionResult> OnGetAsync() =>
        LocalRedirect(GetMyTasks.StartPage(await user.AccessAsync(HttpContext.RequestAborted)));
}
