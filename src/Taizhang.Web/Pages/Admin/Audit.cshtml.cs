using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 操作日志: the audit entries of the administrator's area, newest first, filtered by actor, action
/// and days (Asia/Shanghai), a page at a time. The same handler as GET /api/v1/admin/audit. Caller
/// look-ups show the stored keyed hash of the number, shortened; never a number.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class AuditModel(AdminAudit.Handler audit) : StaffPage
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "actor")]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionName { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    public AdminAudit.Page Entries { get; private set; } = new([], null);

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actions = await audit.ActionsAsync(ct);
        // A refused filter (a day that is no date) says so next to its field and lists nothing.
        await TryAsync(async () => Entries = await audit.ListAsync(new AdminAudit.Query(Actor, ActionName, From, To, Before, PageSize), ct));
    }

    /// <summary>This list's filters, with another page.</summary>
    public string PageUrl(long? before)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }
        Add("actor", Actor);
        Add("action", ActionName);
        Add("from", From);
        Add("to", To);
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return "/admin/audit" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>An action's name in the reader's language, or as stored when it has none.</summary>
    /// <summary>Who did it: the name recorded, or for the server's command line its name in the reader's language.</summary>
    public static string ActorText(IStringLocalizer l, string actorId, string actorName) =>
        actorId == "cli" ? l["admin.audit.cli"].Value : actorName;

    public static string ActionText(IStringLocalizer l, string action) =>
        l["admin.action." + action] is { ResourceNotFound: false } text ? text.Value : action;

    /// <summary>A caller look-up's target is the keyed hash of the number: shown shortened, as what it is.</summary>
    public static string Target(string target) =>
        target.StartsWith("phone:", StringComparison.Ordinal) && target.Length > 18 ? target[..18] + "…" : target;
}
