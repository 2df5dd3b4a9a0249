using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Imports;

/// <summary>The recent import runs of the caller's towns, and a run's error sheet (.xlsx) to fix and upload again.</summary>
public static class ImportRuns
{
    public sealed record RunView(
        long Id, long SourceId, string SourceName, Channel Channel, string ActorName, DateTime StartedAt, DateTime? FinishedAt,
        string FileName, string Status, int Rows, int Created, int Duplicates, int Invalid);

    public sealed class Handler(TaizhangDb db, ImportSources.Handler sources, Texts texts)
    {
        public async Task<IReadOnlyList<RunView>> ListAsync(int take, CancellationToken ct)
        {
            var towns = (await sources.TownsAsync(ct)).Select(t => t.Id).ToArray();
            if (towns.Length == 0)
            {
                throw new ForbiddenException();
            }
            return await (from r in db.ImportRuns.AsNoTracking()
                          join s in db.ImportSources.AsNoTracking() on r.SourceId equals s.Id
                          where towns.Contains(r.TownId)
                          orderby r.Id descending
                          select new RunView(r.Id, r.SourceId, s.Name, s.Channel, r.ActorName, r.StartedAt, r.FinishedAt, r.FileName, r.Status,
                              r.Rows, r.Created, r.Duplicates, r.Invalid))
                .Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        }

        public async Task<RunView> GetAsync(long id, CancellationToken ct) =>
            (await ListOneAsync(id, ct)).View;

        /// <summary>The run and its refused rows (for the page's table).</summary>
        public async Task<(RunView Run, RunImport.ErrorSheet? Errors)> GetWithErrorsAsync(long id, CancellationToken ct)
        {
            var (view, json) = await ListOneAsync(id, ct);
            return (view, json is null ? null : JsonSerializer.Deserialize<RunImport.ErrorSheet>(json));
        }

        private async Task<(RunView View, string? Errors)> ListOneAsync(long id, CancellationToken ct)
        {
            var towns = (await sources.TownsAsync(ct)).Select(t => t.Id).ToArray();
            if (towns.Length == 0)
            {
                throw new ForbiddenException();
            }
            var found = await (from r in db.ImportRuns.AsNoTracking()
                               join s in db.ImportSources.AsNoTracking() on r.SourceId equals s.Id
                               where r.Id == id && towns.Contains(r.TownId)
                               select new
                               {
                                   View = new RunView(r.Id, r.SourceId, s.Name, s.Channel, r.ActorName, r.StartedAt, r.FinishedAt, r.FileName, r.Status,
                                       r.Rows, r.Created, r.Duplicates, r.Invalid),
                                   r.Errors,
                               }).FirstOrDefaultAsync(ct);
            return found is null ? throw new NotFoundException("import run") : (found.View, found.Errors);
        }

        /// <summary>The refused rows as uploaded (original columns) with a 错误说明 column, as .xlsx bytes; 404 when the run refused none.</summary>
        public async Task<(byte[] Content, string FileName)> ErrorSheetAsync(long id, CancellationToken ct)
        {
            var (view, json) = await ListOneAsync(id, ct);
            var sheet = json is null ? null : JsonSerializer.Deserialize<RunImport.ErrorSheet>(json);
            if (sheet is null)
            {
                throw new NotFoundException("error sheet");
            }
            var name = Path.GetFileNameWithoutExtension(view.FileName);
            return (Write(sheet, texts["imports.errors-column"], texts["imports.errors-sheet"]),
                $"{(name.Length == 0 || name == "-" ? "import" : name)}-{texts["imports.errors-file"]}-{view.Id}.xlsx");
        }

        /// <summary>One sheet, text cells only (inline strings: a cell that looks like a formula stays text).</summary>
        public static byte[] Write(RunImport.ErrorSheet sheet, string reasonsHeader, string sheetName)
        {
            using var stream = new MemoryStream();
            using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
            {
                var workbook = document.AddWorkbookPart();
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                data.Append(Row(1, [.. sheet.Headers, reasonsHeader]));
                var n = 1;
                foreach (var row in sheet.Rows)
                {
                    var cells = new string[sheet.Headers.Length + 1];
                    for (var i = 0; i < sheet.Headers.Length; i++)
                    {
                        cells[i] = i < row.Cells.Length ? row.Cells[i] : string.Empty;
                    }
                    cells[^1] = row.Reasons;
                    data.Append(Row(++n, cells));
                }
                part.Worksheet = new Worksheet(
                    new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                    { WorkbookViewId = 0 }),
                    data);
                workbook.Workbook = new Workbook(new Sheets(new Sheet { Name = sheetName, SheetId = 1, Id = workbook.GetIdOfPart(part) }));
            }
            return stream.ToArray();
        }

        private static Row Row(int number, string[] values)
        {
            var row = new Row { RowIndex = (uint)number };
            foreach (var v in values)
            {
                var text = new string(v.Where(c => System.Xml.XmlConvert.IsXmlChar(c) || char.IsSurrogate(c)).ToArray());
                var t = new Text(text);
                if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                {
                    t.Space = SpaceProcessingModeValues.Preserve;
                }
                row.Append(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(t) });
            }
            return row;
        }
    }
}
