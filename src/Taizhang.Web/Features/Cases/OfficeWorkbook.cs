using System.Globalization;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Column = DocumentFormat.OpenXml.Spreadsheet.Column;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// A small workbook (a report's tables, the topic ledger) in the office's layout, with the ledger
/// export's library (the Open XML SDK): on every sheet a title row (the scope and the period) merged
/// across the columns, the header row below it frozen and repeated on every printed page, column
/// widths, numbers as numbers, percentages as numbers with a percent format, dates as Excel dates,
/// text as inline strings (a formula-like text stays text, quote-prefixed), A4 landscape, page numbers.
/// Built in memory: these workbooks are a few thousand rows at most (the ledger's own export streams).
/// </summary>
public sealed class OfficeWorkbook(string footer)
{
    /// <summary>A share (0–1) shown as a percentage; null is an empty cell (nothing to divide by).</summary>
    public readonly record struct Percent(double? Value);

    /// <summary>A number with decimals (a weight).</summary>
    public readonly record struct Number(double Value);

    public sealed class Sheet(string name, string title, IReadOnlyList<(string Header, double Width)> columns)
    {
        public string Name { get; } = name;
        public string Title { get; } = title;
        public IReadOnlyList<(string Header, double Width)> Columns { get; } = columns;
        internal List<object?[]> Rows { get; } = [];

        /// <summary>A row of values: int/long, <see cref="Number"/>, <see cref="Percent"/>, DateOnly, DateTime (local), text or null.</summary>
        public Sheet Add(params object?[] values)
        {
            Rows.Add(values);
            return this;
        }
    }

    private readonly List<Sheet> _sheets = [];

    public Sheet AddSheet(string name, string title, IReadOnlyList<(string Header, double Width)> columns)
    {
        var sheet = new Sheet(SheetName(name), title, columns);
        _sheets.Add(sheet);
        return sheet;
    }

    // Cell formats (cellXfs) in the stylesheet below.
    private const uint TitleStyle = 1, HeaderStyle = 2, TextStyle = 3, QuotedTextStyle = 4, IntegerStyle = 5, DecimalStyle = 6,
        PercentStyle = 7, DateStyle = 8, DateTimeStyle = 9;

    public const string PercentFormat = "0.0%";

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            document.PackageProperties.Creator = "Taizhang";
            document.PackageProperties.Title = _sheets.FirstOrDefault()?.Title;
            var workbook = document.AddWorkbookPart();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = new Sheets();
            var names = new DefinedNames();
            for (var i = 0; i < _sheets.Count; i++)
            {
                var sheet = _sheets[i];
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = Build(sheet);
                sheets.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Name = sheet.Name, SheetId = (uint)i + 1, Id = workbook.GetIdOfPart(part) });
                var quoted = "'" + sheet.Name.Replace("'", "''", StringComparison.Ordinal) + "'";
                // The title and the header on every printed page.
                names.Append(new DefinedName(quoted + "!$1:$2") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
            }
            workbook.Workbook = new Workbook(sheets, names);
        }
        return stream.ToArray();
    }

    private Worksheet Build(Sheet sheet)
    {
        var width = Math.Max(1, sheet.Columns.Count);
        var last = ColumnName(width - 1);
        var data = new SheetData();
        var title = new Row { RowIndex = 1, Height = 24, CustomHeight = true };
        for (var c = 0; c < width; c++)
        {
            title.Append(c == 0 ? TextCell("A1", sheet.Title, TitleStyle) : new Cell { CellReference = ColumnName(c) + "1", StyleIndex = TitleStyle });
        }
        data.Append(title);
        var header = new Row { RowIndex = 2 };
        for (var c = 0; c < sheet.Columns.Count; c++)
        {
            header.Append(TextCell(ColumnName(c) + "2", sheet.Columns[c].Header, HeaderStyle));
        }
        data.Append(header);
        var number = 2u;
        foreach (var values in sheet.Rows)
        {
            number++;
            var row = new Row { RowIndex = number };
            for (var c = 0; c < width; c++)
            {
                row.Append(ValueCell(ColumnName(c) + number.ToString(CultureInfo.InvariantCulture), c < values.Length ? values[c] : null));
            }
            data.Append(row);
        }
        return new Worksheet(
            new SheetProperties(new PageSetupProperties { FitToPage = true }),
            new SheetViews(new SheetView(
                new Pane { VerticalSplit = 2, TopLeftCell = "A3", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A3", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A3" } })
            { WorkbookViewId = 0 }),
            new SheetFormatProperties { DefaultRowHeight = 15 },
            new Columns(sheet.Columns.Select((c, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = c.Width, CustomWidth = true })),
            data,
            new MergeCells(new MergeCell { Reference = "A1:" + last + "1" }) { Count = 1 },
            new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 },
            new HeaderFooter(new OddFooter(footer)));
    }

    private static Cell ValueCell(string reference, object? value) => value switch
    {
        null => new Cell { CellReference = reference, StyleIndex = TextStyle },
        Percent { Value: null } => new Cell { CellReference = reference, StyleIndex = PercentStyle },
        Percent { Value: { } p } => NumberCell(reference, p.ToString("R", CultureInfo.InvariantCulture), PercentStyle),
        Number d => NumberCell(reference, d.Value.ToString("R", CultureInfo.InvariantCulture), DecimalStyle),
        int n => NumberCell(reference, n.ToString(CultureInfo.InvariantCulture), IntegerStyle),
        long n => NumberCell(reference, n.ToString(CultureInfo.InvariantCulture), IntegerStyle),
        double n => NumberCell(reference, n.ToString("R", CultureInfo.InvariantCulture), DecimalStyle),
        DateOnly d => NumberCell(reference, d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString("R", CultureInfo.InvariantCulture), DateStyle),
        DateTime t => NumberCell(reference, t.ToOADate().ToString("R", CultureInfo.InvariantCulture), DateTimeStyle),
        _ => TextCell(reference, value.ToString() ?? "", ExportLedger.LooksLikeFormula(value.ToString() ?? "") ? QuotedTextStyle : TextStyle),
    };

    private static Cell NumberCell(string reference, string value, uint style) =>
        new(new CellValue(value)) { CellReference = reference, StyleIndex = style };

    private static Cell TextCell(string reference, string text, uint style)
    {
        text = LedgerWorkbook.XmlSafe(text);
        var t = new Text(text);
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            t.Space = SpaceProcessingModeValues.Preserve;
        }
        return new Cell(new InlineString(t)) { CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style };
    }

    /// <summary>A, B, …, Z, AA, …</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + (n - 1) % 26) + name;
        }
        return name;
    }

    /// <summary>Excel's sheet names: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Select(c => "[]:*?/\\".Contains(c) ? '_' : c).ToArray()).Trim('\'');
        return clean.Length > 31 ? clean[..31] : clean.Length == 0 ? "_" : clean;
    }

    private static Stylesheet Styles()
    {
        static Border Thin() => new(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        static CellFormat Body(uint numberFormat, bool wrap = false, bool quotePrefix = false) =>
            new(new Alignment { Vertical = VerticalAlignmentValues.Top, WrapText = wrap ? true : null })
            {
                NumberFormatId = numberFormat, FontId = 0, FillId = 0, BorderId = 1, FormatId = 0,
                ApplyNumberFormat = numberFormat != 0 ? true : null, ApplyBorder = true, ApplyAlignment = true,
                QuotePrefix = quotePrefix ? true : null,
            };
        return new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd hh:mm" },
                new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy-mm-dd" },
                new NumberingFormat { NumberFormatId = 166, FormatCode = PercentFormat },
                new NumberingFormat { NumberFormatId = 167, FormatCode = "0.00" })
            { Count = 4 },
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "等线" }))
            { Count = 3 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFF2F2F2" }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()) { Count = 2 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Left, Vertical = VerticalAlignmentValues.Center })
                {
                    NumberFormatId = 0, FontId = 2, FillId = 0, BorderId = 0, FormatId = 0, ApplyFont = true, ApplyAlignment = true,
                },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                {
                    NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 1, FormatId = 0,
                    ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true,
                },
                Body(0, wrap: true),
                Body(0, wrap: true, quotePrefix: true),
                Body(1),
                Body(167),
                Body(166),
                Body(165),
                Body(164))
            { Count = 10 },
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}

/// <summary>An <see cref="OfficeWorkbook"/> as a download (the API's <see cref="IResult"/> and the pages' <see cref="Microsoft.AspNetCore.Mvc.IActionResult"/>).</summary>
public sealed class WorkbookDownload(byte[] content, string fileName, string asciiFileName) : IResult, Microsoft.AspNetCore.Mvc.IActionResult
{
    public byte[] Content => content;

    public Task ExecuteResultAsync(Microsoft.AspNetCore.Mvc.ActionContext context) => ExecuteAsync(context.HttpContext);

    public async Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileName = asciiFileName,
            FileNameStar = fileName,
        }.ToString();
        // Figures of a scope (and the topic ledger's titles): no shared cache keeps a copy.
        response.Headers.CacheControl = "no-store";
        response.ContentType = LedgerDownload.XlsxContentType;
        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, http.RequestAborted);
    }
}
