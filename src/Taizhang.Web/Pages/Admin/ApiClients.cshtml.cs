using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 接口凭据: the integrations' API clients of the administrator's area — list with last use,
/// create (the token is shown once, in the answer to the POST: never in a URL, never in the
/// one-time notice cookie, never cached), revoke. The same handler as /api/v1/admin/api-clients.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class ApiClientsModel(ManageApiClients.Handler clients, ManageOrganisation.Handler organisation, Texts texts) : StaffPage
{
    public IReadOnlyList<ManageApiClients.ClientView> Clients { get; private set; } = [];

    public IReadOnlyList<ManageOrganisation.AreaUnit> Units { get; private set; } = [];

    public ApiClientForm Create { get; private set; } = new();

    public bool CreateFailed { get; private set; }

    /// <summary>Only in the answer to a successful create.</summary>
    public ManageApiClients.NewClient? Created { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync([Bind(Prefix = "Create")] ApiClientForm form, CancellationToken ct)
    {
        ManageApiClients.NewClient? created = null;
        if (await TryAsync(async () => created = await clients.CreateAsync(form.ToRequest(), ct), "Create."))
        {
            // Shown here and nowhere else: no redirect (the notice would travel in a cookie), and no copy in any cache.
            Response.Headers.CacheControl = "no-store";
            Response.Headers.Pragma = "no-cache";
            Created = created;
        }
        else
        {
            (Create, CreateFailed) = (form, true);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([Bind(Prefix = "Revoke")] RevokeForm form, CancellationToken ct)
    {
        var revoked = await clients.RevokeAsync(form.Id, ct);
        return Done(texts.Format("admin.api-clients.revoked", revoked.Name), "/admin/api-clients");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Clients = await clients.ListAsync(ct);
        Units = (await organisation.AreaAsync(ct)).Units;
    }
}
