using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin.Users;

/// <summary>
/// 用户管理: the accounts within the administrator's area (<see cref="AdminScope"/>), found by user
/// name, display name or unit, a page at a time — <see cref="ManageUsers.Handler.SearchAsync"/>, as
/// <c>GET /api/v1/admin/users?q=&amp;page=</c>.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed class IndexModel(ManageUsers.Handler users) : StaffPage
{
    public const int PageSize = 30;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    /// <summary>The page number ("p": Razor Pages keeps "page" for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public ManageUsers.UserPage Result { get; private set; } = new([], 0, 1, PageSize);

    public int Pages => Math.Max(1, (Result.Total + Result.PageSize - 1) / Result.PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // A number that is no page number is the first page, as on the other lists.
        ModelState.Remove("p");
        var page = Math.Max(1, PageNumber).ToString(CultureInfo.InvariantCulture);
        await TryAsync(async () => Result = await users.SearchAsync(Q, page, PageSize.ToString(CultureInfo.InvariantCulture), ct));
        return Page();
    }

    public string PageUrl(int page)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            query.Add("q=" + Uri.EscapeDataString(Q.Trim()));
        }
        if (page > 1)
        {
            query.Add("p=" + page.ToString(CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/admin/users" : "/admin/users?" + string.Join('&', query);
    }
}
