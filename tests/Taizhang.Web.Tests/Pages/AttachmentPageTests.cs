using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SixLabors.ImageSharp;
using Taizhang.Web.Tests.Features.Attachments;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// Attachments on the case page, as a browser without JavaScript sends them (multipart forms): the
/// list with thumbnails, the upload form, its refusals next to the field, and 办结佐证 sent with the
/// resolution in one submit — both saved or neither.
/// </summary>
public abstract partial class AttachmentPageTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, MultipartFormDataContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }

    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    [Fact]
    public async Task UploadingOnThePage_ListsTheFileWithThumbnailTypeSizeWhoAndWhen_AndTheTimelineSaysSo()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件页面：上传"));
        var (_, form) = await _town.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("enctype=\"multipart/form-data\"", form);
        Assert.Contains($"action=\"/cases/{id}?handler=AddAttachment\"", form);
        Assert.Contains("name=\"AddAttachment.File\"", form);
        Assert.Contains("暂无附件", Decode(form));

        using var response = await PostAsync(_town, $"/cases/{id}?handler=AddAttachment",
            TestFiles.Multipart(TestFiles.JpegWithGps(120, 90), "现场 照片.jpg", field: "AddAttachment.File"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/cases/{id}#attachments", response.Headers.Location?.OriginalString);

        var html = Decode((await _town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains("已添加附件 现场 照片.jpg。", html);
        var attachmentId = await app.WithDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == id).Select(a => a.Id).SingleAsync());
        Assert.Contains($"<img src=\"/cases/{id}/attachments/{attachmentId}?thumbnail=true\" alt=\"现场 照片.jpg 的缩略图\"", html);
        Assert.Contains($"<a class=\"file-name\" href=\"/cases/{id}/attachments/{attachmentId}\" download>现场 照片.jpg</a>", html);
        Assert.Matches("图片 JPEG · \\d+ KB · 登记材料", html);
        Assert.Contains("镇办受理员 · 2026-11-26 10:00", html);
        Assert.Contains("镇办受理员</span> <span class=\"what\">添加了附件 现场 照片.jpg（登记材料）</span>", html);
        Assert.DoesNotContain("暂无附件", html);

        // The thumbnail the page shows is served to the page's reader.
        using var thumbnail = await _town.GetAsync($"/cases/{id}/attachments/{attachmentId}?thumbnail=true");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ARefusedFile_IsSaidNextToTheField_AndNothingIsStored()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件页面：拒收"));
        var before = AttachmentTests.StoredFiles(app);

        using var response = await PostAsync(_town, $"/cases/{id}?handler=AddAttachment",
            TestFiles.Multipart(TestFiles.Html(), "照片.jpg", field: "AddAttachment.File", claimedType: "image/jpeg"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = Decode(await response.Content.ReadAsStringAsync());
        Assert.Matches("<input type=\"file\" id=\"AddAttachment_File\" name=\"AddAttachment.File\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"AddAttachment_File-error attach-hint\"", html);
        Assert.Contains("<span class=\"field-error\" id=\"AddAttachment_File-error\">不支持这种文件。", html);
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
        Assert.Equal(before, AttachmentTests.StoredFiles(app));

        // No file chosen: the browser sends an empty part without a name.
        using var empty = await PostAsync(_town, $"/cases/{id}?handler=AddAttachment", TestFiles.Multipart([], "", field: "AddAttachment.File"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("id=\"AddAttachment_File-error\">请选择要上传的文件。", Decode(await empty.Content.ReadAsStringAsync()));
        // A kind that does not fit the state: next to the kind.
        using var kind = await PostAsync(_town, $"/cases/{id}?handler=AddAttachment",
            TestFiles.Multipart(TestFiles.Png(5, 5), "a.png", "AddAttachment.File", "image/png", ("AddAttachment.Kind", "Evidence")));
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Contains("id=\"AddAttachment_Kind-error\">事项当前为「已登记」", Decode(await kind.Content.ReadAsStringAsync()));
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
    }

    [Fact]
    public async Task ResolvingWithEvidence_SavesBoth_AndThePhotoShowsWithoutItsGps()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件页面：办结佐证", orgUnit: "SCH-MJC"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var cadre = app.SharedClientAs("cadre");
        var (_, page) = await cadre.GetHtmlAsync($"/cases/{id}");
        var resolveForm = Regex.Match(page, $"<form [^>]*action=\"/cases/{id}\\?handler=Resolve\"[^>]*>");
        Assert.True(resolveForm.Success, "no resolve form");
        Assert.Contains("enctype=\"multipart/form-data\"", resolveForm.Value);
        Assert.Contains("name=\"Resolve.Evidence\"", page);

        using var response = await PostAsync(cadre, $"/cases/{id}?handler=Resolve", TestFiles.Multipart(TestFiles.JpegWithGps(200, 150), "整改后.jpg",
            "Resolve.Evidence", "image/jpeg", ("Resolve.Outcome", "Solved"), ("Resolve.Result", "路灯已更换，夜间照明恢复。")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Resolved", c.Status());
        Assert.Equal(["Resolve", "AddAttachment"], c.EventActions()[^2..]);
        Assert.Equal("Evidence", c.LastEvent()["payload"]!["kind"]!.GetValue<string>());
        var row = await app.WithDbAsync(db => db.CaseAttachments.SingleAsync(a => a.CaseId == id));
        Assert.Equal("马家村干部", row.AddedByName);
        using var download = await _town.GetAsync($"/cases/{id}/attachments/{row.Id}");
        var info = Image.Identify(await download.Content.ReadAsByteArrayAsync())!;
        Assert.Null(info.Metadata.ExifProfile);
        Assert.Null(info.Metadata.XmpProfile);

        var html = Decode((await _town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains("马家村干部</span> <span class=\"what\">添加了附件 整改后.jpg（办结佐证）</span>", html);
        Assert.Contains("· 办结佐证</span>", html);
    }

    [Fact]
    public async Task ARefusedEvidenceFile_ResolvesNothing_AndARefusedResolution_StoresNoFile()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件页面：办结被拒", orgUnit: "SCH-MJC"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = AttachmentTests.StoredFiles(app);

        using (var badFile = await PostAsync(_town, $"/cases/{id}?handler=Resolve", TestFiles.Multipart(TestFiles.CorruptJpeg(), "整改后.jpg",
            "Resolve.Evidence", "image/jpeg", ("Resolve.Outcome", "Solved"), ("Resolve.Result", "已整改。"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFile.StatusCode);
            var html = Decode(await badFile.Content.ReadAsStringAsync());
            Assert.Contains("<span class=\"field-error\" id=\"Resolve_Evidence-error\">图片已损坏", html);
            // The form stays open with what was typed.
            Assert.Contains("已整改。</textarea>", html);
        }
        Assert.Equal("Assigned", (await _town.GetCaseAsync(id)).Status());

        using (var noResult = await PostAsync(_town, $"/cases/{id}?handler=Resolve", TestFiles.Multipart(TestFiles.JpegWithGps(30, 30), "整改后.jpg",
            "Resolve.Evidence", "image/jpeg", ("Resolve.Outcome", "Solved"), ("Resolve.Result", ""))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noResult.StatusCode);
            Assert.Contains("id=\"Resolve_Result-error\">必填。", Decode(await noResult.Content.ReadAsStringAsync()));
        }
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Assigned", c.Status());
        Assert.DoesNotContain("AddAttachment", c.EventActions());
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
        Assert.Equal(before, AttachmentTests.StoredFiles(app));

        // Without a file the resolve form resolves as before.
        using var plain = await PostAsync(_town, $"/cases/{id}?handler=Resolve",
            TestFiles.Multipart([], "", "Resolve.Evidence", "application/octet-stream", ("Resolve.Outcome", "Explained"), ("Resolve.Result", "已解释说明。")));
        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        Assert.Equal("Resolved", (await _town.GetCaseAsync(id)).Status());
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
    }

    [Fact]
    public async Task TheListIsForEveryReader_TheUploadFormOnlyForThoseWhoMayAdd()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件页面：谁能看到", orgUnit: "SCH-MJC"));
        await AttachmentTests.AddAsync(_town, id, TestFiles.Pdf(), "说明 13912345678.pdf");

        var leader = Decode((await app.SharedClientAs("leader").GetHtmlAsync($"/cases/{id}")).Html);
        // Phone numbers in file names are masked, as everywhere in free text.
        Assert.Contains(">说明 139****5678.pdf</a>", leader);
        Assert.DoesNotContain("13912345678", leader);
        Assert.DoesNotContain("handler=AddAttachment", leader);
        Assert.Contains("handler=AddAttachment", (await _town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains("handler=AddAttachment", (await app.SharedClientAs("cadre").GetHtmlAsync($"/cases/{id}")).Html);

        // Someone outside the case: neither the page nor the file.
        var (status, _) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var attachmentId = await app.WithDbAsync(db => db.CaseAttachments.Where(a => a.CaseId == id).Select(a => a.Id).SingleAsync());
        var (fileStatus, errorPage) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync($"/cases/{id}/attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.NotFound, fileStatus);
        Assert.Contains("<!DOCTYPE html>", errorPage);

        // A leader posting the form anyway is refused.
        using var refused = await PostAsync(app.SharedClientAs("leader"), $"/cases/{id}?handler=AddAttachment",
            TestFiles.Multipart(TestFiles.Png(5, 5), "a.png", field: "AddAttachment.File"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await AttachmentTests.RowsAsync(app, id));
    }
}

public sealed class AttachmentPageTests_Sqlite(SqliteApp app) : AttachmentPageTests(app), IClassFixture<SqliteApp>;

public sealed class AttachmentPageTests_Postgres(PostgresApp app) : AttachmentPageTests(app), IClassFixture<PostgresApp>;
