using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin.Notifications;

/// <summary>
/// 通知发件箱: the outbox of the towns administered — counts per status, a filtered list (recipients
/// masked, rating codes never shown), and a dead letter's retry (a POST that asks to be confirmed).
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class IndexModel(NotificationAdmin.Handler outbox, Texts texts) : StaffPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "channel")]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    public NotificationAdmin.Page Outbox { get; private set; } = new([], new Dictionary<Data.NotificationStatus, int>(), null);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRetryAsync(long id, bool confirm, CancellationToken ct)
    {
        if (!confirm)
        {
            ModelState.AddModelError("Retry" + id.ToString(CultureInfo.InvariantCulture), texts["notifications.retry.confirm-required"]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (await TryAsync(() => outbox.RetryAsync(id, ct), "Retry" + id.ToString(CultureInfo.InvariantCulture)))
        {
            return Done(texts.Format("notifications.retry.done", id), "/admin/notifications?status=Pending");
        }
        await LoadAsync(ct);
        return Page();
    }

    private Task LoadAsync(CancellationToken ct) =>
        TryAsync(async () => Outbox = await outbox.ListAsync(new NotificationAdmin.Query(Status, Kind, Channel, Before, PageSize), ct));

    public string PageUrl(long? before, string? status = null, bool keepStatus = true)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }
        Add("status", keepStatus ? Status : status);
        Add("kind", Kind);
        Add("channel", Channel);
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return "/admin/notifications" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }
}
