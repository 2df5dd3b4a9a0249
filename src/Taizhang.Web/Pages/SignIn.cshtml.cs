using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages;

[AllowAnonymous]
[EnableRateLimiting(ApiSetup.SignInRateLimit)]
public sealed class SignInModel(SignInThrottle throttle, Texts texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            return Failed(texts["signin.missing"]);
        }
        AppUser user;
        try
        {
            user = await throttle.SignInAsync(UserName.Trim(), Password, HttpContext.RequestAborted);
        }
        catch (SignInFailedException e)
        {
            return Failed(texts.Format("signin.failed", e.WaitMinutes));
        }
        catch (TooManySignInsException e)
        {
            Response.Headers.RetryAfter = ((long)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Failed(texts.Format("problem.sign-in-address-throttled", e.Minutes), StatusCodes.Status429TooManyRequests);
        }
        // A password someone else knows is changed before anything else (PasswordChangeGate).
        return LocalRedirect(user.MustChangePassword ? PasswordChangeGate.AccountPage : LocalOrHome(ReturnUrl));
    }

    private PageResult Failed(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Password = null;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>
    /// Where to go back to: <paramref name="url"/> when it is a path on this site, with every
    /// non-ASCII character percent-encoded as UTF-8 (a Location header is ASCII: "/cases?q=张"
    /// becomes "/cases?q=%E5%BC%A0", the same page); "/" otherwise.
    /// </summary>
    public static string LocalOrHome(string? url)
    {
        if (!IsLocal(url))
        {
            return "/";
        }
        var encoded = new System.Text.StringBuilder(url!.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                encoded.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                encoded.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    /// <summary>A path on this site: "/x", never "//host", "/\host" or a scheme.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
