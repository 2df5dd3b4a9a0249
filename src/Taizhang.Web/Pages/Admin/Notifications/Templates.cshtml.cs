using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin.Notifications;

/// <summary>
/// 通知模板: each message text with a preview filled with sample values; top-level administrators edit
/// a text (an unknown placeholder is refused next to the field, what was typed kept), preview it before
/// saving, or reset it to the default. Others read them.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class TemplatesModel(ManageNotificationTemplates.Handler templates, Texts texts) : StaffPage
{
    public ManageNotificationTemplates.Listing Listing { get; private set; } = new([], false);

    /// <summary>What was typed into a template's box (kept after a refusal or a preview).</summary>
    public Dictionary<string, string> Typed { get; } = new(StringComparer.Ordinal);

    /// <summary>A preview of what was typed, by template key.</summary>
    public Dictionary<string, string> Previews { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken ct) => Listing = await templates.ListAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string key, string? text, CancellationToken ct)
    {
        if (await TryAsync(() => templates.PutAsync(key, new ManageNotificationTemplates.PutRequest(text), ct), key + "."))
        {
            return Done(texts["notifications.templates.saved"], "/admin/notifications/templates#t-" + key);
        }
        Typed[key] = text ?? string.Empty;
        Listing = await templates.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string key, string? text, CancellationToken ct)
    {
        Typed[key] = text ?? string.Empty;
        await TryAsync(async () => Previews[key] = await templates.PreviewAsync(key, new ManageNotificationTemplates.PutRequest(text), ct), key + ".");
        Listing = await templates.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string key, CancellationToken ct)
    {
        await templates.ResetAsync(key, ct);
        return Done(texts["notifications.templates.reset-done"], "/admin/notifications/templates#t-" + key);
    }
}
