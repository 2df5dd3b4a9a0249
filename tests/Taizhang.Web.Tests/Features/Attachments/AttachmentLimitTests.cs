using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Attachments;

/// <summary>
/// The size limit is a setting (here 64 KB: Attachments:MaxBytes), a file over it is refused naming
/// the limit and stores nothing, and only the upload endpoints take bodies over Limits:MaxBodyBytes.
/// </summary>
public abstract class AttachmentLimitTests(TaizhangApp app)
{
    public const int MaxBytes = 64 * 1024;

    private readonly HttpClient _town = app.SharedClientAs("town");

    private static byte[] Noise(int size) => Enumerable.Range(0, size).Select(i => (byte)(i * 31 % 256)).ToArray();

    [Fact]
    public async Task AFileOverTheConfiguredLimit_IsRefusedOnItsField_NamingTheLimit_AndNothingIsStored()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：超过大小"));
        var before = AttachmentTests.StoredFiles(app);

        using var response = await AttachmentTests.UploadAsync(_town, id, [.. TestFiles.Png(4, 4), .. Noise(MaxBytes)], "大文件.png");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal("文件太大：每个附件最多 0.06 MB。", problem.Errors()["file"]![0]!.GetValue<string>());
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
        Assert.Equal(before, AttachmentTests.StoredFiles(app));
        // Under the limit is taken.
        await AttachmentTests.AddAsync(_town, id, TestFiles.Png(40, 40), "小文件.png");
    }

    [Fact]
    public async Task ABodyFarOverTheLimit_IsRefusedBeforeItIsRead_413_StillNamingTheFile()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：远超大小"));
        var before = AttachmentTests.StoredFiles(app);

        using var response = await AttachmentTests.UploadAsync(_town, id, Noise(1024 * 1024), "视频.mp4");

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Contains("0.06 MB", problem.Errors()["file"]![0]!.GetValue<string>());
        Assert.Equal(before, AttachmentTests.StoredFiles(app));

        // The page's browser gets a page saying so.
        var page = TestFiles.Multipart(Noise(1024 * 1024), "视频.mp4", field: "AddAttachment.File");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cases/{id}?handler=AddAttachment") { Content = page };
        request.Headers.Accept.ParseAdd("text/html");
        using var html = await _town.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, html.StatusCode);
        Assert.Contains("文件太大：每个附件最多 0.06 MB。", WebUtility.HtmlDecode(await html.Content.ReadAsStringAsync()));
        Assert.Equal(0, await AttachmentTests.RowsAsync(app, id));
    }

    /// <summary>300 KB is over Limits:MaxBodyBytes (256 KB): refused everywhere but where a file is uploaded.</summary>
    [Fact]
    public async Task OnlyTheUploadEndpoints_TakeBodiesOverTheGeneralLimit()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "附件：请求大小"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var big = new string('长', 100_000);

        using (var json = await _town.PostAsync($"/api/v1/cases/{id}/resolve", new StringContent($"{{\"outcome\":\"Solved\",\"result\":\"{big}\"}}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
        }
        using (var upload = await AttachmentTests.UploadAsync(_town, id, Noise(300 * 1024), "x.png"))
        {
            // Read, and refused for what it is, not for its size on the wire.
            Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        }
        // An integration signs in with its token: its upload is let in at the door the same way.
        var (platform, _) = await app.IntegrationAsync();
        var forwarded = await platform.RegisterIdAsync(CaseApi.NewCase(title: "附件：平台的大文件", channel: "LivelihoodPlatform"));
        using (var upload = await AttachmentTests.UploadAsync(platform, forwarded, Noise(300 * 1024), "x.png"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        }
        // Nobody signed in: refused at the door.
        using (var anonymous = await AttachmentTests.UploadAsync(app.AnonymousClient(), forwarded, Noise(300 * 1024), "x.png"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, anonymous.StatusCode);
        }
        // Only a multipart post (a file) to the upload handlers may be large; a large form of plain fields is refused there too.
        foreach (var (handler, expected) in new[] { ("Return", HttpStatusCode.RequestEntityTooLarge), ("AddReporter", HttpStatusCode.RequestEntityTooLarge), ("AddAttachment", HttpStatusCode.RequestEntityTooLarge), ("Resolve", HttpStatusCode.RequestEntityTooLarge) })
        {
            using var response = await _town.PostFormAsync($"/cases/{id}?handler={handler}", ($"{handler}.Reason", new string('x', 300 * 1024)));
            Assert.True(expected == response.StatusCode, $"{handler}: {response.StatusCode}");
        }
        Assert.Equal("Assigned", (await _town.GetCaseAsync(id)).Status());
    }
}

public sealed class SmallUploadsSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Attachments:MaxBytes", AttachmentLimitTests.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class SmallUploadsPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Attachments:MaxBytes", AttachmentLimitTests.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class AttachmentLimitTests_Sqlite(SmallUploadsSqliteApp app) : AttachmentLimitTests(app), IClassFixture<SmallUploadsSqliteApp>;

public sealed class AttachmentLimitTests_Postgres(SmallUploadsPostgresApp app) : AttachmentLimitTests(app), IClassFixture<SmallUploadsPostgresApp>;
