using System.Text;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The ledger as CSV (RFC 4180): UTF-8 with a byte order mark, so that Excel opens the Chinese
/// correctly; CRLF line ends; a field quoted when it holds a comma, a quote or a line break. A text
/// that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection).
/// </summary>
public static class LedgerCsv
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static async Task WriteAsync(Stream output, IReadOnlyList<string> headers, IAsyncEnumerable<ExportLedger.Row> rows, CancellationToken ct)
    {
        await output.WriteAsync(Bom, ct);
        // Only asynchronous writes and flushes: the response stream refuses synchronous ones.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        var line = new StringBuilder(1024);
        await writer.WriteAsync(Line(line, headers.Cast<object?>()), ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteAsync(Line(line, row.Values), ct);
        }
        await writer.FlushAsync(ct);
    }

    private static StringBuilder Line(StringBuilder line, IEnumerable<object?> values)
    {
        line.Clear();
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                line.Append(',');
            }
            first = false;
            Field(line, value);
        }
        return line.Append("\r\n");
    }

    private static void Field(StringBuilder line, object? value)
    {
        var text = ExportLedger.Display(value);
        if (value is string && ExportLedger.LooksLikeFormula(text))
        {
            text = "'" + text;
        }
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(text);
            return;
        }
        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
