using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// /cases/export.xlsx and /cases/export.csv: the ledger page's filters (its query string) as a
/// download, through the same handler as the API's export. A refusal (filters that make no sense,
/// more rows than one export may hold) is a page with the message and the way back to the ledger.
/// </summary>
public sealed class ExportModel(ExportLedger.Handler export) : StaffPage
{
    /// <summary>The ledger with the same filters, where a filter's message shows next to its field.</summary>
    public string Back { get; private set; } = "/cases";

    public IEnumerable<string> Messages => ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage);

    public bool FilterErrors => ModelState.Any(e => e.Key.Length > 0 && e.Value is { Errors.Count: > 0 });

    public async Task<IActionResult> OnGetAsync(string format)
    {
        ExportLedger.Format? kind = format switch
        {
            "xlsx" => ExportLedger.Format.Xlsx,
            "csv" => ExportLedger.Format.Csv,
            _ => null,
        };
        if (kind is null)
        {
            return NotFound();
        }
        var query = ListCases.Query.Parse(Request.Query);
        Back = (query with { Page = null }).Link;
        LedgerDownload? download = null;
        if (await TryAsync(async () => download = await export.ExportAsync(query, kind.Value, HttpContext.RequestAborted), prefix: "Query."))
        {
            return download!;
        }
        return Page();
    }
}
