using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Tests.Features.Cases;
using Taizhang.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Taizhang.Web.Tests.Features.Imports.ImportSheets;

namespace Taizhang.Web.Tests.Features.Imports;

/// <summary>
/// 批量导入 end to end over HTTP: a first sheet's columns proposed and confirmed on /imports, .xlsx and CSV
/// (UTF-8, GB18030) read, every valid row a case of the source's channel and reference, duplicates (in a file
/// and across uploads) reported and never created again, refused rows with row, column and reason and their
/// sheet downloaded and re-uploaded, an interrupted import that leaves no half chunk and completes when the
/// same file comes again, the JSON batch API, scope, and 10,000 rows.
/// </summary>
public abstract partial class ImportTests(TaizhangApp app, FailingImportHooks hooks, ITestOutputHelper output)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    private static object?[] Row(string reference, string village = "马家村", string? phone = "13912345678", string? description = null,
        object? due = null, string title = "村口路灯不亮", string? category = "道路交通", string? urgency = "较急") =>
        [reference, title, description ?? $"{title}，已经一个多星期了（{reference}）。", village, category, "张桂兰",
            phone is null ? null : long.TryParse(phone, out var p) ? p : phone, "马家村村口", urgency, Serial(2026, 11, 20), due];

    [Fact]
    public async Task FirstSheet_ColumnsProposedOnThePage_Confirmed_ThenSavedAndReused_CasesCarryChannelReferenceAndSheetValues()
    {
        Assert.Equal(HttpStatusCode.Found, (await _town.PostFormAsync("/imports?handler=Create",
            ("Create.Name", "县12345转办"), ("Create.Channel", "HigherLevel"))).StatusCode);
        var sources = await _town.GetFromJsonAsync<JsonArray>("/api/v1/import-sources");
        var source = sources!.Single(s => s!["name"]!.GetValue<string>() == "县12345转办")!["id"]!.GetValue<long>();
        // The new source's notice is said once (by the layout), not a second time by the page.
        var (_, created) = await _town.GetHtmlAsync($"/imports?source={source}");
        Assert.Single(Regex.Matches(created, "class=\"notice\""));

        var sheet = Xlsx(Headers12345,
            Row("12345-0001", due: "2026-12-05"),
            Row("12345-0002", village: "SCH-WJC", title: "自来水浑浊", category: "environment", urgency: "Urgent", due: Serial(2026, 12, 1)));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(source.ToString(System.Globalization.CultureInfo.InvariantCulture)), "Source" },
            { new ByteArrayContent(sheet), "file", "转办工单.xlsx" },
        };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/imports?handler=Upload") { Content = form };
        upload.Headers.Accept.ParseAdd("text/html");
        using var uploaded = await _town.SendAsync(upload);
        var html = await uploaded.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        // Nothing is imported before the person confirms the columns; each field's column is proposed from its header.
        Assert.Equal(0, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("12345-"))));
        Assert.Contains("id=\"mapping-form\"", html, StringComparison.Ordinal);
        foreach (var (field, header) in Mapping12345)
        {
            Assert.Matches(new Regex($"""<select id="map-{field}"[^>]*>.*?<option value="{Regex.Escape(header)}" selected="selected">""", RegexOptions.Singleline), html);
        }
        var token = Regex.Match(html, """name="Token" value="([0-9a-f]{32})""").Groups[1].Value;

        using var confirmed = await _town.PostFormAsync("/imports?handler=Confirm",
            [("Source", source.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Token", token), ("FileName", "转办工单.xlsx"),
                .. Mapping12345.Select(m => ($"Mapping[{m.Key}]", m.Value))]);
        Assert.Equal(HttpStatusCode.Found, confirmed.StatusCode);
        var result = confirmed.Headers.Location!.OriginalString;
        Assert.StartsWith($"/imports?source={source}&run=", result, StringComparison.Ordinal);
        var (status, page) = await _town.GetHtmlAsync(result);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"created\" data-n=\"2\"", page, StringComparison.Ordinal);
        Assert.Contains("/cases?channel=HigherLevel&amp;from=2026-11-26&amp;to=2026-11-26", page, StringComparison.Ordinal);

        var cases = await app.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.Reporters)
            .Where(c => c.ExternalRef!.StartsWith("12345-")).OrderBy(c => c.ExternalRef).ToListAsync());
        Assert.Equal(["12345-0001", "12345-0002"], cases.Select(c => c.ExternalRef));
        Assert.All(cases, c =>
        {
            Assert.Equal(Channel.HigherLevel, c.Channel);
            Assert.Null(c.SourceClientId);
            Assert.Equal(CaseStatus.Registered, c.Status);
            Assert.NotNull(c.RatingCodeHash);
            var reporter = Assert.Single(c.Reporters);
            Assert.Equal(("张桂兰", "13912345678"), (reporter.Name, reporter.Phone));
            Assert.Equal("马家村村口", c.Location?.Address);
        });
        Assert.Equal(("SCH-MJC", Urgency.High), (await UnitCode(cases[0].OrgUnitId), cases[0].Urgency));
        Assert.Equal(("SCH-WJC", Urgency.Urgent), (await UnitCode(cases[1].OrgUnitId), cases[1].Urgency));
        // The higher level's deadline is the case's: the end of that day in Shanghai.
        Assert.Equal(new DateTime(2026, 12, 5, 16, 0, 0, DateTimeKind.Utc), cases[0].DueAt);
        Assert.Equal(new DateTime(2026, 12, 1, 16, 0, 0, DateTimeKind.Utc), cases[1].DueAt);
        var received = await app.WithDbAsync(db => db.ImportedRows.Where(r => r.SourceId == source).Select(r => r.ReceivedOn).Distinct().ToListAsync());
        Assert.Equal([new DateOnly(2026, 11, 20)], received);
        // The timeline says who imported it.
        var detail = await _town.GetCaseAsync(cases[0].Id);
        Assert.Equal("Register", detail.EventActions()[0]);

        // The mapping is saved with the source; the next sheet with these headers is imported at once.
        var saved = await _town.GetFromJsonAsync<JsonObject>($"/api/v1/import-sources/{source}");
        Assert.Equal("工单编号", saved!["mapping"]!["reference"]!.GetValue<string>());
        var next = await _town.ImportAsync(source, Xlsx(Headers12345, Row("12345-0003")), "第二批.xlsx");
        Assert.Equal((1, 1, 0, 0), (next.Int("rows"), next.Int("created"), next.Int("duplicates"), next.Int("invalid")));
        // Audited with counts only.
        var audit = await app.WithDbAsync(db => db.AdminEvents.Where(e => e.Action == "import.run" && e.Target == $"import-source:{source}").Select(e => e.Details!).ToListAsync());
        Assert.Equal(2, audit.Count);
        Assert.DoesNotContain(audit, d => d.Contains("1391234", StringComparison.Ordinal) || d.Contains("张桂兰", StringComparison.Ordinal));
    }

    private Task<string> UnitCode(long id) => app.WithDbAsync(db => db.OrgUnits.Where(u => u.Id == id).Select(u => u.Code).SingleAsync());

    [Theory]
    [InlineData("utf8")]
    [InlineData("utf8-bom")]
    [InlineData("gb18030")]
    public async Task Csv_InUtf8WithOrWithoutBom_OrGb18030_WithQuotedCommasQuotesAndLineBreaks_IsRead(string encoding)
    {
        var source = await _town.CreateSourceAsync("县信访局-" + encoding, "Petition",
            new() { ["reference"] = "信访件编号", ["description"] = "来信内容", ["village"] = "村居", ["name"] = "信访人", ["phone"] = "联系电话" });
        var description = "村里的\"老槐树\"倒了，压坏围墙，\n请尽快处理。";
        var text = Csv(["信访件编号", "来信内容", "村居", "信访人", "联系电话"],
        [
            ["XF-" + encoding + "-1", description, "王家村", "李四", "0931-1234567"],
            ["XF-" + encoding + "-2", "河沟村的桥裂了", "河沟村", "", "13700001111"],
        ]);
        var bytes = encoding switch
        {
            "utf8" => System.Text.Encoding.UTF8.GetBytes(text),
            "utf8-bom" => Utf8Bom(text),
            _ => Gb18030(text),
        };
        var result = await _town.ImportAsync(source, bytes, "信访.csv");
        Assert.Equal((2, 0, 0), (result.Int("created"), result.Int("duplicates"), result.Int("invalid")));

        var cases = await app.WithDbAsync(db => db.Cases.AsNoTracking().Include(c => c.Reporters)
            .Where(c => c.ExternalRef!.StartsWith("XF-" + encoding + "-")).OrderBy(c => c.ExternalRef).ToListAsync());
        Assert.Equal(description, cases[0].Description);
        Assert.Equal(Channel.Petition, cases[0].Channel);
        // No title column: the first line of the description.
        Assert.Equal("村里的\"老槐树\"倒了，压坏围墙，", cases[0].Title);
        Assert.Equal(("李四", "0931-1234567"), (cases[0].Reporters[0].Name, cases[0].Reporters[0].Phone));
        // A number without a name: an anonymous reporter whose number is kept for the return visit.
        Assert.True(cases[1].Anonymous);
        Assert.Equal(("", "13700001111"), (cases[1].Reporters[0].Name, cases[1].Reporters[0].Phone));
    }

    [Fact]
    public async Task Duplicates_InTheSameFile_AndAcrossUploads_AreReported_AndNeverCreatedAgain()
    {
        var source = await _town.CreateSourceAsync("民生服务平台", "LivelihoodPlatform", Mapping12345);
        var first = await _town.ImportAsync(source, Xlsx(Headers12345, Row("MS-1"), Row("MS-2"), Row("MS-1", title: "同号另一行")), "a.xlsx");
        Assert.Equal((3, 2, 1, 0), (first.Int("rows"), first.Int("created"), first.Int("duplicates"), first.Int("invalid")));
        var inFile = first["duplicateRows"]!.AsArray().Single()!;
        Assert.Equal((4, "MS-1", 2), (inFile["row"]!.GetValue<int>(), inFile["reference"]!.GetValue<string>(), inFile["sameAsRow"]!.GetValue<int>()));

        var again = await _town.ImportAsync(source, Xlsx(Headers12345, Row("MS-2"), Row("MS-3")), "b.xlsx");
        Assert.Equal((1, 1), (again.Int("created"), again.Int("duplicates")));
        var earlier = again["duplicateRows"]!.AsArray().Single()!;
        var ms2 = first["createdRows"]!.AsArray().Single(r => r!["reference"]!.GetValue<string>() == "MS-2")!["caseId"]!.GetValue<long>();
        Assert.Equal(ms2, earlier["caseId"]!.GetValue<long>());

        Assert.Equal(3, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Channel == Channel.LivelihoodPlatform && c.ExternalRef!.StartsWith("MS-"))));
        // The same reference from another source is another matter.
        var other = await _town.CreateSourceAsync("县12345转办-2", "HigherLevel", Mapping12345);
        Assert.Equal(1, (await _town.ImportAsync(other, Xlsx(Headers12345, Row("MS-1")), "c.xlsx")).Int("created"));
    }

    [Fact]
    public async Task InvalidRows_ReportedWithRowColumnAndReason_TheirSheetDownloads_FixedAndUploadedAgain()
    {
        var source = await _town.CreateSourceAsync("县12345转办-错", "HigherLevel", Mapping12345);
        var sheet = Xlsx(Headers12345,
            Row("E-1"),
            Row("E-2", village: "不存在村"),
            Row("E-3", phone: "12345", category: "没有这类"),
            Row("E-4", due: "2026-11-01"),
            Row("E-5", urgency: "立刻"));
        var result = await _town.ImportAsync(source, sheet, "有错.xlsx");
        Assert.Equal((5, 1, 0, 4), (result.Int("rows"), result.Int("created"), result.Int("duplicates"), result.Int("invalid")));
        var errors = result["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]!.GetValue<string>(), e["reason"]!.GetValue<string>())).ToList();
        Assert.Contains(errors, e => e.Item1 == 3 && e.Item2 == "所属村" && e.Item3.Contains("不存在村", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 4 && e.Item2 == "联系电话");
        Assert.Contains(errors, e => e.Item1 == 4 && e.Item2 == "类别" && e.Item3.Contains("没有这类", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Item1 == 5 && e.Item2 == "办理时限");
        Assert.Contains(errors, e => e.Item1 == 6 && e.Item2 == "紧急程度");
        Assert.Equal(1, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("E-"))));

        // The page lists them with the download.
        var run = result["runId"]!.GetValue<long>();
        var (_, page) = await _town.GetHtmlAsync($"/imports?run={run}");
        Assert.Contains("id=\"invalid\" data-n=\"4\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/v1/import-runs/{run}/errors.xlsx\"", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-row=\"3\">", page, StringComparison.Ordinal);

        using var download = await _town.GetAsync($"/api/v1/import-runs/{run}/errors.xlsx");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("no-store", download.Headers.CacheControl?.ToString());
        var back = ExportLedgerTests.Workbook.Read(await download.Content.ReadAsByteArrayAsync());
        var invalid = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(back.Document).Select(e => e.Description).ToList();
        Assert.True(invalid.Count == 0, string.Join("\n", invalid));
        Assert.Equal([.. Headers12345, "错误说明"], back.Rows[0]);
        Assert.Equal(["E-2", "E-3", "E-4", "E-5"], back.Rows.Skip(1).Select(r => r[0]));
        Assert.Equal("12345", back.Rows[2][6]);
        Assert.Contains("联系电话", back.Rows[2][^1], StringComparison.Ordinal);
        Assert.Contains("类别", back.Rows[2][^1], StringComparison.Ordinal);
        // Two reasons read as one sentence each, without a full stop before the separator ("必填。；").
        Assert.DoesNotContain("。；", back.Rows[2][^1], StringComparison.Ordinal);
        Assert.Contains("；", back.Rows[2][^1], StringComparison.Ordinal);

        // Fixed in the downloaded sheet (its 错误说明 column stays) and uploaded again: the rest come in.
        var fixedRows = back.Rows.Skip(1).Select(r =>
        {
            var cells = r.Select(c => (object?)c).ToArray();
            cells[3] = "马家村";
            cells[4] = "道路交通";
            cells[6] = "13912345678";
            cells[8] = "一般";
            cells[10] = "2026-12-10";
            return cells;
        }).ToArray();
        var again = await _town.ImportAsync(source, Xlsx([.. Headers12345, "错误说明"], fixedRows), "改正.xlsx");
        Assert.Equal((4, 0, 0), (again.Int("created"), again.Int("duplicates"), again.Int("invalid")));
        // A run without refused rows has no error sheet.
        Assert.Equal(HttpStatusCode.NotFound, (await _town.GetAsync($"/api/v1/import-runs/{again["runId"]}/errors.xlsx")).StatusCode);
    }

    [Fact]
    public async Task AFailureOnAChunk_LeavesNoHalfChunk_AndTheSameFileAgain_CompletesExactly()
    {
        var source = await _town.CreateSourceAsync("县12345转办-断", "HigherLevel", Mapping12345);
        // 1,200 rows: chunks of 500, 500 and 200; the second fails before its commit.
        var rows = Enumerable.Range(1, 1200).Select(i => new[] { $"F-{i:D5}", "路灯不亮", $"第 {i} 件", "马家村", "", "王五", "13800000000", "", "", "", "" });
        var file = System.Text.Encoding.UTF8.GetBytes(Csv(Headers12345, rows));
        hooks.FailOnChunk = 1;
        try
        {
            using var failed = await _town.UploadAsync(source, file, "大批.csv");
            await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        }
        finally
        {
            hooks.FailOnChunk = null;
        }
        Assert.Equal(500, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("F-"))));
        Assert.Equal(500, await app.WithDbAsync(db => db.ImportedRows.CountAsync(r => r.SourceId == source)));
        // Every stored case is whole: its event and its reporter.
        Assert.Equal(500, await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => db.Cases.Any(c => c.Id == e.CaseId && c.ExternalRef!.StartsWith("F-")))));
        Assert.Equal(500, await app.WithDbAsync(db => db.CaseReporters.CountAsync(r => db.Cases.Any(c => c.Id == r.CaseId && c.ExternalRef!.StartsWith("F-")))));
        var runs = await _town.GetFromJsonAsync<JsonArray>("/api/v1/import-runs");
        var stopped = runs!.First(r => r!["sourceId"]!.GetValue<long>() == source)!;
        Assert.Equal(("Failed", 500), (stopped["status"]!.GetValue<string>(), stopped["created"]!.GetValue<int>()));

        var resumed = await _town.ImportAsync(source, file, "大批.csv");
        Assert.Equal((700, 500, 0, "Completed"), (resumed.Int("created"), resumed.Int("duplicates"), resumed.Int("invalid"), resumed["status"]!.GetValue<string>()));
        Assert.Equal(1200, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("F-"))));
        Assert.Equal(1200, await app.WithDbAsync(db => db.Cases.Where(c => c.ExternalRef!.StartsWith("F-")).Select(c => c.ExternalRef).Distinct().CountAsync()));
    }

    [Fact]
    public async Task JsonBatch_ByFieldNamesOrTheSourcesHeaders_ImportsAndDedupes_BadBodiesAreProblems()
    {
        var source = await _town.CreateSourceAsync("民生平台接口", "LivelihoodPlatform", Mapping12345);
        var batch = new object[]
        {
            new { reference = "J-1", description = "路面塌陷", village = "SCH-MJC", phone = "13912345678", name = "赵六" },
            new Dictionary<string, object?> { ["工单编号"] = "J-2", ["诉求内容"] = "垃圾没人收", ["所属村"] = "王家村", ["紧急程度"] = "紧急" },
            new { reference = "J-3", description = "电话不对", village = "马家村", phone = "123" },
        };
        using var response = await _town.PostAsJsonAsync($"/api/v1/imports/{source}", batch);
        var result = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToJsonString());
        Assert.Equal((3, 2, 0, 1), (result.Int("rows"), result.Int("created"), result.Int("duplicates"), result.Int("invalid")));
        var error = result["errors"]!.AsArray().Single()!;
        Assert.Equal((3, "phone"), (error["row"]!.GetValue<int>(), error["column"]!.GetValue<string>()));
        var j2 = await app.WithDbAsync(db => db.Cases.SingleAsync(c => c.ExternalRef == "J-2"));
        Assert.Equal((Channel.LivelihoodPlatform, Urgency.Urgent), (j2.Channel, j2.Urgency));
        // Imported cases are in the full-text index at once (their rows written in the chunk's transaction).
        Assert.Equal([j2.Id], (await _town.ListAsync("q=" + Uri.EscapeDataString("垃圾没人收"))).ItemIds());
        Assert.Contains(j2.Id, (await _town.ListAsync("q=J-2")).ItemIds());

        using var repeat = await _town.PostAsJsonAsync($"/api/v1/imports/{source}", batch.Take(2));
        var repeated = await repeat.ReadJsonAsync();
        Assert.Equal((0, 2), (repeated.Int("created"), repeated.Int("duplicates")));

        (await (await _town.PostAsJsonAsync($"/api/v1/imports/{source}", new { reference = "x" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))
            .Errors().ContainsKey("body").AssertTrue();
        (await (await _town.PostAsJsonAsync($"/api/v1/imports/{source}", Array.Empty<object>())).AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))
            .Errors().ContainsKey("body").AssertTrue();
        (await (await _town.PostAsJsonAsync($"/api/v1/imports/{source}", new object[] { 1 })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))
            .Errors().ContainsKey("rows[0]").AssertTrue();
        (await (await _town.PostAsJsonAsync($"/api/v1/imports/{source}", new object[] { new { reference = "J-9", village = new[] { 1 } } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("rows[0].village").AssertTrue();
        var missing = await (await _town.PostAsJsonAsync($"/api/v1/imports/{source}", new object[] { new { title = "只有标题" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(missing.Errors().ContainsKey("rows[].reference") && missing.Errors().ContainsKey("rows[].description"), missing.ToJsonString());
        using var broken = new StringContent("[{\"reference\":", System.Text.Encoding.UTF8, "application/json");
        await (await _town.PostAsync($"/api/v1/imports/{source}", broken)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await _town.PostAsJsonAsync("/api/v1/imports/999999", batch)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        // Nothing of the refused bodies was stored.
        Assert.Equal(2, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("J-"))));
    }

    [Fact]
    public async Task JsonBatch_LargerThanTheOrdinaryBodyLimit_IsTaken_UpToImportsMaxBytes()
    {
        var source = await _town.CreateSourceAsync("民生平台接口-大", "LivelihoodPlatform");
        // ~600 KB: over Limits:MaxBodyBytes (256 KB), which every other JSON endpoint keeps.
        var rows = Enumerable.Range(1, 1500).Select(i => new { reference = $"JB-{i}", description = new string('路', 120) + i, village = "SCH-MJC" }).ToArray();
        using var response = await _town.PostAsJsonAsync($"/api/v1/imports/{source}", rows);
        var result = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {result}");
        Assert.Equal(1500, result.Int("created"));
        // The same body to an endpoint without the import's limit is refused at the door.
        using var body = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var elsewhere = await _town.PostAsync("/api/v1/saved-views", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, elsewhere.StatusCode);
    }

    [Fact]
    public async Task MappingForm_ARequiredFieldLeftOut_IsRefusedNextToIt_WithTheSheetKept_ThenConfirmed()
    {
        var source = await _town.CreateSourceAsync("县信访局-页面", "Petition");
        var id = source.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(id), "Source" },
            { new ByteArrayContent(Xlsx(Headers12345, Row("P-1"))), "file", "信访.xlsx" },
        };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/imports?handler=Upload") { Content = form };
        upload.Headers.Accept.ParseAdd("text/html");
        var html = await (await _town.SendAsync(upload)).Content.ReadAsStringAsync();
        var token = Regex.Match(html, "name=\"Token\" value=\"([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEmpty(token);

        string[] keep = ["description", "village"];
        using var refused = await _town.PostFormAsync("/imports?handler=Confirm",
            [("Source", id), ("Token", token), ("FileName", "信访.xlsx"), .. Mapping12345.Where(m => keep.Contains(m.Key)).Select(m => ($"Mapping[{m.Key}]", m.Value))]);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"map-reference-error\"", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{token}\"", page, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef == "P-1")));

        (string, string)[] all = [("Source", id), ("Token", token), ("FileName", "信访.xlsx"), .. Mapping12345.Select(m => ($"Mapping[{m.Key}]", m.Value))];
        using var confirmed = await _town.PostFormAsync("/imports?handler=Confirm", all);
        Assert.Equal(HttpStatusCode.Found, confirmed.StatusCode);
        Assert.Equal(Channel.Petition, await app.WithDbAsync(db => db.Cases.Where(c => c.ExternalRef == "P-1").Select(c => c.Channel).SingleAsync()));
        // The waiting sheet is gone: the same token imports nothing again.
        using var again = await _town.PostFormAsync("/imports?handler=Confirm", all);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task BadFiles_AreTheFilesFieldErrors_AndStoreNothing()
    {
        var source = await _town.CreateSourceAsync("县12345转办-坏", "HigherLevel", Mapping12345);
        var before = await app.WithDbAsync(db => db.ImportRuns.CountAsync());
        foreach (var (bytes, name) in new[]
        {
            ("PK\u0003\u0004garbage"u8.ToArray(), "坏.xlsx"),
            (new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, "旧.xls"),
            (System.Text.Encoding.UTF8.GetBytes("工单编号,诉求内容\r\n"), "空.csv"),
            (System.Text.Encoding.UTF8.GetBytes("工单编号,诉求内容\r\n\"A-1,没有闭合\r\n"), "引号.csv"),
        })
        {
            using var response = await _town.UploadAsync(source, bytes, name);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey("file"), name + ": " + problem.ToJsonString());
        }
        // A sheet whose headers the saved mapping does not fit is not imported through the API: the page confirms first.
        using var unmapped = await _town.UploadAsync(source, System.Text.Encoding.UTF8.GetBytes("编号X,内容X\r\n1,2\r\n"), "别的.csv");
        Assert.True((await unmapped.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("file"));
        Assert.Equal(before, await app.WithDbAsync(db => db.ImportRuns.CountAsync()));
    }

    [Fact]
    public async Task Scope_VillageCadresOperatorsAndAnotherTownsStaff_AreRefused()
    {
        var source = await _town.CreateSourceAsync("县信访局-范围", "Petition", Mapping12345);
        var sheet = Xlsx(Headers12345, Row("S-1"));
        foreach (var who in new[] { "cadre", "operator", "leader", "admin-sch" })
        {
            var client = app.SharedClientAs(who);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/import-sources")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.UploadAsync(source, sheet, "s.xlsx")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/imports/{source}", new[] { new { reference = "S-2" } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetHtmlAsync("/imports")).Status);
        }
        var (other, _, _) = await SecondTownClerkAsync();
        Assert.Empty((await other.GetFromJsonAsync<JsonArray>("/api/v1/import-sources"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/import-sources/{source}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.UploadAsync(source, sheet, "s.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/imports/{source}", new[] { new { reference = "S-3" } })).StatusCode);
        Assert.DoesNotContain((await other.GetFromJsonAsync<JsonArray>("/api/v1/import-runs"))!, r => r!["sourceId"]!.GetValue<long>() == source);
        Assert.Equal(0, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("S-"))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/v1/import-sources")).StatusCode);

        // The town's staff see the menu entry; a village cadre does not.
        Assert.Contains("href=\"/imports\"", (await _town.GetHtmlAsync("/imports")).Html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/imports\"", (await app.SharedClientAs("cadre").GetHtmlAsync("/cases")).Html, StringComparison.Ordinal);
    }

    private async Task<(HttpClient Client, string Town, string Village)> SecondTownClerkAsync()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "T" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "河口镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "马家村", kind = "Village", parent = town })).StatusCode);
        var userName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "河口镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = town } },
        })).StatusCode);
        return (await app.SignInClientAsync(userName, TaizhangApp.Password), town, village);
    }

    [Fact]
    public async Task TenThousandRows_AreImported_AndUploadedAgain_AreAllDuplicates()
    {
        var source = await _town.CreateSourceAsync("县12345转办-万", "HigherLevel", Mapping12345);
        var villages = new[] { "马家村", "王家村", "张家村", "李家村", "河沟村" };
        var rows = Enumerable.Range(1, 10_000).Select(i => new[]
        {
            $"W-{i:D6}", "路灯不亮", $"第 {i} 号工单：村口路灯不亮，晚上出行不便。", villages[i % villages.Length], i % 3 == 0 ? "道路交通" : "",
            "王五", "138" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), "村口", i % 7 == 0 ? "紧急" : "一般", "2026-11-20", "",
        });
        var file = System.Text.Encoding.UTF8.GetBytes(Csv(Headers12345, rows));

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await _town.ImportAsync(source, file, "一万行.csv");
        var first = clock.Elapsed;
        process.Refresh();
        var firstCpu = process.TotalProcessorTime - cpu;
        Assert.Equal((10_000, 10_000, 0, 0), (result.Int("rows"), result.Int("created"), result.Int("duplicates"), result.Int("invalid")));
        Assert.Equal(10_000, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("W-") && c.Channel == Channel.HigherLevel)));
        Assert.Equal(10_000, await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => db.Cases.Any(c => c.Id == e.CaseId && c.ExternalRef!.StartsWith("W-")))));
        Assert.Equal(10_000, await app.WithDbAsync(db => db.CaseReporters.CountAsync(r => db.Cases.Any(c => c.Id == r.CaseId && c.ExternalRef!.StartsWith("W-")))));
        Assert.Equal(1428, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.ExternalRef!.StartsWith("W-") && c.Urgency == Urgency.Urgent)));

        clock.Restart();
        var again = await _town.ImportAsync(source, file, "一万行.csv");
        var second = clock.Elapsed;
        Assert.Equal((0, 10_000), (again.Int("created"), again.Int("duplicates")));
        output.WriteLine($"BENCH {app.Provider}: 10,000 rows imported in {first.TotalSeconds:F2} s ({firstCpu.TotalSeconds:F2} s CPU of the test process, app and client); the same file again (all duplicates) in {second.TotalSeconds:F2} s");
    }
}

internal static class AssertExtensions
{
    public static void AssertTrue(this bool value) => Assert.True(value);
}

public sealed class ImportTests_Sqlite(ImportSqliteApp app, ITestOutputHelper output) : ImportTests(app, app.Hooks, output), IClassFixture<ImportSqliteApp>;

public sealed class ImportTests_Postgres(ImportPostgresApp app, ITestOutputHelper output) : ImportTests(app, app.Hooks, output), IClassFixture<ImportPostgresApp>;
