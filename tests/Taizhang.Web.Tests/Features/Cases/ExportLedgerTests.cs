using System.Net;
using System.Net.Http.Json;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// The ledger out of the screen: .xlsx and CSV exports read back with the library that wrote them
/// (headers, as many rows as the ledger's total, frozen header, real dates, quoting, formulas made
/// harmless), reporters masked as the case views mask them, each caller's scope, the API with a
/// Bearer token, the audit trail, and the print view.
/// </summary>
public abstract class ExportLedgerTests(TaizhangApp app) : IAsyncLifetime
{
    public static readonly string[] ChineseHeaders =
        ["序号", "登记日期", "来源渠道", "反映人", "联系电话", "所属村/组", "事项内容", "类别", "轻重缓急", "办理方式", "责任单位", "办理期限", "办理情况", "办结日期", "回访情况", "满意度"];

    private const string Quoted = "村口，\"老槐树\"下的路灯坏了。\n晚上看不见路。";
    private const string Phone = "13912345678";
    private const string MaskedPhone = "139****5678";

    private readonly HttpClient _town = app.SharedClientAs("town");
    private long _lamp, _formula, _water, _closed;

    public async Task InitializeAsync()
    {
        // Once per class (the fixture's database), not once per test.
        var existing = await app.WithDbAsync(db => db.Cases.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync());
        if (existing.Length > 0)
        {
            (_lamp, _formula, _water, _closed) = (existing[0], existing[1], existing[2], existing[3]);
            return;
        }
        // Registered on Monday 2026-11-23 at 10:00 in Shanghai.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        _lamp = await _town.RegisterIdAsync(Matter("马家村路灯不亮", Quoted, "SCH-MJC", "张桂兰", Phone));
        _formula = await _town.RegisterIdAsync(Matter("=1+2 公式", "-5 度时路面结冰", "SCH-MJC", "李四", "13700001111"));
        _water = await _town.RegisterIdAsync(Matter("王家村自来水浑浊", "王家村自来水浑浊，已经三天了。", "SCH-WJC", "王五", "13800002222"));
        _closed = await _town.RegisterIdAsync(Matter("马家村垃圾清运不及时", "马家村垃圾清运不及时，堆了一周。", "SCH-MJC", "赵六", "13600003333"));
        await _town.DoAsync(_closed, "triage", new { track = "Direct", urgency = "Normal", category = "environment", assigneeUnit = "SCH-MJC" });
        var cadre = app.SharedClientAs("cadre");
        await cadre.DoAsync(_closed, "start");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await cadre.DoAsync(_closed, "resolve", new { outcome = "Solved", result = "已清运，并约定每周两次。" });
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(_closed, "follow-up", new { satisfaction = "Satisfied", note = "群众满意" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Matter(string title, string description, string orgUnit, string name, string phone) => new
    {
        channel = "Hotline",
        title,
        description,
        reporter = new { name, phone },
        orgUnit,
    };

    [Fact]
    public async Task Xlsx_OpensWithTheLedgersColumns_AsManyRowsAsTheLedger_AFrozenHeader_AndRealDates()
    {
        // Paging is the screen's: the export takes every row of the filters.
        using var response = await _town.GetAsync("/cases/export.xlsx?orgUnit=SCH-MJC&pageSize=1&page=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("台账-20261126.xlsx", disposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''%E5%8F%B0%E8%B4%A6-20261126.xlsx", response.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        var sheet = Workbook.Read(await response.Content.ReadAsByteArrayAsync());
        // Valid against the Open XML schemas (what Excel checks before it offers to "repair" a file).
        var invalid = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(sheet.Document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
        Assert.Equal(ChineseHeaders, sheet.Rows[0]);
        var total = await _town.LedgerTotalAsync("/cases?orgUnit=SCH-MJC");
        Assert.Equal(3, total);
        Assert.Equal(total, sheet.Rows.Count - 1);
        Assert.Equal(Enumerable.Range(1, total).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), sheet.Rows.Skip(1).Select(r => r[0]));

        // The header stays in view: a frozen pane below row 1; and every column has its width.
        var pane = sheet.Worksheet.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.GetFirstChild<Pane>()!;
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1d, pane.VerticalSplit!.Value);
        Assert.Equal("A2", pane.TopLeftCell!.Value);
        var columns = sheet.Worksheet.GetFirstChild<Columns>()!.Elements<Column>().ToList();
        Assert.Equal(16, columns.Count);
        Assert.All(columns, c => Assert.True(c.CustomWidth!.Value && c.Width!.Value > 5));

        // Dates are dates: numbers in a date format, the registration in Shanghai time.
        var closed = sheet.RowWhere(6, "马家村垃圾清运不及时");
        var registered = sheet.Cell(closed, 1);
        Assert.Null(registered.DataType);
        Assert.Equal("yyyy-mm-dd hh:mm", sheet.NumberFormat(registered));
        Assert.Equal(new DateTime(2026, 11, 23, 10, 0, 0), DateTime.FromOADate(double.Parse(registered.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        var resolved = sheet.Cell(closed, 13);
        Assert.Equal("yyyy-mm-dd", sheet.NumberFormat(resolved));
        Assert.Equal(new DateTime(2026, 11, 24), DateTime.FromOADate(double.Parse(resolved.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["已回访（已解决）：已清运，并约定每周两次。", "已回访", "满意"], sheet.Rows[closed][12..].Where((_, i) => i != 1));

        // A text that Excel would take for a formula stays text, with Excel's own quote prefix.
        var formula = sheet.RowWhere(6, "=1+2 公式：-5 度时路面结冰");
        var content = sheet.Cell(formula, 6);
        Assert.Equal(CellValues.InlineString, content.DataType!.Value);
        Assert.Null(content.CellFormula);
        Assert.True(sheet.Format(content).QuotePrefix?.Value);
        Assert.NotEqual(true, sheet.Format(sheet.Cell(closed, 6)).QuotePrefix?.Value);

        // Printed: A4 landscape, the header row on every page.
        var setup = sheet.Worksheet.GetFirstChild<PageSetup>()!;
        Assert.Equal(OrientationValues.Landscape, setup.Orientation!.Value);
        Assert.Equal(9u, setup.PaperSize!.Value);
        Assert.Contains(sheet.Document.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>(), d => d.Name == "_xlnm.Print_Titles" && d.Text == "'台账'!$1:$1");
    }

    [Fact]
    public async Task Csv_IsUtf8WithABom_QuotedAsRfc4180_WithFormulasNeutralised()
    {
        using var response = await _town.GetAsync("/cases/export.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("台账-20261126.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var rows = Csv.Parse(text);

        Assert.Equal(ChineseHeaders, rows[0]);
        Assert.Equal(await _town.LedgerTotalAsync("/cases"), rows.Count - 1);
        Assert.EndsWith("\r\n", text);
        Assert.Equal(rows.Count, text.Split("\r\n").Length - 1);

        // A comma, quotes and a line break survive inside one quoted field.
        var lamp = rows.Single(r => r[6].StartsWith("马家村路灯不亮", StringComparison.Ordinal));
        Assert.Equal("马家村路灯不亮：" + Quoted, lamp[6]);
        Assert.Contains("\"马家村路灯不亮：村口，\"\"老槐树\"\"下的路灯坏了。\n晚上看不见路。\"", text);
        Assert.Equal(["投诉电话", "张桂兰", MaskedPhone, "马家村"], lamp[2..6]);
        Assert.Equal("2026-11-23 10:00", lamp[1]);

        // Text that a spreadsheet would run as a formula starts with an apostrophe.
        Assert.Contains(rows, r => r[6] == "'=1+2 公式：-5 度时路面结冰");
        Assert.DoesNotContain(rows.Skip(1), r => r.Any(f => f.Length > 0 && f[0] is '=' or '+' or '-' or '@' or '\t' or '\r'));

        var closed = rows.Single(r => r[6].StartsWith("马家村垃圾清运不及时", StringComparison.Ordinal));
        Assert.Equal(["人居环境", "一般", "小事项即办", "马家村", "2026-12-02"], closed[7..12]);
        Assert.Equal(["已回访（已解决）：已清运，并约定每周两次。", "2026-11-24", "已回访", "满意"], closed[12..]);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("cadre")]
    [InlineData("leader")]
    [InlineData("operator")]
    [InlineData("member")]
    public async Task Reporters_AreShownAsTheCaseViewShowsThem_AndPhonesAreAlwaysMasked(string who)
    {
        var client = app.SharedClientAs(who);
        using var response = await client.GetAsync("/cases/export.csv?orgUnit=SCH-MJC");
        var text = await response.Content.ReadAsStringAsync();
        var rows = Csv.Parse(text.TrimStart('\uFEFF'));
        var lamp = rows.Single(r => r[6].StartsWith("马家村路灯不亮", StringComparison.Ordinal));

        // The same name the case page and API show this caller (in full to those who handle the case).
        var shown = (await client.GetCaseAsync(_lamp))["reporters"]!.AsArray().Single()!;
        Assert.Equal(shown["name"]!.GetValue<string>(), lamp[3]);
        Assert.Equal(who is "town" or "cadre" ? "张桂兰" : "张**", lamp[3]);
        Assert.Equal(MaskedPhone, lamp[4]);
        Assert.Equal(shown["phone"]!.GetValue<string>(), lamp[4]);
        Assert.DoesNotContain(Phone, text);
        Assert.DoesNotContain("13700001111", text);
    }

    [Fact]
    public async Task ACadre_ExportsOnlyTheirVillagesCases()
    {
        var cadre = app.SharedClientAs("cadre-wjc");

        var sheet = Workbook.Read(await (await cadre.GetAsync("/cases/export.xlsx")).Content.ReadAsByteArrayAsync());

        var total = await cadre.LedgerTotalAsync("/cases");
        Assert.Equal(1, total);
        Assert.Equal(total, sheet.Rows.Count - 1);
        Assert.Equal("王家村", sheet.Rows[1][5]);
        Assert.DoesNotContain(sheet.Rows, r => r.Any(v => v.Contains("马家村", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheApi_ExportsWithABearerToken_WhichOpensNoPageExport()
    {
        var (integration, _) = await app.IntegrationAsync("SCH");

        using var xlsx = await integration.GetAsync("/api/v1/cases/export.xlsx?orgUnit=SCH-MJC");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var sheet = Workbook.Read(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal((await integration.ListAsync("orgUnit=SCH-MJC")).Total(), sheet.Rows.Count - 1);
        // An integration takes calls: it sees names masked, like an operator.
        var lamp = sheet.Rows[sheet.RowWhere(6, "马家村路灯不亮：" + Quoted)];
        Assert.Equal(["张**", MaskedPhone], lamp[3..5]);

        using var csv = await integration.GetAsync("/api/v1/cases/export.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal((await integration.ListAsync()).Total(), Csv.Parse((await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF')).Count - 1);

        // The pages take a person's cookie only.
        using var page = await integration.GetAsync("/cases/export.csv");
        Assert.NotEqual("text/csv", page.Content.Headers.ContentType?.MediaType);
        Assert.Null(page.Content.Headers.ContentDisposition);

        // And the API takes the cookie too.
        using var cookie = await _town.GetAsync("/api/v1/cases/export.csv");
        Assert.Equal(HttpStatusCode.OK, cookie.StatusCode);
    }

    [Fact]
    public async Task EveryExport_IsInTheAuditTrail_WithWhoWhichFiltersAndHowMany_ButNoPhoneNumber()
    {
        var before = await app.WithDbAsync(db => db.AdminEvents.CountAsync(e => e.Action == "ledger.export"));

        using var response = await _town.GetAsync($"/cases/export.csv?orgUnit=SCH-MJC&urgency=Normal&q={Phone}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Csv.Parse((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF')).Count - 1;

        var events = await app.WithDbAsync(db => db.AdminEvents.Where(e => e.Action == "ledger.export").OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(before + 1, events.Count);
        var recorded = events[^1];
        Assert.Equal("镇办受理员", recorded.ActorName);
        Assert.Equal("cases:export.csv", recorded.Target);
        Assert.Contains($"rows={rows};", recorded.Details);
        Assert.Contains("orgUnit=SCH-MJC", recorded.Details);
        Assert.Contains("urgency=Normal", recorded.Details);
        Assert.Contains("q=" + MaskedPhone, Uri.UnescapeDataString(recorded.Details!));
        Assert.DoesNotContain(Phone, Uri.UnescapeDataString(recorded.Details!));
        // Filed under the exporter's town: its own administrator reads it (not only the county's).
        var town = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == "SCH").Select(u => u.Id).SingleAsync());
        Assert.Equal(town, recorded.OrgUnitId);
        var audit = await app.SharedClientAs("admin-sch").GetStringAsync("/api/v1/admin/audit?action=ledger.export");
        Assert.Contains($"\"id\":{recorded.Id},", audit);
    }

    [Fact]
    public async Task AnAnonymousReporter_ReadsAnonymous_InTheExportAndThePrintout()
    {
        var title = "匿名反映夜间施工 " + Guid.NewGuid().ToString("N")[..6];
        await _town.RegisterAsync(new
        {
            // 李家村: the other tests of this class count 马家村's and 王家村's cases.
            channel = "WalkIn", title, description = "夜间施工噪音大。", orgUnit = "SCH-LJC", anonymous = true, reporter = new { phone = "13912340000" },
        });

        using var csv = await _town.GetAsync("/cases/export.csv?q=" + Uri.EscapeDataString(title));
        var rows = Csv.Parse((await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(2, rows.Count);
        Assert.Equal("匿名", rows[1][3]);
        var (_, print) = await _town.GetHtmlAsync("/cases/print?q=" + Uri.EscapeDataString(title));
        Assert.Contains("匿名", print);
    }

    [Fact]
    public async Task APrintout_IsInTheAuditTrail_UnderThePrintersTown_AndNoPageOfTheLedgerIsCached()
    {
        var before = await app.WithDbAsync(db => db.AdminEvents.CountAsync(e => e.Action == "ledger.print"));

        using var response = await _town.GetAsync("/cases/print?orgUnit=SCH-MJC");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "a printout with residents' names is not cached");
        var events = await app.WithDbAsync(db => db.AdminEvents.Where(e => e.Action == "ledger.print").OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(before + 1, events.Count);
        Assert.Equal("镇办受理员", events[^1].ActorName);
        Assert.Contains("orgUnit=SCH-MJC", events[^1].Details);
        Assert.Equal(await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == "SCH").Select(u => u.Id).SingleAsync()), events[^1].OrgUnitId);
        using var ledger = await _town.GetAsync("/cases");
        Assert.True(ledger.Headers.CacheControl?.NoStore, "the ledger page is not cached");
    }

    [Fact]
    public async Task English_HeadersAndFileName_FollowTheUiLanguage()
    {
        using var response = await _town.GetAsync("/cases/export.csv?culture=en&orgUnit=SCH-WJC");

        Assert.Equal("ledger-20261126.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        var rows = Csv.Parse((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(["No.", "Registered", "Channel", "Reporter", "Phone", "Village/group", "Matter", "Category", "Urgency", "Track",
            "Responsible unit", "Due date", "Handling", "Resolved on", "Follow-up", "Satisfaction"], rows[0]);
        Assert.Equal("registered", rows[1][12], ignoreCase: true);
    }

    [Fact]
    public async Task BadFilters_OnThePage_AreAMessageWithTheWayBack_OnTheApiAProblem_NeverAFile()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases/export.xlsx?orgUnit=NOPE&page=2");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("筛选条件有误", html);
        Assert.Contains("没有编码为「NOPE」的组织单位。", html);
        Assert.Contains("<a href=\"/cases?orgUnit=NOPE\">返回台账</a>", html);

        using var api = await _town.GetAsync("/api/v1/cases/export.csv?status=Nope");
        var problem = await api.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("status"));

        var (unknown, _) = await _town.GetHtmlAsync("/cases/export.pdf");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task TheLedgerPage_LinksToExportAndPrint_WithItsFiltersButNotItsPage()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases?orgUnit=SCH-MJC&sort=dueAt&pageSize=50&page=1");

        Assert.Contains("<a href=\"/cases/export.xlsx?orgUnit=SCH-MJC&amp;sort=dueAt\" data-export=\"xlsx\">导出 Excel</a>", html);
        Assert.Contains("<a href=\"/cases/export.csv?orgUnit=SCH-MJC&amp;sort=dueAt\" data-export=\"csv\">导出 CSV</a>", html);
        Assert.Contains("<a href=\"/cases/print?orgUnit=SCH-MJC&amp;sort=dueAt\" data-export=\"print\">打印</a>", html);
    }

    [Fact]
    public async Task Print_ListsEveryMatchingRow_WithoutMenuOrControls_TitledWithTheFiltersAndTheTime()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases/print?orgUnit=SCH-MJC&urgency=Normal,High&sort=-registeredAt&page=3");

        Assert.Equal(HttpStatusCode.OK, status);
        var total = await _town.LedgerTotalAsync("/cases?orgUnit=SCH-MJC&urgency=Normal,High");
        Assert.Equal(3, total);
        Assert.Equal(total, html.Split("<tr data-case-id=").Length - 1);
        foreach (var control in new[] { "<nav", "<form", "<button", "<select", "<input", "<header class=\"top\"" })
        {
            Assert.DoesNotContain(control, html);
        }
        foreach (var header in ChineseHeaders)
        {
            Assert.Contains($">{header}</th>", html);
        }
        Assert.Contains("筛选条件：村（社区）：马家村；轻重缓急：一般、较急</p>", html);
        Assert.Contains("共 3 件 · 打印时间：2026-11-26 10:00", html);
        Assert.Contains(MaskedPhone, html);
        Assert.DoesNotContain(Phone, html);
        Assert.DoesNotContain("打印视图只列出前", html);

        // A4 landscape with page numbers, from its own stylesheet (no inline style: the CSP forbids it).
        var css = System.Text.RegularExpressions.Regex.Match(html, "<link rel=\"stylesheet\" href=\"(/assets/print.css[^\"]*)\">");
        Assert.True(css.Success);
        var sheet = await _town.GetStringAsync(System.Net.WebUtility.HtmlDecode(css.Groups[1].Value));
        Assert.Contains("size: A4 landscape", sheet);
        Assert.Contains("counter(page)", sheet);
    }

    [Fact]
    public async Task Print_InTheCadresScope_AndWithBadFilters_SaysSo()
    {
        var (_, html) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync("/cases/print");
        Assert.Equal(1, html.Split("<tr data-case-id=").Length - 1);
        Assert.Contains($"<tr data-case-id=\"{_water}\">", html);
        Assert.Contains("筛选条件：全部事项", html);

        var (status, bad) = await _town.GetHtmlAsync("/cases/print?from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("日期格式应为 yyyy-MM-dd。", bad);
        Assert.DoesNotContain("<tr data-case-id=", bad);
    }

    /// <summary>An .xlsx read back with the Open XML SDK: its rows as texts, and its cells and formats.</summary>
    public sealed class Workbook
    {
        public required SpreadsheetDocument Document { get; init; }
        public required Worksheet Worksheet { get; init; }
        public required List<string[]> Rows { get; init; }
        private List<Row> RowElements { get; init; } = [];

        public static Workbook Read(byte[] bytes)
        {
            var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
            var worksheet = Sheet(document, null);
            var rows = worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
            return new Workbook
            {
                Document = document,
                Worksheet = worksheet,
                RowElements = rows,
                Rows = rows.Select(r => r.Elements<Cell>().Select(Text).ToArray()).ToList(),
            };
        }

        /// <summary>The sheet named <paramref name="name"/>, or the first in the workbook's order.</summary>
        public static Worksheet Sheet(SpreadsheetDocument document, string? name)
        {
            var part = document.WorkbookPart!;
            var sheet = part.Workbook.Sheets!.Elements<Sheet>().First(s => name is null || s.Name?.Value == name);
            return ((WorksheetPart)part.GetPartById(sheet.Id!.Value!)).Worksheet;
        }

        /// <summary>Another sheet of the same workbook, read the same way.</summary>
        public Workbook Other(string name)
        {
            var worksheet = Sheet(Document, name);
            var rows = worksheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
            return new Workbook
            {
                Document = Document,
                Worksheet = worksheet,
                RowElements = rows,
                Rows = rows.Select(r => r.Elements<Cell>().Select(Text).ToArray()).ToList(),
            };
        }

        /// <summary>The sheets' names, in the workbook's order.</summary>
        public IReadOnlyList<string> SheetNames => Document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();

        private static string Text(Cell cell) => cell.DataType?.Value == CellValues.InlineString
            ? cell.InlineString?.InnerText ?? ""
            : cell.CellValue?.Text ?? "";

        /// <summary>The index of the one row whose column <paramref name="column"/> is <paramref name="text"/> or starts with it.</summary>
        public int RowWhere(int column, string text) =>
            Rows.FindIndex(r => r[column].StartsWith(text, StringComparison.Ordinal)) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no row with {text}");

        public Cell Cell(int row, int column) => RowElements[row].Elements<Cell>().ElementAt(column);

        public CellFormat Format(Cell cell) =>
            Document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));

        public string? NumberFormat(Cell cell)
        {
            var id = Format(cell).NumberFormatId?.Value;
            return Document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.NumberingFormats?.Elements<NumberingFormat>()
                .FirstOrDefault(f => f.NumberFormatId?.Value == id)?.FormatCode?.Value;
        }
    }

    /// <summary>RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static class Csv
    {
        public static List<string[]> Parse(string text)
        {
            var rows = new List<string[]>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                    i++;
                }
                else
                {
                    field.Append(c);
                }
            }
            Assert.True(fields.Count == 0 && field.Length == 0 && !quoted, "the file ends with CRLF after its last row");
            return rows;
        }
    }
}

public sealed class ExportLedgerTests_Sqlite(SqliteApp app) : ExportLedgerTests(app), IClassFixture<SqliteApp>;

public sealed class ExportLedgerTests_Postgres(PostgresApp app) : ExportLedgerTests(app), IClassFixture<PostgresApp>;

/// <summary>The limits: an export past Export:MaxRows is refused with a message, the print view stops at Export:PrintMaxRows.</summary>
public abstract class LedgerExportLimitTests(TaizhangApp app) : IAsyncLifetime
{
    public const string MaxRows = "2", PrintMaxRows = "1";

    private readonly HttpClient _town = app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => db.Cases.AnyAsync()))
        {
            return;
        }
        for (var i = 0; i < 3; i++)
        {
            await _town.RegisterIdAsync(CaseApi.NewCase(title: "上限测试 " + i));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnExportPastTheLimit_IsRefusedWithAClearMessage_AndRecordsNothing()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases/export.xlsx");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("符合条件的事项共 3 件，超过一次导出的上限 2 件。请缩小筛选范围", html);
        Assert.Contains("<a href=\"/cases\">返回台账</a>", html);

        using var api = await _town.GetAsync("/api/v1/cases/export.csv");
        var problem = await api.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.StartsWith("符合条件的事项共 3 件", problem["title"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.AdminEvents.CountAsync(e => e.Action == "ledger.export")));

        // Within the limit it goes through.
        using var narrow = await _town.GetAsync("/api/v1/cases/export.csv?q=" + Uri.EscapeDataString("上限测试 1"));
        Assert.Equal(HttpStatusCode.OK, narrow.StatusCode);
    }

    [Fact]
    public async Task ThePrintView_StopsAtItsLimit_AndSaysHowManyItLeftOut()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases/print");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, html.Split("<tr data-case-id=").Length - 1);
        Assert.Contains("符合条件的事项共 3 件，打印视图只列出前 1 件。", html);
    }
}

public sealed class SmallExportSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Export:MaxRows", LedgerExportLimitTests.MaxRows);
        builder.UseSetting("Export:PrintMaxRows", LedgerExportLimitTests.PrintMaxRows);
    }
}

public sealed class SmallExportPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Export:MaxRows", LedgerExportLimitTests.MaxRows);
        builder.UseSetting("Export:PrintMaxRows", LedgerExportLimitTests.PrintMaxRows);
    }
}

public sealed class LedgerExportLimitTests_Sqlite(SmallExportSqliteApp app) : LedgerExportLimitTests(app), IClassFixture<SmallExportSqliteApp>;

public sealed class LedgerExportLimitTests_Postgres(SmallExportPostgresApp app) : LedgerExportLimitTests(app), IClassFixture<SmallExportPostgresApp>;
