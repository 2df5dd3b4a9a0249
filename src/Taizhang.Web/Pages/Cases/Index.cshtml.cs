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

    public static bool Has(string? list, string value) =>
        list is not null && list.Split(',', StringSplitOptions.TrimEntries).Contains(value, StringComparer.OrdinalIgnoreCase);
}
