using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// 台账: the ledger as a dense table over <see cref="ListCases"/>. Every filter lives in the URL
/// (the list API's own parameters), so a view can be bookmarked, shared, and linked from the board.
/// </summary>
public sealed class IndexModel(
    ListCases.Handler list, GetLedgerChoices.Handler choices,
    ListViews.Handler views, SaveView.Handler save, DeleteView.Handler delete, Resources.Texts texts) : StaffPage
{
    public ListCases.Query Query { get; private set; } = new();

    public ListCases.CasePage? Result { get; private set; }

    public IReadOnlyList<UnitInfo> AreaUnits { get; private set; } = [];

    public IReadOnlyList<UnitInfo> HandlingUnits { get; private set; } = [];

    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];

    /// <summary>The ready-made views: a name (a text key) and the query they stand for.</summary>
    public IReadOnlyList<GetLedgerChoices.View> Views { get; private set; } = [];

    /// <summary>The user's own saved views.</summary>
    public IReadOnlyList<SaveView.ViewItem> MyViews { get; private set; } = [];

    /// <summary>The name typed into "save this view", kept when saving is refused.</summary>
    public string? ViewName { get; private set; }

    public int Pages => Result is null ? 0 : Math.Max(1, (Result.Total + Result.PageSize - 1) / Result.PageSize);

    public Task<IActionResult> OnGetAsync() => LoadAsync(ListCases.Query.Parse(Request.Query));

    public async Task<IActionResult> OnPostSaveViewAsync(string? name, string? query)
    {
        SaveView.ViewItem? saved = null;
        if (await TryAsync(async () => saved = await save.HandleAsync(new SaveView.Request(name, query), HttpContext.RequestAborted), prefix: "View."))
        {
            return Done(string.Format(System.Globalization.CultureInfo.CurrentCulture, texts["ledger.view-saved"], saved!.Name), "/cases" + saved.Query);
        }
        ViewName = name;
        var status = Response.StatusCode;
        var parsed = ListCases.Query.Parse(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query ?? ""));
        var page = await LoadAsync(parsed);
        Response.StatusCode = status;
        return page;
    }

    public async Task<IActionResult> OnPostDeleteViewAsync(long id)
    {
        var name = await delete.HandleAsync(id, HttpContext.RequestAborted);
        return Done(string.Format(System.Globalization.CultureInfo.CurrentCulture, texts["ledger.view-deleted"], name), "/cases");
    }

    private async Task<IActionResult> LoadAsync(ListCases.Query query)
    {
        Query = query;
        var ct = HttpContext.RequestAborted;
        var offered = await choices.HandleAsync(ct);
        AreaUnits = offered.AreaUnits;
        HandlingUnits = offered.HandlingUnits;
        Categories = offered.Categories;
        Views = offered.Views;
        MyViews = await views.HandleAsync(ct);

        await TryAsync(async () => Result = await list.HandleAsync(Query, ct), prefix: "Query.");
        return Page();
    }

    /// <summary>This view with one parameter changed (a sort, a page), as a link.</summary>
    public string With(Func<ListCases.Query, ListCases.Query> change) => change(Query).Link;

    /// <summary>The sort link of a column: ascending first, then descending.</summary>
    public string SortLink(string field) =>
        With(q => q with { Sort = q.Sort == field ? "-" + field : field, Page = null });

    public string? SortState(string field) =>
        Query.Sort == field ? "ascending" : Query.Sort == "-" + field ? "descending" : null;

    public bool IsCurrent(ListCases.Query view) => view.ToQueryString() == CurrentView;

    /// <summary>This view's query string without the page: what "save this view" stores.</summary>
    public string CurrentView => (Query with { Page = null }).ToQueryString();

    /// <summary>The filters and order of this view without paging: what the export and print links take.</summary>
    public string OutQuery => (Query with { Page = null, PageSize = null }).ToQueryString();

    /// <summary>
    /// The ledger's filters, each with its parameter's name and this view without it (the search, the order and the
    /// paging are not filters): the form's 更多筛选条件 opens when any is set, and the set ones are listed above the
    /// list, so a link from the board (<c>?supervised=true</c>) does not arrive with its filter hidden.
    /// </summary>
    private static readonly (string Name, Func<ListCases.Query, string?> Value, Func<ListCases.Query, ListCases.Query> Without)[] Filters =
    [
        ("status", q => q.Status, q => q with { Status = null }),
        ("orgUnit", q => q.OrgUnit, q => q with { OrgUnit = null }),
        ("assigneeUnit", q => q.AssigneeUnit, q => q with { AssigneeUnit = null }),
        ("assignedToMe", q => q.AssignedToMe, q => q with { AssignedToMe = null }),
        ("channel", q => q.Channel, q => q with { Channel = null }),
        ("category", q => q.Category, q => q with { Category = null }),
        ("urgency", q => q.Urgency, q => q with { Urgency = null }),
        ("track", q => q.Track, q => q with { Track = null }),
        ("overdue", q => q.Overdue, q => q with { Overdue = null }),
        ("dueSoon", q => q.DueSoon, q => q with { DueSoon = null }),
        ("suspended", q => q.Suspended, q => q with { Suspended = null }),
        ("supervised", q => q.Supervised, q => q with { Supervised = null }),
        ("pendingRequest", q => q.PendingRequest, q => q with { PendingRequest = null }),
        ("reminded", q => q.Reminded, q => q with { Reminded = null }),
        ("satisfaction", q => q.Satisfaction, q => q with { Satisfaction = null }),
        ("onTime", q => q.OnTime, q => q with { OnTime = null }),
        ("outcome", q => q.Outcome, q => q with { Outcome = null }),
        ("resolvedOnce", q => q.ResolvedOnce, q => q with { ResolvedOnce = null }),
        ("followedUp", q => q.FollowedUp, q => q with { FollowedUp = null }),
        ("from", q => q.From, q => q with { From = null }),
        ("to", q => q.To, q => q with { To = null }),
    ];

    /// <summary>A filter in force: its parameter, its value, and the link to this view without it (from the first page).</summary>
    public sealed record ActiveFilter(string Name, string Value, string Without);

    public IReadOnlyList<ActiveFilter> ActiveFilters =>
        [.. Filters.Where(f => f.Value(Query) is not null).Select(f => new ActiveFilter(f.Name, f.Value(Query)!, (f.Without(Query) with { Page = null }).Link))];

    public static bool Has(string? list, string value) =>
        list is not null && list.Split(',', StringSplitOptions.TrimEntries).Contains(value, StringComparer.OrdinalIgnoreCase);
}
