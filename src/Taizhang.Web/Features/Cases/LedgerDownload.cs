using Microsoft.Net.Http.Headers;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The ledger export as an HTTP answer (the API's and the page's): rows stream from the database
/// into the file as they are read. CSV goes straight to the client; an .xlsx is a zip archive whose
/// writer (OpenXmlWriter, System.IO.Compression) writes synchronously, which Kestrel does not allow on
/// a response, so it is written to a temporary file (deleted when closed) and then sent, with its length.
/// The same answer for the API (an <see cref="IResult"/>) and the ledger page's links (an <see cref="IActionResult"/>).
/// The file is named 台账-20261126.xlsx (RFC 5987 <c>filename*</c>) with an ASCII fallback (ledger-20261126.xlsx).
/// </summary>
public sealed class LedgerDownload(
    ExportLedger.Format format, string fileName, string asciiFileName, string sheetName, string footer,
    IReadOnlyList<string> headers, IAsyncEnumerable<ExportLedger.Row> rows, IReadOnlyList<double>? widths = null) : IResult, Microsoft.AspNetCore.Mvc.IActionResult
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    public Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context) => ExecuteAsync(context.HttpContext);

    public async Task ExecuteAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var response = http.Response;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = asciiFileName,
            FileNameStar = fileName,
        }.ToString();
        // Residents' names (masked or not): no cache keeps a copy.
        response.Headers.CacheControl = "no-store";
        if (format == ExportLedger.Format.Csv)
        {
            response.ContentType = CsvContentType;
            await LedgerCsv.WriteAsync(response.Body, headers, rows, ct);
            return;
        }
        var path = Path.Combine(Path.GetTempPath(), "taizhang-export-" + Guid.NewGuid().ToString("N") + ".xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await LedgerWorkbook.WriteAsync(file, sheetName, footer, headers, rows, ct, widths);
        file.Position = 0;
        response.ContentType = XlsxContentType;
        response.ContentLength = file.Length;
        await file.CopyToAsync(response.Body, ct);
    }
}
