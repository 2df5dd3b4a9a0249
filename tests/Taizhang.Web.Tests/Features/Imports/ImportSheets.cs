using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Taizhang.Web.Features.Imports;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Imports;

/// <summary>Sheets as the forwarding systems send them, built here with the Open XML SDK or as CSV text.</summary>
public static class ImportSheets
{
    static ImportSheets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly string[] Headers12345 =
        ["工单编号", "诉求标题", "诉求内容", "所属村", "类别", "诉求人", "联系电话", "地址", "紧急程度", "受理日期", "办理时限"];

    /// <summary>An Excel serial date (what a date cell holds).</summary>
    public static double Serial(int y, int m, int d) => new DateTime(y, m, d).ToOADate();

    /// <summary>
    /// An .xlsx as Excel writes it: the header and every second text cell in the shared-string table, the others
    /// inline; numbers (a phone typed as a number, a date) as numbers; null leaves the cell out.
    /// </summary>
    public static byte[] Xlsx(string[] headers, params object?[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var sst = workbook.AddNewPart<SharedStringTablePart>();
            sst.SharedStringTable = new SharedStringTable();
            var shared = new List<string>();
            int Share(string s)
            {
                var i = shared.IndexOf(s);
                if (i < 0)
                {
                    shared.Add(s);
                    sst.SharedStringTable.AppendChild(new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve }));
                    i = shared.Count - 1;
                }
                return i;
            }
            var part = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            static string Ref(int column, int row) => ((char)('A' + column)).ToString() + row.ToString(CultureInfo.InvariantCulture);
            var header = new Row { RowIndex = 1 };
            for (var c = 0; c < headers.Length; c++)
            {
                header.Append(new Cell { CellReference = Ref(c, 1), DataType = CellValues.SharedString, CellValue = new CellValue(Share(headers[c])) });
            }
            data.Append(header);
            var n = 1;
            var texts = 0;
            foreach (var values in rows)
            {
                var row = new Row { RowIndex = (uint)++n };
                for (var c = 0; c < values.Length; c++)
                {
                    switch (values[c])
                    {
                        case null:
                            break;
                        case string s when texts++ % 2 == 0:
                            row.Append(new Cell { CellReference = Ref(c, n), DataType = CellValues.SharedString, CellValue = new CellValue(Share(s)) });
                            break;
                        case string s:
                            row.Append(new Cell { CellReference = Ref(c, n), DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s)) });
                            break;
                        case double d:
                            row.Append(new Cell { CellReference = Ref(c, n), CellValue = new CellValue(d.ToString("R", CultureInfo.InvariantCulture)) });
                            break;
                        case long l:
                            row.Append(new Cell { CellReference = Ref(c, n), CellValue = new CellValue(l.ToString(CultureInfo.InvariantCulture)) });
                            break;
                    }
                }
                data.Append(row);
            }
            part.Worksheet = new Worksheet(data);
            workbook.Workbook = new Workbook(new Sheets(new Sheet { Name = "转办工单", SheetId = 1, Id = workbook.GetIdOfPart(part) }));
        }
        return stream.ToArray();
    }

    /// <summary>CSV text: fields quoted when they hold a comma, a quote or a line break.</summary>
    public static string Csv(string[] headers, IEnumerable<string[]> rows)
    {
        var b = new StringBuilder();
        static string Field(string f) => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f;
        b.Append(string.Join(',', headers.Select(Field))).Append("\r\n");
        foreach (var r in rows)
        {
            b.Append(string.Join(',', r.Select(Field))).Append("\r\n");
        }
        return b.ToString();
    }

    public static byte[] Gb18030(string text) => Encoding.GetEncoding("GB18030").GetBytes(text);

    public static byte[] Utf8Bom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    public static async Task<long> CreateSourceAsync(this HttpClient client, string name, string channel = "HigherLevel",
        Dictionary<string, string>? mapping = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/import-sources", new { name, channel, mapping });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json["id"]!.GetValue<long>();
    }

    public static readonly Dictionary<string, string> Mapping12345 = new()
    {
        ["reference"] = "工单编号", ["title"] = "诉求标题", ["description"] = "诉求内容", ["village"] = "所属村", ["category"] = "类别",
        ["name"] = "诉求人", ["phone"] = "联系电话", ["address"] = "地址", ["urgency"] = "紧急程度", ["received"] = "受理日期", ["due"] = "办理时限",
    };

    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, long source, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal)
            ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", fileName);
        return await client.PostAsync($"/api/v1/imports/{source}/file", form);
    }

    /// <summary>An upload that must be imported; its result.</summary>
    public static async Task<JsonObject> ImportAsync(this HttpClient client, long source, byte[] content, string fileName)
    {
        using var response = await client.UploadAsync(source, content, fileName);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{response.StatusCode}: {json}");
        return json;
    }

    public static int Int(this JsonObject o, string name) => o[name]!.GetValue<int>();
}

/// <summary>A chunk that fails before its commit, when a test asks for it.</summary>
public sealed class FailingImportHooks : ImportHooks
{
    public int? FailOnChunk { get; set; }

    public override void BeforeCommit(long sourceId, int chunk)
    {
        if (chunk == FailOnChunk)
        {
            throw new InvalidOperationException($"Simulated failure on chunk {chunk}.");
        }
    }
}

public sealed class ImportSqliteApp : SqliteApp
{
    public FailingImportHooks Hooks { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Imports:PendingDirectory", Path.Combine(Path.GetTempPath(), "taizhang-tests", "pending-" + Guid.NewGuid().ToString("N")));
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<ImportHooks>();
            s.AddSingleton<ImportHooks>(Hooks);
        });
    }
}

public sealed class ImportPostgresApp : PostgresApp
{
    public FailingImportHooks Hooks { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Imports:PendingDirectory", Path.Combine(Path.GetTempPath(), "taizhang-tests", "pending-" + Guid.NewGuid().ToString("N")));
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<ImportHooks>();
            s.AddSingleton<ImportHooks>(Hooks);
        });
    }
}
