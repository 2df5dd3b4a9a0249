using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Pages;

/// <summary>Signs out here and everywhere (as the API's DELETE /api/v1/session), then back to sign-in.</summary>
[AllowedBeforePasswordChange]
public sealed class SignOutModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, CurrentUser current) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await Session.SignOutAsync(signIn, users, current, HttpContext.RequestAborted);
        return LocalRedirect("/signin");
    }
}
