using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Taizhang.Web.Features.Imports;

/// <summary>One data row as it stood in the file: its row number there (the header is row 1) and its cells.</summary>
public sealed record SheetRow(int Number, string[] Cells);

/// <summary>A sheet read from an upload: the header row and the data rows (blank rows skipped).</summary>
public sealed record ImportSheet(string[] Headers, IReadOnlyList<SheetRow> Rows);

/// <summary>The file cannot be read as a sheet (the message key says why); a field error on the file.</summary>
public sealed class UnreadableSheetException(string key, params object[] args) : Exception(key)
{
    public string Key { get; } = key;

    public object[] Args { get; } = args;
}

/// <summary>
/// Reads the first worksheet of an .xlsx (SAX: OpenXmlReader over the sheet, shared strings once,
/// inline strings, numbers as written — a date is its serial number, which the date fields read) or a
/// CSV (UTF-8 with or without BOM, UTF-16 with BOM, otherwise GB18030, which is what Excel on a
/// Chinese Windows saves as "CSV"; quoted fields with commas, quotes and line breaks).
/// </summary>
public static class ImportSheetReader
{
    /// <summary>Longest cell kept (longer ones are cut here and refused by the field's own limit).</summary>
    public const int MaxCell = 8000;

    public const int MaxColumns = 200;

    static ImportSheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static ImportSheet Read(Stream content, string fileName, int maxRows)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var isZip = bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
        if (isZip)
        {
            return ReadXlsx(bytes, maxRows);
        }
        if (bytes.Length > 8 && bytes[0] == 0xD0 && bytes[1] == 0xCF && bytes[2] == 0x11 && bytes[3] == 0xE0)
        {
            // An old .xls (OLE2): Excel can save it again as .xlsx.
            throw new UnreadableSheetException("imports.error.legacy-xls");
        }
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnreadableSheetException("imports.error.unreadable");
        }
        return ReadCsv(Decode(bytes), maxRows);
    }

    /// <summary>UTF-8 (BOM or not), UTF-16 with a BOM, otherwise GB18030 (a superset of GBK and GB2312).</summary>
    public static string Decode(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
        }
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: a Chinese Excel's "CSV (逗号分隔)" is in the ANSI code page, GBK, read as GB18030.
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    public static ImportSheet ReadCsv(string text, int maxRows)
    {
        var header = (string[]?)null;
        var rows = new List<SheetRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        // The separator: a comma, unless the first line has tabs and no comma (a sheet copied as text).
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var nl and >= 0 ? nl : text.Length));
        var separator = firstLine.Contains('\t') && !firstLine.Contains(',') ? '\t' : ',';
        var quoted = false;
        var atFieldStart = true;
        var record = 1;
        var line = 1;
        var recordLine = 1;

        void EndField()
        {
            if (fields.Count < MaxColumns)
            {
                fields.Add(field.Length > MaxCell ? field.ToString(0, MaxCell) : field.ToString());
            }
            field.Clear();
            atFieldStart = true;
        }

        void EndRecord()
        {
            EndField();
            var cells = fields.ToArray();
            fields.Clear();
            if (header is null)
            {
                header = cells.Select(c => c.Trim()).ToArray();
            }
            else if (cells.Any(c => c.Trim().Length > 0))
            {
                if (rows.Count >= maxRows)
                {
                    throw new UnreadableSheetException("imports.error.too-many-rows", maxRows);
                }
                rows.Add(new SheetRow(record, cells));
            }
            record++;
            recordLine = line;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    if (field.Length <= MaxCell)
                    {
                        field.Append(c);
                    }
                }
                continue;
            }
            if (c == '"' && atFieldStart)
            {
                quoted = true;
                atFieldStart = false;
            }
            else if (c == separator)
            {
                EndField();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                line++;
                EndRecord();
            }
            else
            {
                atFieldStart = false;
                if (field.Length <= MaxCell)
                {
                    field.Append(c);
                }
            }
        }
        if (quoted)
        {
            throw new UnreadableSheetException("imports.error.csv-quote", recordLine);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            EndRecord();
        }
        return header is null || header.All(h => h.Length == 0)
            ? throw new UnreadableSheetException("imports.error.no-header")
            : new ImportSheet(header, rows);
    }

    public static ImportSheet ReadXlsx(byte[] bytes, int maxRows)
    {
        try
        {
            // A bound on what a part may expand to: a small zip must not unpack into gigabytes of XML.
            using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false,
                new OpenSettings { MaxCharactersInPart = 256L * 1024 * 1024 });
            var workbook = document.WorkbookPart ?? throw new UnreadableSheetException("imports.error.unreadable");
            var strings = SharedStrings(workbook);
            var first = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new UnreadableSheetException("imports.error.no-header");
            var part = (WorksheetPart)workbook.GetPartById(first.Id!.Value!);
            string[]? header = null;
            var rows = new List<SheetRow>();
            using var reader = OpenXmlReader.Create(part);
            var rowNumber = 0;
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                {
                    continue;
                }
                var row = (Row)reader.LoadCurrentElement()!;
                rowNumber = row.RowIndex?.Value is { } r ? (int)r : rowNumber + 1;
                var cells = new List<string>();
                var next = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : next;
                    if (column >= MaxColumns)
                    {
                        continue;
                    }
                    while (cells.Count < column)
                    {
                        cells.Add(string.Empty);
                    }
                    var value = CellText(cell, strings);
                    cells.Add(value.Length > MaxCell ? value[..MaxCell] : value);
                    next = column + 1;
                }
                if (header is null)
                {
                    if (cells.Any(c => c.Trim().Length > 0))
                    {
                        header = cells.Select(c => c.Trim()).ToArray();
                    }
                    continue;
                }
                if (cells.Any(c => c.Trim().Length > 0))
                {
                    if (rows.Count >= maxRows)
                    {
                        throw new UnreadableSheetException("imports.error.too-many-rows", maxRows);
                    }
                    rows.Add(new SheetRow(rowNumber, [.. cells]));
                }
            }
            return header is null ? throw new UnreadableSheetException("imports.error.no-header") : new ImportSheet(header, rows);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or InvalidOperationException or InvalidCastException
            or IOException or ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new UnreadableSheetException("imports.error.unreadable");
        }
    }

    private static List<string> SharedStrings(WorkbookPart workbook)
    {
        var list = new List<string>();
        if (workbook.SharedStringTablePart is not { } part)
        {
            return list;
        }
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                list.Add(ItemText((SharedStringItem)reader.LoadCurrentElement()!));
            }
        }
        return list;
    }

    /// <summary>The text of a shared or inline string: its runs, without the phonetic guide (rPh).</summary>
    private static string ItemText(OpenXmlCompositeElement item)
    {
        if (item.GetFirstChild<Text>() is { } plain && item.GetFirstChild<Run>() is null)
        {
            return plain.Text;
        }
        var b = new StringBuilder();
        foreach (var run in item.Elements<Run>())
        {
            b.Append(run.Text?.Text);
        }
        return b.ToString();
    }

    private static string CellText(Cell cell, List<string> strings)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
        {
            return cell.InlineString is { } inline ? ItemText(inline) : string.Empty;
        }
        var raw = cell.CellValue?.Text ?? string.Empty;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < strings.Count
                ? strings[i]
                : throw new UnreadableSheetException("imports.error.unreadable");
        }
        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "TRUE" : "FALSE";
        }
        if (type == CellValues.Error)
        {
            return string.Empty;
        }
        // A number: written back without the binary noise of its double ("13912345678", not "1.3912345678E10").
        if (type != CellValues.String && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return n.ToString("0.###############", CultureInfo.InvariantCulture);
        }
        return raw;
    }

    /// <summary>"C12" → 2.</summary>
    private static int ColumnIndex(string reference)
    {
        var n = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                n = n * 26 + (c - 'A' + 1);
            }
            else if (c is >= 'a' and <= 'z')
            {
                n = n * 26 + (c - 'a' + 1);
            }
            else
            {
                break;
            }
            if (n > MaxColumns)
            {
                return MaxColumns;
            }
        }
        return Math.Max(0, n - 1);
    }

    /// <summary>A date as sheets give it: 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日 (a time after it is ignored), or an Excel serial number.</summary>
    public static DateOnly? ParseDate(string value)
    {
        var v = value.Trim();
        if (v.Length == 0)
        {
            return null;
        }
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
        {
            // Excel's serials: 1 is 1900-01-01; 20000–80000 covers 1954–2119.
            return serial is >= 20000 and < 80000 ? DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial))) : null;
        }
        var date = v.Split([' ', 'T'], 2)[0].Replace('年', '-').Replace('月', '-').Replace("日", "", StringComparison.Ordinal)
            .Replace('/', '-').Replace('.', '-');
        return DateOnly.TryParseExact(date, ["yyyy-M-d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }
}
