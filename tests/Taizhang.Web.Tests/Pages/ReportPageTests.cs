using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 我要反映 (/report), the residents' public form, as a phone's browser uses it: anonymous, multipart,
/// with the page's antiforgery token, Idempotency-Key and proof-of-work challenge (solved here as the
/// page's script solves it, at a low difficulty set by <see cref="ReportApp"/>).
/// </summary>
public abstract partial class ReportPageTests(TaizhangApp app)
{
    /// <summary>Leading zero bits the tests' challenges ask for: a few hundred hashes.</summary>
    public const int TestBits = 6;

    /// <summary>The public file limit in these tests (small, so that a too-large file is cheap to send).</summary>
    public const long PublicFileBytes = 200_000;

    public static void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Residents:ProofOfWorkBits", TestBits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ReportPerHour", "1000");
        builder.UseSetting("Limits:PublicFileBytes", PublicFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record Form(string Token, string Key, string Challenge, string Html);

    private static async Task<Form> FormAsync(HttpClient client)
    {
        // The town named: another test adds a second town, after which a plain /report asks for the town first.
        var (status, html) = await client.GetHtmlAsync("/report?town=SCH");
        Assert.Equal(HttpStatusCode.OK, status);
        return new Form(Value(html, "__RequestVerificationToken"), Value(html, "key"), Value(html, "challenge"), html);
    }

    private static string Value(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"""name="{name}"[^>]*?value="([^"]*)" """.TrimEnd()).Groups[1].Value);

    private static (string Name, string Value)[] Fields(Form form, string description, string? solution = null,
        params (string Name, string Value)[] extra)
    {
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.Token,
            ["key"] = form.Key,
            ["challenge"] = form.Challenge,
            ["solution"] = solution ?? ProofOfWork.Solve(form.Challenge),
            ["website"] = "",
            ["orgUnit"] = "SCH-MJC",
            ["category"] = "",
            ["description"] = description,
            ["address"] = "马家村二组桥头",
            ["name"] = "",
            ["phone"] = "",
            ["consent"] = "true",
        };
        foreach (var (name, value) in extra)
        {
            fields[name] = value;
        }
        return fields.Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    private static async Task<(HttpResponseMessage Response, string Html)> PostAsync(HttpClient client, (string Name, string Value)[] fields,
        params (string FileName, byte[] Content)[] files)
    {
        var body = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            body.Add(new StringContent(value), name);
        }
        foreach (var (fileName, content) in files)
        {
            body.Add(new ByteArrayContent(content), "files", fileName);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/report") { Content = body };
        request.Headers.Accept.ParseAdd("text/html");
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string Marker() => Guid.NewGuid().ToString("N")[..10];

    private static string? Shown(string html, string id) =>
        Regex.Match(html, $"""<output id="{id}">([^<]*)</output>""") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private Task<int> CasesWithAsync(string marker) => app.WithDbAsync(db => db.Cases.CountAsync(c => c.Description.Contains(marker)));

    [Fact]
    public async Task TheForm_IsInChinese_OffersVillagesByTown_TheWholeTown_TheConsentText_AndAHiddenHoneypot()
    {
        var form = await FormAsync(app.AnonymousClient());
        Assert.Contains("<h1 id=\"report-heading\">我要反映</h1>", form.Html);
        // Named for residents, and the name leads back to the form (not to the staff's sign-in).
        Assert.Contains("<a class=\"brand\" href=\"/report\">群众诉求服务</a>", form.Html);
        Assert.Contains("<title>我要反映 · 群众诉求服务</title>", form.Html);
        Assert.Contains("<optgroup label=\"三岔镇\">", form.Html);
        Assert.Contains("<option value=\"SCH-MJC\">马家村</option>", form.Html);
        Assert.Contains("<option value=\"SCH\">不确定 / 全镇（三岔镇）</option>", form.Html);
        // Units that cannot own cases (agencies, the county) are no choice.
        Assert.DoesNotContain("value=\"SCH-SFS\"", form.Html);
        Assert.DoesNotContain("value=\"ZX\"", form.Html);
        Assert.Contains("用途：", form.Html);
        Assert.Contains("保存多久：随本事项的台账一起保存", form.Html);
        Assert.Contains("更正", form.Html);
        Assert.Matches("<input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"true\" required", form.Html);
        Assert.Matches("<div class=\"hp\" aria-hidden=\"true\">\\s*<label for=\"website\">[^<]+</label>\\s*<input id=\"website\" name=\"website\" tabindex=\"-1\"", form.Html);
        Assert.Contains("<noscript>", form.Html);
        Assert.True(Guid.TryParseExact(form.Key, "N", out _));
        Assert.Equal(5, form.Challenge.Split('.').Length);
        Assert.Equal(TestBits.ToString(System.Globalization.CultureInfo.InvariantCulture), form.Challenge.Split('.')[3]);

        // Another showing of the form: another key and another challenge.
        var again = await FormAsync(app.AnonymousClient());
        Assert.NotEqual(form.Key, again.Key);
        Assert.NotEqual(form.Challenge, again.Challenge);

        // The sign-in page points residents here.
        var (_, signIn) = await app.AnonymousClient().GetHtmlAsync("/signin");
        Assert.Contains("href=\"/report\"", signIn);
    }

    [Fact]
    public async Task TheVillageList_FollowsTheOrganisation_WhenAnAdministratorAddsAVillage_AndNeverOffersGroups()
    {
        var (_, before) = await app.AnonymousClient().GetHtmlAsync("/report?town=SCH");
        Assert.DoesNotContain("value=\"SCH-MJC-1\"", before);
        var code = "SCH-N" + Marker()[..4].ToUpperInvariant();
        using var created = await app.ClientAs("admin-sch").PostFormAsync("/admin/units?handler=Create",
            ("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "新建村"), ("Create.Code", code));
        Assert.True(created.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, created.StatusCode.ToString());
        Assert.True(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == code)));

        var (_, after) = await app.AnonymousClient().GetHtmlAsync("/report?town=SCH");
        Assert.Contains($"<option value=\"{code}\">新建村</option>", after);
    }

    [Fact]
    public async Task AnInstallOfSeveralTowns_AsksForTheTownFirst_AndOffersOnlyThatTownsVillages()
    {
        // A county's install: a second town with a village of its own.
        var suffix = Marker()[..4].ToUpperInvariant();
        var (townCode, villageCode) = ("T" + suffix, "T" + suffix + "-V");
        var admin = app.ClientAs("admin-county");
        foreach (var (parent, kind, name, code) in new[] { ("ZX", "Town", "新设镇" + suffix, townCode), (townCode, "Village", "新设镇一村", villageCode) })
        {
            using var created = await admin.PostFormAsync("/admin/units?handler=Create",
                ("Create.Parent", parent), ("Create.Kind", kind), ("Create.Name", name), ("Create.Code", code));
            Assert.True(created.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, created.StatusCode.ToString());
        }
        Assert.True(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == villageCode)));

        var (status, first) = await app.AnonymousClient().GetHtmlAsync("/report");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"towns\"", first);
        Assert.Contains("href=\"/report?town=SCH\"", first);
        Assert.Contains($"href=\"/report?town={townCode}\"", first);
        Assert.DoesNotContain("id=\"report-form\"", first);

        var (_, sanchahe) = await app.AnonymousClient().GetHtmlAsync("/report?town=SCH");
        Assert.Contains("value=\"SCH-MJC\"", sanchahe);
        Assert.DoesNotContain($"value=\"{villageCode}\"", sanchahe);
        var (_, other) = await app.AnonymousClient().GetHtmlAsync($"/report?town={townCode}");
        Assert.Contains($"value=\"{villageCode}\"", other);
        Assert.DoesNotContain("value=\"SCH-MJC\"", other);
        Assert.Contains($"name=\"town\" value=\"{townCode}\"", other);
    }

    [Fact]
    public async Task AReport_WithAPhoto_IsAWebCase_WithConsent_ThePhotoWithoutItsPosition_AndTheAnswerGivesBothCodes()
    {
        var client = app.AnonymousClient();
        var form = await FormAsync(client);
        var marker = Marker();
        var description = $"村口路灯坏了三个月。晚上很黑，老人走路不安全 {marker}";
        var (response, html) = await PostAsync(client,
            Fields(form, description, extra: [("name", "李桂兰"), ("phone", "13912345678"), ("category", "")]),
            ("路灯.jpg", TestFiles.JpegWithGps(640, 480)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var code = Shown(html, "tracking-code");
        var rating = Shown(html, "rating-code");
        Assert.NotNull(code);
        Assert.NotNull(rating);
        Assert.Matches("^\\d{4} \\d{4}$", rating);
        Assert.Contains($"href=\"/track/{code}\"", html);
        Assert.Contains("请截图或抄下", html);
        Assert.Contains("工作人员不会向您索要", html);
        Assert.DoesNotContain("李桂兰", html);
        Assert.DoesNotContain("13912345678", html);

        var stored = await app.WithDbAsync(async db =>
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.TrackingCode == code);
            var reporters = await db.CaseReporters.AsNoTracking().Where(r => r.CaseId == c.Id).ToListAsync();
            var files = await db.CaseAttachments.AsNoTracking().Where(a => a.CaseId == c.Id).ToListAsync();
            var actor = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id && e.Sequence == 1).Select(e => e.ActorId).SingleAsync();
            return (Case: c, Reporters: reporters, Files: files, Actor: actor);
        });
        Assert.Equal(Channel.Web, stored.Case.Channel);
        Assert.Equal("村口路灯坏了三个月", stored.Case.Title);
        Assert.Equal(description, stored.Case.Description);
        Assert.Equal("马家村二组桥头", stored.Case.Location?.Address);
        Assert.Equal(SubmitReport.ActorId, stored.Actor);
        var reporter = Assert.Single(stored.Reporters);
        Assert.Equal("李桂兰", reporter.Name);
        Assert.Equal("13912345678", reporter.Phone);
        Assert.True(reporter.ContactConsent);

        var key = await app.Services.GetRequiredService<RatingCodes>().KeyAsync(CancellationToken.None);
        Assert.True(RatingCodes.Matches(key, code!, rating, stored.Case.RatingCodeHash));
        Assert.False(RatingCodes.Matches(key, code!, "00000000", stored.Case.RatingCodeHash));

        var photo = Assert.Single(stored.Files);
        Assert.Equal("image/jpeg", photo.ContentType);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(app.AttachmentsDirectory, photo.Sha256[..2], photo.Sha256[2..4], photo.Sha256));
        var image = Image.Identify(bytes)!;
        Assert.Equal(640, image.Width);
        Assert.Null(image.Metadata.ExifProfile?.GetValue(ExifTag.GPSLatitude));
        Assert.Null(image.Metadata.XmpProfile);
        Assert.DoesNotContain("GPS", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.DoesNotContain("TestPhone", System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public async Task TheSameFormSentTwice_MakesOneCase_AndShowsTheSameCodesBothTimes()
    {
        var client = app.AnonymousClient();
        var form = await FormAsync(client);
        var marker = Marker();
        var fields = Fields(form, $"垃圾桶满了没人清 {marker}", extra: [("anonymous", "true"), ("phone", "13800001111")]);

        var (first, firstHtml) = await PostAsync(client, fields);
        var (second, secondHtml) = await PostAsync(client, fields);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await CasesWithAsync(marker));
        Assert.NotNull(Shown(firstHtml, "tracking-code"));
        Assert.Equal(Shown(firstHtml, "tracking-code"), Shown(secondHtml, "tracking-code"));
        Assert.NotNull(Shown(firstHtml, "rating-code"));
        Assert.Equal(Shown(firstHtml, "rating-code"), Shown(secondHtml, "rating-code"));
        Assert.Contains("这件事已经提交过了", secondHtml);
        var reporter = await app.WithDbAsync(db => db.Cases.Where(c => c.Description.Contains(marker))
            .Join(db.CaseReporters, c => c.Id, r => r.CaseId, (c, r) => new { c.Anonymous, r.Name, r.Phone, r.ContactConsent }).SingleAsync());
        Assert.True(reporter.Anonymous);
        Assert.Equal("", reporter.Name);
        Assert.True(reporter.ContactConsent);
    }

    public static TheoryData<string> Refusals() =>
    [
        "no-solution", "wrong-solution", "forged-challenge", "expired", "reused", "honeypot", "too-long", "bad-file", "too-big-file", "too-many-files",
        "no-consent",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ARefusal_StoresNothing_SaysWhy_AndKeepsWhatWasTyped(string refusal)
    {
        var client = app.AnonymousClient();
        var form = await FormAsync(client);
        var marker = Marker();
        var description = $"下水道堵了，污水漫到路上 {marker}";
        var files = Array.Empty<(string, byte[])>();
        var fields = Fields(form, description, extra: [("name", "赵大爷"), ("phone", "13700002222")]);
        string expected;
        var status = HttpStatusCode.BadRequest;
        void Set(string name, string value) => fields = fields.Select(f => f.Name == name ? (f.Name, value) : f).ToArray();
        switch (refusal)
        {
            case "no-solution":
                Set("solution", "");
                expected = "需要浏览器启用 JavaScript";
                break;
            case "wrong-solution":
                var wrong = Enumerable.Range(0, 10_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .First(s => !ProofOfWork.Solves(form.Challenge, s, TestBits));
                Set("solution", wrong);
                expected = "安全验证没有通过";
                break;
            case "forged-challenge":
                // Asking for fewer bits than were issued breaks the signature.
                var parts = form.Challenge.Split('.');
                parts[3] = "0";
                var forged = string.Join('.', parts);
                Set("challenge", forged);
                Set("solution", "0");
                expected = "安全验证没有通过";
                break;
            case "expired":
                app.Clock.Advance(TimeSpan.FromMinutes(31));
                expected = "安全验证已过期";
                break;
            case "reused":
                var (used, _) = await PostAsync(client, Fields(form, $"先用掉这个验证 {Marker()}"));
                Assert.Equal(HttpStatusCode.OK, used.StatusCode);
                Set("key", Guid.NewGuid().ToString("N"));
                expected = "这次安全验证已经用过了";
                break;
            case "honeypot":
                Set("website", "http://spam.example");
                expected = "提交没有成功，请稍后再试";
                break;
            case "too-long":
                description = new string('路', Case.DescriptionMaxLength + 1) + marker;
                Set("description", description);
                expected = $"描述最多 {Case.DescriptionMaxLength} 个字";
                break;
            case "bad-file":
                files = [("照片.jpg", "MZ\u0090 this is a program, not a photo"u8.ToArray())];
                expected = "请重新选择";
                break;
            case "too-big-file":
                files = [("大照片.jpg", new byte[PublicFileBytes + 1])];
                expected = "文件「大照片.jpg」太大了";
                break;
            case "too-many-files":
                files = Enumerable.Range(1, 4).Select(i => ($"p{i}.png", TestFiles.Png(8, 8))).ToArray();
                expected = "最多上传 3 个";
                break;
            case "no-consent":
                Set("consent", "");
                expected = "请勾选同意";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(refusal));
        }
        try
        {
            var before = await app.WithDbAsync(db => db.Cases.CountAsync());
            var (response, html) = await PostAsync(client, fields, files);

            Assert.Equal(status, response.StatusCode);
            Assert.Contains(expected, html);
            Assert.Contains("id=\"form-errors\"", html);
            Assert.Null(Shown(html, "tracking-code"));
            Assert.Equal(0, await CasesWithAsync(marker));
            Assert.Equal(before, await app.WithDbAsync(db => db.Cases.CountAsync()));
            // What was typed is kept (files are chosen again: the page says so when there were some).
            Assert.Contains(refusal == "too-long" ? marker : description, html);
            Assert.Contains("value=\"赵大爷\"", html);
            Assert.Contains("value=\"13700002222\"", html);
            Assert.Contains("value=\"马家村二组桥头\"", html);
            Assert.Contains("<option value=\"SCH-MJC\" selected=\"selected\">", html);
            if (files.Length > 0)
            {
                Assert.Contains("id=\"files-again\"", html);
            }
            // A fresh challenge for the next try, under the same form key.
            Assert.NotEqual(form.Challenge, Value(html, "challenge"));
            Assert.Equal(fields.Single(f => f.Name == "key").Value, Value(html, "key"));
        }
        finally
        {
            if (refusal == "expired")
            {
                app.Clock.Advance(TimeSpan.FromMinutes(-31));
            }
        }
    }

    [Fact]
    public async Task AfterARefusal_TheFormSentAgain_Registers()
    {
        var client = app.AnonymousClient();
        var form = await FormAsync(client);
        var marker = Marker();
        var (refused, html) = await PostAsync(client, Fields(form, $"桥栏杆松了 {marker}", extra: [("consent", "")]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var again = new Form(Value(html, "__RequestVerificationToken"), Value(html, "key"), Value(html, "challenge"), html);
        var (accepted, answer) = await PostAsync(client, Fields(again, $"桥栏杆松了 {marker}"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.NotNull(Shown(answer, "tracking-code"));
        Assert.Equal(1, await CasesWithAsync(marker));
    }

    [Fact]
    public async Task OnlyThisPublicPage_TakesAnAnonymousUpload_AndOnlyToItsOwnLimit()
    {
        var anonymous = app.AnonymousClient();
        var large = new byte[600_000]; // over Limits:MaxBodyBytes (256 KB), under this page's limit for three files

        // The staff desk still refuses an anonymous upload at the door.
        using var desk = new MultipartFormDataContent { { new ByteArrayContent(large), "files", "a.jpg" } };
        using var deskResponse = await anonymous.PostAsync("/cases/new", desk);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, deskResponse.StatusCode);

        // A large body that is no multipart form meets the ordinary limit here too.
        using var urlEncoded = new ByteArrayContent(large);
        urlEncoded.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var plain = await anonymous.PostAsync("/report", urlEncoded);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);

        // Over this page's own limit (three files, each up to Limits:PublicFileBytes): refused at the door.
        using var huge = new MultipartFormDataContent { { new ByteArrayContent(new byte[2_000_000]), "files", "a.jpg" } };
        using var hugeResponse = await anonymous.PostAsync("/report", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeResponse.StatusCode);

        // Within it: read, and refused next to the field with what was typed kept.
        var form = await FormAsync(anonymous);
        var marker = Marker();
        var (response, html) = await PostAsync(anonymous, Fields(form, $"大文件 {marker}"), ("a.jpg", new byte[300_000]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"files-error\"", html);
        Assert.Contains(marker, html);
        Assert.Equal(0, await CasesWithAsync(marker));
    }

    [Fact]
    public async Task ASignedInPerson_CannotRegisterAsTheWebChannel()
    {
        var town = app.ClientAs("town");
        var form = await FormAsync(town);
        var marker = Marker();
        var (response, html) = await PostAsync(town, Fields(form, $"工作人员冒充群众 {marker}"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("登记事项", html);
        Assert.Equal(0, await CasesWithAsync(marker));
    }

    [Fact]
    public async Task AnAddressOverItsHourlyBucket_IsToldSo_WithItsTextKept_WhileSigningInAndShowingTheFormGoOn()
    {
        using var limited = app.WithWebHostBuilder(b => b.UseSetting("RateLimits:ReportPerHour", "2"));
        var client = limited.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());
        for (var i = 0; i < 2; i++)
        {
            var form = await FormAsync(client);
            var (ok, _) = await PostAsync(client, Fields(form, $"限流前 {i} {Marker()}"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var last = await FormAsync(client);
        var marker = Marker();
        var (response, html) = await PostAsync(client, Fields(last, $"第三次反映 {marker}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("每小时最多 2 次", html);
        Assert.Contains(marker, html);
        Assert.Equal(0, await CasesWithAsync(marker));

        // Its own bucket: the form is still shown, and sign-ins from the same address are not held back by it.
        var (status, _) = await client.GetHtmlAsync("/report");
        Assert.Equal(HttpStatusCode.OK, status);
        using var signIn = await client.PostAsync("/api/v1/session",
            System.Net.Http.Json.JsonContent.Create(new { userName = "nobody", password = "wrong password" }));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, signIn.StatusCode);
    }

    [Fact]
    public async Task TheResidentsNameAndPhone_AreInNoLogLine()
    {
        var capture = new LogCapture();
        using var factory = LogCapture.Host(app, capture);
        var client = factory.CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());
        var form = await FormAsync(client);
        var (response, html) = await PostAsync(client, Fields(form, $"噪音扰民 {Marker()}", extra: [("name", "钱多多"), ("phone", "13600003333")]),
            ("现场.jpg", TestFiles.JpegWithGps(64, 48)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var code = Shown(html, "tracking-code")!;

        Assert.Contains(capture.Lines, l => l.Contains(code, StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, l => l.Contains("钱多多", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, l => l.Contains("13600003333", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheJsonApi_TakesTheSameReport_WithTheSameChecks_AndRepeatsByItsIdempotencyKey()
    {
        var client = app.AnonymousClient();
        var challenge = await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/public/reports/challenge");
        var issued = challenge!["challenge"]!.GetValue<string>();
        Assert.Equal(TestBits, challenge["bits"]!.GetValue<int>());
        var marker = Marker();
        object Body(string? solution) => new
        {
            orgUnit = "SCH-WJC", description = $"河道有垃圾。 {marker}", name = "孙阿姨", phone = "13500004444", consent = true,
            challenge = issued, solution,
        };
        var key = Guid.NewGuid().ToString("N");

        using var unsolved = await SendJsonAsync(client, Body(null), key);
        Assert.Equal(HttpStatusCode.BadRequest, unsolved.StatusCode);
        Assert.Equal("application/problem+json", unsolved.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"form\"", await unsolved.Content.ReadAsStringAsync());
        Assert.Equal(0, await CasesWithAsync(marker));

        var solution = ProofOfWork.Solve(issued);
        using var created = await SendJsonAsync(client, Body(solution), key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var code = first["trackingCode"]!.GetValue<string>();
        Assert.Equal("/track/" + code, created.Headers.Location?.OriginalString);
        using var repeated = await SendJsonAsync(client, Body(solution), key);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        var second = System.Text.Json.Nodes.JsonNode.Parse(await repeated.Content.ReadAsStringAsync())!;
        Assert.Equal(code, second["trackingCode"]!.GetValue<string>());
        Assert.Equal(first["ratingCode"]!.GetValue<string>(), second["ratingCode"]!.GetValue<string>());
        Assert.Equal(1, await CasesWithAsync(marker));
        var stored = await app.WithDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.TrackingCode == code));
        Assert.Equal(Channel.Web, stored.Channel);
        var ratingKey = await app.Services.GetRequiredService<RatingCodes>().KeyAsync(CancellationToken.None);
        Assert.True(RatingCodes.Matches(ratingKey, code, first["ratingCode"]!.GetValue<string>(), stored.RatingCodeHash));

        // The same solved challenge under another key is used up.
        using var reused = await SendJsonAsync(client, Body(solution), Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);

        // Staff register in their own name, not as the public channel.
        using var staff = await SendJsonAsync(app.ClientAs("town"), Body(solution), key);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/reports") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("村口路灯坏了。晚上很黑", "村口路灯坏了")]
    [InlineData("  路灯坏了\r\n三盏！ ", "路灯坏了")]
    [InlineData("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九…")]
    [InlineData("。只有句号开头", "。只有句号开头")]
    public void TheTitle_IsTheFirstSentence_AtMostThirtyCharacters(string description, string title) =>
        Assert.Equal(title, Taizhang.Web.Features.Cases.CaseTitles.FromDescription(description));
}

public sealed class ReportSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ReportPageTests.Configure(builder);
    }
}

public sealed class ReportPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ReportPageTests.Configure(builder);
    }
}

public sealed class ReportPageTests_Sqlite(ReportSqliteApp app) : ReportPageTests(app), IClassFixture<ReportSqliteApp>;

public sealed class ReportPageTests_Postgres(ReportPostgresApp app) : ReportPageTests(app), IClassFixture<ReportPostgresApp>;
