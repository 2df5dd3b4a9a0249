using System.Globalization;
using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Column = DocumentFormat.OpenXml.Spreadsheet.Column;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The ledger as an .xlsx workbook, written as the rows arrive: one sheet, the header row frozen and
/// repeated on every printed page, column widths, dates as Excel dates with a date format, text as
/// inline strings (no shared-string table to hold), A4 landscape, page numbers in the footer.
/// <para>
/// The Open XML SDK builds the small parts (content types, relationships, workbook, styles) in
/// memory; its package layer (System.IO.Packaging) would also hold the sheet in memory until it is
/// closed (a ZipArchive in update mode: 600 MB for 100,000 rows), so the sheet is written with the
/// SDK's SAX-style OpenXmlWriter straight into a ZipArchive in create mode, which compresses as it goes.
/// </para>
/// </summary>
public static class LedgerWorkbook
{
    // Cell formats (cellXfs) in the stylesheet below.
    private const uint HeaderStyle = 1, NumberStyle = 2, DateTimeStyle = 3, DateStyle = 4, TextStyle = 5, QuotedTextStyle = 6;

    /// <summary>Writes the workbook to <paramref name="output"/> (synchronous writes: a file, not a response).</summary>
    public static async Task WriteAsync(Stream output, string sheetName, string footer, IReadOnlyList<string> headers,
        IAsyncEnumerable<ExportLedger.Row> rows, CancellationToken ct, IReadOnlyList<double>? widths = null)
    {
        using var template = new MemoryStream();
        var sheetEntry = Template(template, sheetName);
        template.Position = 0;
        using var parts = new ZipArchive(template, ZipArchiveMode.Read);
        using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var part in parts.Entries)
        {
            var entry = archive.CreateEntry(part.FullName, CompressionLevel.Fastest);
            using var to = entry.Open();
            if (part.FullName == sheetEntry)
            {
                await WriteSheetAsync(to, footer, headers, rows, widths ?? ExportLedger.Columns.Select(c => c.Width).ToList(), ct);
            }
            else
            {
                using var from = part.Open();
                from.CopyTo(to);
            }
        }
    }

    /// <summary>Every part but the sheet's rows; returns the sheet's entry name, to be replaced.</summary>
    private static string Template(Stream stream, string sheetName)
    {
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        document.PackageProperties.Creator = "Taizhang";
        document.PackageProperties.Title = sheetName;
        var workbook = document.AddWorkbookPart();
        var sheet = workbook.AddNewPart<WorksheetPart>();
        sheet.Worksheet = new Worksheet(new SheetData());
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
        var quoted = "'" + sheetName.Replace("'", "''", StringComparison.Ordinal) + "'";
        workbook.Workbook = new Workbook(
            new Sheets(new Sheet { Name = sheetName, SheetId = 1, Id = workbook.GetIdOfPart(sheet) }),
            // The header row on every printed page.
            new DefinedNames(new DefinedName(quoted + "!$1:$1") { Name = "_xlnm.Print_Titles", LocalSheetId = 0 }));
        return sheet.Uri.OriginalString.TrimStart('/');
    }

    private static async Task WriteSheetAsync(Stream to, string footer, IReadOnlyList<string> headers,
        IAsyncEnumerable<ExportLedger.Row> rows, IReadOnlyList<double> columns, CancellationToken ct)
    {
        using var w = OpenXmlWriter.Create(to);
        w.WriteStartDocument(true);
        w.WriteStartElement(new Worksheet());
        w.WriteElement(new SheetProperties(new PageSetupProperties { FitToPage = true }));
        w.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0 }));
        w.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
        w.WriteElement(new Columns(columns.Select((c, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = c, CustomWidth = true })));

        w.WriteStartElement(new SheetData());
        var cells = new CellWriter(w);
        cells.StartRow(1);
        for (var i = 0; i < headers.Count; i++)
        {
            cells.Text(headers[i], HeaderStyle);
        }
        cells.EndRow();
        var number = 1;
        await foreach (var row in rows.WithCancellation(ct))
        {
            cells.StartRow(++number);
            for (var i = 0; i < columns.Count; i++)
            {
                switch (row.Values[i])
                {
                    case null:
                        cells.Empty(TextStyle);
                        break;
                    case int n:
                        cells.Number(n.ToString(CultureInfo.InvariantCulture), NumberStyle);
                        break;
                    case DateTime t:
                        cells.Number(t.ToOADate().ToString("R", CultureInfo.InvariantCulture), DateTimeStyle);
                        break;
                    case DateOnly d:
                        cells.Number(d.ToDateTime(TimeOnly.MinValue).ToOADate().ToString("R", CultureInfo.InvariantCulture), DateStyle);
                        break;
                    case var value:
                        var text = value.ToString() ?? "";
                        cells.Text(text, ExportLedger.LooksLikeFormula(text) ? QuotedTextStyle : TextStyle);
                        break;
                }
            }
            cells.EndRow();
        }
        w.WriteEndElement();

        w.WriteElement(new PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        w.WriteElement(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
        w.WriteElement(new HeaderFooter(new OddFooter(footer)));
        w.WriteEndElement();
    }

    /// <summary>
    /// Writes every cell with the same few element objects and attribute arrays (OpenXmlWriter reads only
    /// their names and values): 1.6 million cells allocate nothing of their own. Cells carry no reference
    /// (<c>r</c> is optional): each row writes all its cells, empty ones too, in column order.
    /// </summary>
    private sealed class CellWriter(OpenXmlWriter w)
    {
        private const uint Styles = QuotedTextStyle + 1;
        private static readonly OpenXmlAttribute[][] Plain =
            Enumerable.Range(0, (int)Styles).Select(s => new[] { Style(s) }).ToArray();
        private static readonly OpenXmlAttribute[][] Inline =
            Enumerable.Range(0, (int)Styles).Select(s => new[] { Style(s), new OpenXmlAttribute("t", null!, "inlineStr") }).ToArray();
        private static readonly OpenXmlAttribute[] Preserve = [new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")];
        private readonly Row _row = new();
        private readonly Cell _cell = new();
        private readonly CellValue _value = new();
        private readonly InlineString _inline = new();
        private readonly Text _text = new();

        private static OpenXmlAttribute Style(int style) => new("s", null!, style.ToString(CultureInfo.InvariantCulture));

        public void StartRow(int number) =>
            w.WriteStartElement(_row, [new OpenXmlAttribute("r", null!, number.ToString(CultureInfo.InvariantCulture))]);

        public void EndRow() => w.WriteEndElement();

        public void Empty(uint style)
        {
            w.WriteStartElement(_cell, Plain[style]);
            w.WriteEndElement();
        }

        public void Number(string value, uint style)
        {
            w.WriteStartElement(_cell, Plain[style]);
            w.WriteStartElement(_value);
            w.WriteString(value);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        public void Text(string value, uint style)
        {
            value = XmlSafe(value);
            w.WriteStartElement(_cell, Inline[style]);
            w.WriteStartElement(_inline);
            if (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
            {
                w.WriteStartElement(_text, Preserve);
            }
            else
            {
                w.WriteStartElement(_text);
            }
            w.WriteString(value);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
    }

    /// <summary>Text without characters XML cannot hold (stored text has none; this keeps one slip from breaking a file).</summary>
    internal static string XmlSafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                continue;
            }
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                i++;
                continue;
            }
            var clean = new System.Text.StringBuilder(text.Length);
            for (var j = 0; j < text.Length; j++)
            {
                if (XmlConvert.IsXmlChar(text[j]))
                {
                    clean.Append(text[j]);
                }
                else if (j + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[j + 1], text[j]))
                {
                    clean.Append(text[j]).Append(text[j + 1]);
                    j++;
                }
                else
                {
                    clean.Append('\uFFFD');
                }
            }
            return clean.ToString();
        }
        return text;
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
                new NumberingFormat { NumberFormatId = 165, FormatCode = "yyyy-mm-dd" })
            { Count = 2 },
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" }))
            { Count = 2 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFF2F2F2" }) { PatternType = PatternValues.Solid }))
            { Count = 3 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), Thin()) { Count = 2 },
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                {
                    NumberFormatId = 0, FontId = 1, FillId = 2, BorderId = 1, FormatId = 0,
                    ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true,
                },
                Body(0),
                Body(164),
                Body(165),
                Body(0, wrap: true),
                Body(0, wrap: true, quotePrefix: true))
            { Count = 7 },
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}
