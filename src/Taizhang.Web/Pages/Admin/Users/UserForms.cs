using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin.Users;

// The forms of the /admin/users pages: what was typed, as typed; ToRequest hands it to
// ManageUsers.Handler (the admin API's handler), whose field errors come back under the form's
// prefix. Passwords are never sent back into a form.

/// <summary>/admin/users/new: the account and its first post; no password typed means one is generated.</summary>
public sealed class NewUserForm
{
    public string? UserName { get; set; }
    public string? DisplayName { get; set; }
    public string? Phone { get; set; }
    public string? Role { get; set; }
    public string? Unit { get; set; }
    public string? Password { get; set; }

    public bool Generate => string.IsNullOrEmpty(Password);

    public ManageUsers.CreateRequest ToRequest() => new(
        UserName, DisplayName, string.IsNullOrWhiteSpace(Phone) ? null : Phone, Generate ? null : Password,
        [new ManageUsers.PostBody(Role, Unit)], GeneratePassword: Generate);
}

public sealed class RenameForm
{
    public string? DisplayName { get; set; }

    public ManageUsers.UpdateRequest ToRequest() => new(DisplayName ?? string.Empty, null, null);
}

public sealed class PostForm
{
    public string? Role { get; set; }
    public string? Unit { get; set; }

    public ManageUsers.PostBody ToRequest() => new(Role, Unit);
}
