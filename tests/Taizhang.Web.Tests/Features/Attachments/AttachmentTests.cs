using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Attachments;

/// <summary>
/// Attachments over the API: the type is the content's, images lose every piece of metadata and get
/// a thumbnail, refused files leave nothing behind, downloads are for whoever sees the case and can
/// run nothing, adding is an event, and verify finds a file that went missing or changed.
/// </summary>
public abstract class AttachmentTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, long id, byte[] bytes, string name, string? kind = null,
        string claimedType = "application/octet-stream")
    {
        var body = kind is null
            ? TestFiles.Multipart(bytes, name, claimedType: claimedType)
            : TestFiles.Multipart(bytes, name, "file", claimedType, ("kind", kind));
        return client.PostAsync($"/api/v1/cases/{id}/attachments", body);
    }

    public static async Task<JsonObject> AddAsync(HttpClient client, long id, byte[] bytes, string name, string? kind = null)
    {
        using var response = await UploadAsync(client, id, bytes, name, kind);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        Assert.Equal(json["url"]!.GetValue<string>(), response.Headers.Location?.ToString());
        return json;
    }

    /// <summary>Every file under the app's attachment folder (the tmp folder too): what "nothing left behind" counts.</summary>
    public static string[] StoredFiles(TaizhangApp app) => Directory.Exists(app.AttachmentsDirectory)
        ? Directory.EnumerateFiles(app.AttachmentsDirectory, "*", SearchOption.AllDirectories).Order().ToArray()
        : [];

    public static Task<int> RowsAsync(TaizhangApp app, long id) => app.WithDbAsync(db => db.CaseAttachments.CountAsync(a => a.CaseId == id));

    [Fact]
    public async Task APngNamedPdf_IsStoredAsPng_UnderItsHash_AndDownloadsAsAFileThatCanRunNothing()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：以内容定类型"));
        var png = TestFiles.Png(40, 30);

        var added = await AddAsync(_town, id, png, "扫描件.pdf");

        Assert.Equal("image/png", added["contentType"]!.GetValue<string>());
        Assert.Equal("扫描件.png", added["fileName"]!.GetValue<string>());
        Assert.Equal("Registration", added["kind"]!.GetValue<string>());
        Assert.Equal((40, 30), (added["width"]!.GetValue<int>(), added["height"]!.GetValue<int>()));
        Assert.Equal("镇办受理员", added["addedBy"]!.GetValue<string>());
        var row = await app.WithDbAsync(db => db.CaseAttachments.SingleAsync(a => a.CaseId == id));
        // Named by its content's hash, in folders of its first digits, in the folder beside the database (or the one configured).
        Assert.True(File.Exists(Path.Combine(app.AttachmentsDirectory, row.Sha256[..2], row.Sha256[2..4], row.Sha256)));

        using var download = await _town.GetAsync(added["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"___.png\"; filename*=UTF-8''%E6%89%AB%E6%8F%8F%E4%BB%B6.png",
            download.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("default-src 'none'; sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.IsType<PngFormat>(Image.DetectFormat(bytes));
        Assert.Equal(row.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

        // The same through the case page's link (a browser gets the same headers).
        using var viaPage = await _town.GetAsync($"/cases/{id}/attachments/{added["id"]}");
        Assert.Equal(HttpStatusCode.OK, viaPage.StatusCode);
        Assert.Equal(bytes, await viaPage.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("attachment;", viaPage.Content.Headers.GetValues("Content-Disposition").Single());

        // The list says the same.
        using var list = await _town.GetAsync($"/api/v1/cases/{id}/attachments");
        var items = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(added["id"]!.GetValue<long>(), Assert.Single(items)!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task AProgramOrAPageNamedJpg_AndOtherFilesThatAreNotAccepted_AreRefused_AndNothingIsStored()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：伪装的文件"));
        var before = StoredFiles(app);
        foreach (var (bytes, name, message) in new (byte[], string, string)[]
        {
            (TestFiles.Exe(), "照片.jpg", "只能上传"),
            (TestFiles.Html(), "照片.jpg", "只能上传"),
            (TestFiles.Zip(), "资料.docx", "只能上传"),
            (TestFiles.Ole2(), "旧表格.xls", "旧版 Office"),
            (TestFiles.Docx(macros: true), "宏.docm", "含宏"),
            (TestFiles.Docx(macros: true), "宏.docx", "含宏"),
            ([], "空.jpg", "空"),
        })
        {
            using var response = await UploadAsync(_town, id, bytes, name, claimedType: "image/jpeg");
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains(message, problem.Errors()["file"]![0]!.GetValue<string>());
        }
        Assert.Equal(0, await RowsAsync(app, id));
        Assert.Equal(before, StoredFiles(app));
        Assert.DoesNotContain("AddAttachment", (await _town.GetCaseAsync(id)).EventActions());
    }

    [Fact]
    public async Task APhoneCameraPhoto_IsStoredWithoutItsGpsOrAnyOtherMetadata_TurnedUpright_WithAThumbnail()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：带位置信息的照片"));
        // Orientation 6: the camera was turned; the stored pixels are turned upright, and the tag goes with the rest.
        var photo = TestFiles.JpegWithGps(64, 40, orientation: 6);

        var added = await AddAsync(_town, id, photo, "IMG_0001.JPG");

        Assert.Equal("image/jpeg", added["contentType"]!.GetValue<string>());
        Assert.Equal("IMG_0001.jpg", added["fileName"]!.GetValue<string>());
        Assert.Equal((40, 64), (added["width"]!.GetValue<int>(), added["height"]!.GetValue<int>()));
        using var download = await _town.GetAsync(added["url"]!.GetValue<string>());
        var stored = await download.Content.ReadAsByteArrayAsync();
        Assert.NotEqual(photo, stored);
        var info = Image.Identify(stored, out var format)!;
        Assert.IsType<JpegFormat>(format);
        Assert.Equal((40, 64), (info.Width, info.Height));
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Null(info.Metadata.XmpProfile);
        Assert.Null(info.Metadata.IptcProfile);
        Assert.Null(info.Metadata.IccProfile);
        using (var decoded = Image.Load(stored))
        {
            Assert.Null(decoded.Metadata.ExifProfile?.GetValue(ExifTag.GPSLatitude));
            Assert.Null(decoded.Frames.RootFrame.Metadata.ExifProfile);
        }
        // Not a byte of the position, the camera or the XMP packet is left anywhere in the file.
        var text = System.Text.Encoding.Latin1.GetString(stored);
        Assert.DoesNotContain("TestPhone", text);
        Assert.DoesNotContain("GPS", text);
        Assert.DoesNotContain("xmpmeta", text);
        Assert.DoesNotContain("Exif", text);

        using var thumbnail = await _town.GetAsync(added["thumbnailUrl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("inline;", thumbnail.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("default-src 'none'; sandbox", thumbnail.Headers.GetValues("Content-Security-Policy").Single());
        var small = Image.Identify(await thumbnail.Content.ReadAsByteArrayAsync())!;
        Assert.Equal((40, 64), (small.Width, small.Height));
        Assert.Null(small.Metadata.ExifProfile);

        // A big one's thumbnail is at most 320 pixels on its longer side.
        var big = await AddAsync(_town, id, TestFiles.JpegWithGps(1000, 500), "大图.jpg");
        using var bigThumbnail = await _town.GetAsync(big["thumbnailUrl"]!.GetValue<string>());
        var bigSmall = Image.Identify(await bigThumbnail.Content.ReadAsByteArrayAsync())!;
        Assert.Equal((320, 160), (bigSmall.Width, bigSmall.Height));
    }

    [Fact]
    public async Task ACorruptImage_IsRefused_AndNothingIsStored()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：损坏的图片"));
        var before = StoredFiles(app);
        var truncated = TestFiles.Png(50, 50)[..60];
        // A photo cut off in transfer: the decoder would fill the missing part grey; it is no record.
        var photo = TestFiles.JpegWithGps(120, 90);
        var cutOffPhoto = photo[..(photo.Length * 2 / 3)];
        var webp = TestFiles.Webp(40, 40);
        var cutOffWebp = webp[..(webp.Length - 8)];
        // Whole, each of them is a photo (on another case: this one must stay without attachments).
        var other = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：完整的图片"));
        Assert.Equal("image/webp", (await AddAsync(_town, other, webp, "整图.webp"))["contentType"]!.GetValue<string>());
        Assert.Equal("image/jpeg", (await AddAsync(_town, other, photo, "整图.jpg"))["contentType"]!.GetValue<string>());
        before = StoredFiles(app);

        foreach (var bytes in new[] { TestFiles.CorruptJpeg(), truncated, cutOffPhoto, cutOffWebp })
        {
            using var response = await UploadAsync(_town, id, bytes, "坏图.jpg", claimedType: "image/jpeg");
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains("图片已损坏", problem.Errors()["file"]![0]!.GetValue<string>());
        }
        // A "PDF" that is a header and nothing else.
        using (var fake = await UploadAsync(_town, id, "%PDF-1.4 fake"u8.ToArray(), "notreally.jpg"))
        {
            var problem = await fake.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains("文件已损坏", problem.Errors()["file"]![0]!.GetValue<string>());
        }
        Assert.Equal(0, await RowsAsync(app, id));
        Assert.Equal(before, StoredFiles(app));
        Assert.Equal(["Register"], (await _town.GetCaseAsync(id)).EventActions());
    }

    [Fact]
    public async Task OfficeDocumentsAndPdf_AreRecognisedByContent_AndStoredAsTheyAre()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：文档"));
        var docx = TestFiles.Docx();
        var word = await AddAsync(_town, id, docx, "会议纪要");
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", word["contentType"]!.GetValue<string>());
        Assert.Equal("会议纪要.docx", word["fileName"]!.GetValue<string>());
        Assert.Null(word["thumbnailUrl"]);
        using var download = await _town.GetAsync(word["url"]!.GetValue<string>());
        Assert.Equal(docx, await download.Content.ReadAsByteArrayAsync());

        var pdf = await AddAsync(_town, id, TestFiles.Pdf(), "..\\..\\windows\\整改\u202Egpj.exe");
        Assert.Equal("application/pdf", pdf["contentType"]!.GetValue<string>());
        // The path, the bidirectional override and the wrong extension are gone.
        Assert.Equal("整改gpj.pdf", pdf["fileName"]!.GetValue<string>());
        using var noThumbnail = await _town.GetAsync(pdf["url"]!.GetValue<string>() + "?thumbnail=true");
        await noThumbnail.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task TheSamePhotoTwice_IsTwoAttachments_OfOneStoredFile()
    {
        var first = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：同一张照片 1"));
        var second = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：同一张照片 2"));
        var photo = TestFiles.Png(33, 17);
        var a = await AddAsync(_town, first, photo, "a.png");
        var b = await AddAsync(_town, second, photo, "b.png");
        Assert.NotEqual(a["id"]!.GetValue<long>(), b["id"]!.GetValue<long>());
        var hashes = await app.WithDbAsync(db => db.CaseAttachments.Where(x => x.CaseId == first || x.CaseId == second).Select(x => x.Sha256).Distinct().ToListAsync());
        var sha = Assert.Single(hashes);
        Assert.Single(StoredFiles(app), f => Path.GetFileName(f) == sha);
    }

    [Fact]
    public async Task Downloads_AreForWhoeverSeesTheCase_OthersGet404()
    {
        // A case of 马家村, handled by the judicial office.
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：调解材料", orgUnit: "SCH-MJC"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        var added = await AddAsync(_town, id, TestFiles.Png(10, 10), "调解笔录.png");
        var url = added["url"]!.GetValue<string>();
        var other = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：别的村的事", orgUnit: "SCH-MJC"));
        var otherAdded = await AddAsync(_town, other, TestFiles.Png(11, 11), "别的.png");

        foreach (var (who, sees) in new[] { ("cadre", true), ("agency", true), ("leader", true), ("member", true), ("cadre-wjc", false), ("police", false) })
        {
            var client = app.SharedClientAs(who);
            foreach (var path in new[] { url, url + "?thumbnail=true", $"/api/v1/cases/{id}/attachments" })
            {
                using var response = await client.GetAsync(path);
                if (sees)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} {path}: {response.StatusCode}");
                }
                else
                {
                    await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
                }
            }
        }
        // The judicial office reaches only the cases given to it: the other one does not exist for it.
        using var notGiven = await app.SharedClientAs("agency").GetAsync(otherAdded["url"]!.GetValue<string>());
        await notGiven.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        // An attachment id under another case's id is no attachment of that case.
        using var crossed = await _town.GetAsync($"/api/v1/cases/{other}/attachments/{added["id"]}");
        await crossed.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        // Anonymous: not signed in.
        using var anonymous = await app.AnonymousClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task AddingIsAnEventOnTheTimeline_SealedInTheChain_WithTheFilesHash()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：事件"));
        var added = await AddAsync(_town, id, TestFiles.Png(12, 12), "照片.png");
        var c = await _town.GetCaseAsync(id);
        var e = c.LastEvent();
        Assert.Equal("AddAttachment", e["action"]!.GetValue<string>());
        Assert.Equal("镇办受理员", e["actor"]!["name"]!.GetValue<string>());
        Assert.Equal("Registered", e["toStatus"]!.GetValue<string>());
        var sha = await app.WithDbAsync(db => db.CaseAttachments.Where(a => a.Id == added["id"]!.GetValue<long>()).Select(a => a.Sha256).SingleAsync());
        Assert.Equal(sha, e["payload"]!["sha256"]!.GetValue<string>());
        Assert.Equal("照片.png", e["payload"]!["fileName"]!.GetValue<string>());
        Assert.Equal("Registered", c.Status());

        var check = await app.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, id, CancellationToken.None, attachments: Store()));
        Assert.True(check.Intact, check.FirstBroken?.Problem ?? check.FirstBrokenAttachment?.Problem);
        Assert.Equal(1, check.AttachmentsChecked);
    }

    [Fact]
    public async Task WhoMayAdd_TheOfficeAndTheHandlers_AndTheRegistrarUntilTriage()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：谁可以添加", orgUnit: "SCH-MJC"));
        var png = TestFiles.Png(9, 9);
        foreach (var who in new[] { "leader", "member", "operator" })
        {
            using var refused = await UploadAsync(app.SharedClientAs(who), id, png, "x.png");
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using (var otherVillage = await UploadAsync(app.SharedClientAs("cadre-wjc"), id, png, "x.png"))
        {
            await otherVillage.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        await AddAsync(app.SharedClientAs("cadre"), id, png, "村里拍的.png");
        Assert.Equal(1, await RowsAsync(app, id));

        // The operator who took the call may add the caller's photo until the office triages the case.
        var operatorClient = app.SharedClientAs("operator");
        var own = await operatorClient.RegisterIdAsync(CaseApi.NewCase(title: "附件：接线员登记的", orgUnit: "SCH-MJC"));
        Assert.Contains("AddAttachment", (await operatorClient.GetCaseAsync(own))["availableActions"]!.ToJsonString());
        var registration = await AddAsync(operatorClient, own, png, "来电人发来的.png");
        Assert.Equal("Registration", registration["kind"]!.GetValue<string>());
        await _town.DoAsync(own, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        Assert.DoesNotContain("AddAttachment", (await operatorClient.GetCaseAsync(own))["availableActions"]!.ToJsonString());
        using var late = await UploadAsync(operatorClient, own, png, "晚了.png");
        await late.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        // The handling unit adds while it works; the kind follows the state.
        var handling = await AddAsync(app.SharedClientAs("agency"), own, png, "调解现场.png");
        Assert.Equal("Handling", handling["kind"]!.GetValue<string>());
        Assert.Equal(2, await RowsAsync(app, own));

        // An integration forwards its ticket's photo with its Bearer token, to its own case only.
        var (platform, _) = await app.IntegrationAsync();
        var forwarded = await platform.RegisterIdAsync(CaseApi.NewCase(title: "附件：平台转来的", orgUnit: "SCH-MJC", channel: "LivelihoodPlatform"));
        Assert.Equal("Registration", (await AddAsync(platform, forwarded, png, "平台附件.png"))["kind"]!.GetValue<string>());
        using var notItsOwn = await UploadAsync(platform, id, png, "x.png");
        await notItsOwn.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task BadRequests_NameTheirField_AndStoreNothing()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：错误的请求"));
        var before = StoredFiles(app);
        var png = TestFiles.Png(9, 9);

        using (var evidenceTooEarly = await UploadAsync(_town, id, png, "x.png", kind: "Evidence"))
        {
            var problem = await evidenceTooEarly.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains("办结佐证", problem.Errors()["kind"]![0]!.GetValue<string>());
        }
        using (var unknownKind = await UploadAsync(_town, id, png, "x.png", kind: "Selfie"))
        {
            Assert.True((await unknownKind.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("kind"));
        }
        using (var json = await _town.PostAsync($"/api/v1/cases/{id}/attachments", System.Net.Http.Json.JsonContent.Create(new { file = "x" })))
        {
            Assert.True((await json.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("file"));
        }
        using (var noFile = await _town.PostAsync($"/api/v1/cases/{id}/attachments", TestFiles.Multipart(png, "x.png", field: "photo")))
        {
            var problem = await noFile.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains("请选择", problem.Errors()["file"]![0]!.GetValue<string>());
        }
        var two = TestFiles.Multipart(png, "a.png");
        two.Add(new ByteArrayContent(png), "file", "b.png");
        using (var twoFiles = await _town.PostAsync($"/api/v1/cases/{id}/attachments", two))
        {
            Assert.True((await twoFiles.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("file"));
        }
        Assert.Equal(0, await RowsAsync(app, id));
        Assert.Equal(before, StoredFiles(app));
        Assert.Equal(["Register"], (await _town.GetCaseAsync(id)).EventActions());

        // A closed case takes none.
        await _town.DoAsync(id, "reject", new { reason = "不属于受理范围" });
        using var closed = await UploadAsync(_town, id, png, "x.png");
        await closed.AssertProblemAsync(HttpStatusCode.Conflict, "illegal-transition");
        Assert.Equal(before, StoredFiles(app));
    }

    [Fact]
    public async Task Verify_FindsADeletedFile_AndAnAlteredFile()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：被删改的文件"));
        var added = await AddAsync(_town, id, TestFiles.Docx(), "台账.docx");
        var sha = await app.WithDbAsync(db => db.CaseAttachments.Where(a => a.Id == added["id"]!.GetValue<long>()).Select(a => a.Sha256).SingleAsync());
        var path = Path.Combine(app.AttachmentsDirectory, sha[..2], sha[2..4], sha);
        var original = await File.ReadAllBytesAsync(path);
        var admin = app.SharedClientAs("admin-county");
        try
        {
            Assert.Equal(0, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", id.ToString()], new StringWriter()));

            File.Delete(path);
            var output = new StringWriter();
            Assert.Equal(1, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", id.ToString()], output));
            Assert.Contains($"case {id}, attachment {added["id"]}: the file is missing", output.ToString());
            var json = await (await admin.GetAsync($"/api/v1/admin/verify?caseId={id}")).ReadJsonAsync();
            Assert.False(json["intact"]!.GetValue<bool>());
            Assert.Equal(1, json["brokenAttachments"]!.GetValue<int>());
            Assert.Contains("missing", json["firstBrokenAttachment"]!["problem"]!.GetValue<string>());
            // The administrator's page says so too, with how many attachments it read.
            using var page = await admin.PostFormAsync("/admin/verify");
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("data-intact=\"false\"", html);
            Assert.Contains("id=\"broken-attachments\"", html);
            Assert.Matches("id=\"attachments-checked\">[1-9]", html);
            // The download says it is not there (and the log says why), it does not fail.
            using var gone = await _town.GetAsync(added["url"]!.GetValue<string>());
            await gone.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

            var altered = original.ToArray();
            altered[^10] ^= 0x55;
            await File.WriteAllBytesAsync(path, altered);
            output = new StringWriter();
            Assert.Equal(1, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", id.ToString()], output));
            Assert.Contains("the file was altered", output.ToString());
        }
        finally
        {
            await File.WriteAllBytesAsync(path, original);
        }
        Assert.Equal(0, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", id.ToString()], new StringWriter()));
    }

    private Taizhang.Web.Infrastructure.AttachmentStore Store() =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Taizhang.Web.Infrastructure.AttachmentStore>(app.Services);
}

public sealed class AttachmentTests_Sqlite(SqliteApp app) : AttachmentTests(app), IClassFixture<SqliteApp>;

public sealed class AttachmentTests_Postgres(PostgresApp app) : AttachmentTests(app), IClassFixture<PostgresApp>;
