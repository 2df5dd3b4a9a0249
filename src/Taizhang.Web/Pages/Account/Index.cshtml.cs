using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Account;

/// <summary>The form of <c>/account</c>: what was typed is never sent back (passwords).</summary>
public sealed class PasswordForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }

    /// <summary>The confirmation always goes to the handler: an empty one is a mismatch, not "not given".</summary>
    public MyAccount.PasswordRequest ToRequest() => new(CurrentPassword, NewPassword, ConfirmPassword ?? string.Empty);
}

/// <summary>
/// 我的账户: my name and posts, and changing my own password through the same handler as
/// <c>POST /api/v1/account/password</c>. Where <see cref="PasswordChangeGate"/> sends a person whose
/// password someone else knows: the page says why, and after the change they go on to the start page.
/// </summary>
[AllowedBeforePasswordChange]
public sealed class IndexModel(MyAccount.Handler account, Texts texts) : StaffPage
{
    public MyAccount.AccountView Me { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Me = await account.GetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(PasswordForm form, CancellationToken ct)
    {
        var required = (await account.GetAsync(ct)).MustChangePassword;
        if (await TryAsync(() => account.ChangePasswordAsync(form.ToRequest(), ct)))
        {
            return Done(texts["account.changed"], required ? "/" : PasswordChangeGate.AccountPage);
        }
        Me = await account.GetAsync(ct);
        return Page();
    }
}
