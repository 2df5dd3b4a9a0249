using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 组织机构: the administrator's part of the unit tree (town → villages and communities → groups,
/// partner units), a form to add a unit under a parent, and one to rename each unit. The same
/// handler as POST/PUT /api/v1/admin/org-units.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class UnitsModel(ManageOrganisation.Handler organisation, Texts texts) : StaffPage
{
    public ManageOrganisation.Area Area { get; private set; } = null!;

    /// <summary>The add form: what was posted after a refusal, else the parent chosen by a link (?parent=CODE).</summary>
    public UnitForm Create { get; private set; } = new();

    /// <summary>After a refused rename: which unit, and the name typed.</summary>
    public RenameForm? FailedRename { get; private set; }

    public bool CreateFailed { get; private set; }

    public async Task OnGetAsync([FromQuery] string? parent, CancellationToken ct)
    {
        Create.Parent = parent;
        Area = await organisation.AreaAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync([Bind(Prefix = "Create")] UnitForm form, CancellationToken ct)
    {
        ManageOrganisation.UnitView? done = null;
        if (await TryAsync(async () => done = await organisation.CreateUnitAsync(form.ToRequest(), ct), "Create."))
        {
            return Done(texts.Format("admin.units.created", done!.Name, done.Code), "/admin/units#unit-" + Uri.EscapeDataString(done.Code));
        }
        (Create, CreateFailed) = (form, true);
        Area = await organisation.AreaAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync([Bind(Prefix = "Rename")] RenameForm form, CancellationToken ct)
    {
        ManageOrganisation.UnitView? done = null;
        if (await TryAsync(async () => done = await organisation.RenameUnitAsync(form.Code ?? "", new ManageOrganisation.RenameRequest(form.Name), ct), "Rename."))
        {
            return Done(texts.Format("admin.units.renamed", done!.Code, done.Name), "/admin/units#unit-" + Uri.EscapeDataString(done.Code));
        }
        FailedRename = form;
        Area = await organisation.AreaAsync(ct);
        return Page();
    }
}
