using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 事项类别: the categories every town uses. Administrators of the top level add them and change a
/// name or whether it is a dispute (调解); the others read them. The same handler as the admin API.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class CategoriesModel(ManageOrganisation.Handler organisation, Texts texts) : StaffPage
{
    public ManageOrganisation.CategoryList List { get; private set; } = null!;

    public CategoryForm Create { get; private set; } = new();

    public bool CreateFailed { get; private set; }

    /// <summary>After a refused change: which category, with what was typed.</summary>
    public CategoryForm? FailedUpdate { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => List = await organisation.AdminCategoriesAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync([Bind(Prefix = "Create")] CategoryForm form, CancellationToken ct)
    {
        ManageOrganisation.CategoryView? done = null;
        if (await TryAsync(async () => done = await organisation.CreateCategoryAsync(form.ToRequest(), ct), "Create."))
        {
            return Done(texts.Format("admin.categories.created", done!.Name, done.Code), "/admin/categories#category-" + Uri.EscapeDataString(done.Code));
        }
        (Create, CreateFailed) = (form, true);
        List = await organisation.AdminCategoriesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync([Bind(Prefix = "Update")] CategoryForm form, CancellationToken ct)
    {
        ManageOrganisation.CategoryView? done = null;
        if (await TryAsync(async () => done = await organisation.UpdateCategoryAsync(form.Code ?? "", form.ToRequest(), ct), "Update."))
        {
            return Done(texts.Format("admin.categories.updated", done!.Name, done.Code), "/admin/categories#category-" + Uri.EscapeDataString(done.Code));
        }
        FailedUpdate = form;
        List = await organisation.AdminCategoriesAsync(ct);
        return Page();
    }
}
