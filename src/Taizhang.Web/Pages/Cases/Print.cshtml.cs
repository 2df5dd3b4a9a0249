using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// /cases/print: the ledger page's filters (its query string) as a page made for paper — the export's
/// columns, every matching row up to <see cref="ExportLedger.Options.PrintMaxRows"/>, a title with the
/// filters in words and the time printed; no menu, no controls; A4 landscape with page numbers (print.css).
/// </summary>
public sealed class PrintModel(ExportLedger.Handler export) : StaffPage
{
    public ExportLedger.Printout? Result { get; private set; }

    /// <summary>The ledger with the same filters.</summary>
    public string Back { get; private set; } = "/cases";

    public IEnumerable<string> Messages => ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage);

    public async Task<IActionResult> OnGetAsync()
    {
        var query = ListCases.Query.Parse(Request.Query);
        Back = (query with { Page = null }).Link;
        await TryAsync(async () => Result = await export.PrintAsync(query, HttpContext.RequestAborted), prefix: "Query.");
        return Page();
    }
}
