using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin.Users;

/// <summary>
/// 新建用户: an account with its first post, at a unit within the administrator's area
/// (<see cref="ManageUsers.Handler.ChoicesAsync"/>), through the same handler as
/// <c>POST /api/v1/admin/users</c>. No password typed: one is generated and shown on the answer to
/// the post, once (no redirect: it is never stored, not even in a cookie); either way the person
/// must set their own at the first sign-in.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class NewModel(ManageUsers.Handler users, Texts texts) : StaffPage
{
    public ManageUsers.PostChoices Choices { get; private set; } = null!;

    public NewUserForm Form { get; private set; } = new();

    /// <summary>The account just made with a generated password: shown once.</summary>
    public ManageUsers.UserView? Created { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Choices = await users.ChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(NewUserForm form, CancellationToken ct)
    {
        ManageUsers.UserView? created = null;
        if (await TryAsync(async () => created = await users.CreateAsync(form.ToRequest(), ct)))
        {
            if (created!.GeneratedPassword is null)
            {
                return Done(texts.Format("admin-users.created-typed", created.UserName), $"/admin/users/{created.Id}");
            }
            Created = created;
            PasswordOnce.NoStore(Response);
        }
        Form = form;
        Choices = await users.ChoicesAsync(ct);
        return Page();
    }
}
