using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Taizhang.Domain.Access;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Pages;

/// <summary>Home: where each post starts its day. Operators take calls; everyone else looks at the board.</summary>
public sealed class IndexModel(CurrentUser user) : PageModel
{
    public async Task<IActionResult> OnGetAsync()
    {
        var principal = await user.GetAsync(HttpContext.RequestAborted);
        var onlyTakesCalls = principal.Posts.Count > 0 && principal.Posts.All(p => p.Role == Role.Operator);
        return LocalRedirect(onlyTakesCalls ? "/hotline" : "/board");
    }
}
