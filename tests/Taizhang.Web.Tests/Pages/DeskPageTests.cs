using System.Net.Http.Json;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>登记事项 (/cases/new) as a browser without JavaScript uses it: GET the form, POST it, follow the redirect by hand.</summary>
public abstract partial class DeskPageTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    [Theory]
    [InlineData("WalkIn")]
    [InlineData("CadreVisit")]
    [InlineData("Petition")]
    [InlineData("HigherLevel")]
    [InlineData("LivelihoodPlatform")]
    [InlineData("Hotline")]
    [InlineData("Meeting")]
    public async Task Post_EachStaffChannel_RegistersACaseOnThatChannel_AndShowsItsCode(string channel)
    {
        long? meeting = channel == "Meeting" ? await MeetingAsync("SCH-MJC", "马家村议事会 " + Guid.NewGuid().ToString("N")[..6]) : null;
        var title = $"{channel} " + Guid.NewGuid().ToString("N")[..8] + " 村道破损";

        using var response = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), title, channel, meeting: meeting));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await FindByTitleAsync(title);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal(channel, c["channel"]!.GetValue<string>());
        Assert.Equal("SCH-MJC-1", c["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("High", c["urgency"]!.GetValue<string>());
        Assert.Equal("roads", c["category"]!["code"]!.GetValue<string>());
        Assert.Equal("马家村一组村口", c["location"]!["address"]!.GetValue<string>());
        Assert.False(c["anonymous"]!.GetValue<bool>());
        Assert.Equal(meeting, c["meetingId"]?.GetValue<long>());
        Assert.Equal("张桂兰", (await ReporterAsync(id)).Name);

        var (status, html) = await _town.GetHtmlAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<strong class=\"code\">{c.TrackingCode()}</strong>", html);
        Assert.Contains($"href=\"/cases/{id}\"", html);
        Assert.Contains("登记下一条", Text(html));
        Assert.DoesNotContain(title, Text(FormOf(html)));
    }

    [Fact]
    public async Task Form_OffersTheStaffChannels_AndTheMeetingsOfTheUnitsTheUserReaches_RecentFirst()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var older = await MeetingAsync("SCH-MJC", "马家村旧会 " + suffix, TaizhangApp.Start.AddDays(-20));
        var newer = await MeetingAsync("SCH-MJC", "马家村新会 " + suffix, TaizhangApp.Start.AddDays(-2));
        var other = await MeetingAsync("SCH-WJC", "王家村的会 " + suffix);
        var townMeeting = await MeetingAsync("SCH", "镇集中办理会 " + suffix);
        var notYet = await MeetingAsync("SCH-MJC", "马家村下月的会 " + suffix, TaizhangApp.Start.AddDays(30));

        var (status, cadreHtml) = await app.SharedClientAs("cadre").GetHtmlAsync("/cases/new");
        var (_, townHtml) = await _town.GetHtmlAsync("/cases/new");

        Assert.Equal(HttpStatusCode.OK, status);
        var channels = Regex.Matches(Select(cadreHtml, "channel"), "<option value=\"([A-Za-z]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["WalkIn", "CadreVisit", "Meeting", "Petition", "HigherLevel", "LivelihoodPlatform", "Hotline"], channels);
        var cadreMeetings = MeetingIds(cadreHtml);
        Assert.Contains(newer, cadreMeetings);
        Assert.Contains(older, cadreMeetings);
        Assert.True(Array.IndexOf(cadreMeetings, newer) < Array.IndexOf(cadreMeetings, older), "most recent first");
        Assert.DoesNotContain(other, cadreMeetings);
        Assert.DoesNotContain(townMeeting, cadreMeetings);
        Assert.DoesNotContain(notYet, cadreMeetings);
        Assert.Contains("马家村新会 " + suffix, Text(cadreHtml));
        var townMeetings = MeetingIds(townHtml);
        Assert.Contains(other, townMeetings);
        Assert.Contains(townMeeting, townMeetings);
        // The cadre's units only, with the village's groups under it.
        Assert.Contains("value=\"SCH-MJC-1\"", Select(cadreHtml, "orgUnit"));
        Assert.DoesNotContain("value=\"SCH-WJC\"", Select(cadreHtml, "orgUnit"));
        foreach (var id in new[] { "channel", "meeting", "orgUnit", "anonymous", "name", "phone", "address", "category", "urgency", "title", "description" })
        {
            Assert.Contains($"<label for=\"{id}\">", cadreHtml);
        }
        Assert.Contains("href=\"/cases/new\"", cadreHtml); // the 登记事项 link in the menu
    }

    [Fact]
    public async Task Anonymous_IsStoredAndShownOnTheCaseAndInTheApi_AndNeedsNoName()
    {
        var title = "匿名反映 " + Guid.NewGuid().ToString("N")[..8];
        var phone = "1380010" + Random.Shared.Next(1000, 9999);

        using var response = await _town.PostFormAsync("/cases/new",
            Form(await FormKeyAsync(_town), title, "WalkIn", name: "", phone: phone, anonymous: true));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await FindByTitleAsync(title);
        var c = await _town.GetCaseAsync(id);
        Assert.True(c["anonymous"]!.GetValue<bool>());
        var reporter = Assert.Single(c["reporters"]!.AsArray())!;
        Assert.Equal("", reporter["name"]!.GetValue<string>());
        Assert.Equal(phone[..3] + "****" + phone[^4..], reporter["phone"]!.GetValue<string>());
        Assert.Equal(("", phone), await ReporterAsync(id));
        var (_, page) = await _town.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("群众要求匿名", Text(page));
        Assert.Contains("（匿名）", Text(page));

        // Without a phone: no reporter at all, still anonymous.
        var bare = "匿名无电话 " + Guid.NewGuid().ToString("N")[..8];
        using var second = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), bare, "WalkIn", name: "", phone: "", anonymous: true));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var bareCase = await _town.GetCaseAsync(await FindByTitleAsync(bare));
        Assert.True(bareCase["anonymous"]!.GetValue<bool>());
        Assert.Empty(bareCase["reporters"]!.AsArray());
    }

    [Fact]
    public async Task WalkIn_WithoutANameAndNotAnonymous_IsRefusedOnTheName_ANameOnAnAnonymousOneToo()
    {
        var before = (await _town.ListAsync()).Total();

        using var unnamed = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), "没写名字", "WalkIn", name: ""));
        using var named = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), "又写名字又匿名", "WalkIn", name: "张三", anonymous: true));

        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Matches("id=\"name-error\">[^<]+<", await unnamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, named.StatusCode);
        var html = Text(await named.Content.ReadAsStringAsync());
        Assert.Contains("匿名登记不记姓名", html);
        Assert.Matches("<input type=\"checkbox\" id=\"anonymous\" name=\"anonymous\" value=\"true\" checked=\"checked\"", html);
        Assert.Equal(before, (await _town.ListAsync()).Total());
    }

    [Fact]
    public async Task WalkIn_WithAPhoto_IsRegisteredWithTheRegistrationPhoto_WithoutItsPosition()
    {
        var title = "来访带照片 " + Guid.NewGuid().ToString("N")[..8];
        using var body = Multipart(Form(await FormKeyAsync(_town), title, "WalkIn"), ("files", "IMG_2031.jpg", TestFiles.JpegWithGps(48, 32)));

        using var response = await PostMultipartAsync(_town, body);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await FindByTitleAsync(title);
        var list = await _town.GetFromJsonAsync<JsonArray>($"/api/v1/cases/{id}/attachments");
        var photo = Assert.Single(list!)!;
        Assert.Equal("Registration", photo["kind"]!.GetValue<string>());
        Assert.Equal("image/jpeg", photo["contentType"]!.GetValue<string>());
        var stored = await _town.GetByteArrayAsync(photo["url"]!.GetValue<string>());
        Assert.Null(SixLabors.ImageSharp.Image.Identify(stored).Metadata.ExifProfile);
        Assert.DoesNotContain("GPS", System.Text.Encoding.Latin1.GetString(stored));
    }

    [Fact]
    public async Task AFileThatIsNotAPhotoOrDocument_IsRefusedNextToTheFileInput_AndNothingIsRegistered()
    {
        var title = "来访带可疑文件 " + Guid.NewGuid().ToString("N")[..8];
        var before = (await _town.ListAsync()).Total();
        using var body = Multipart(Form(await FormKeyAsync(_town), title, "WalkIn"),
            ("files", "photo.jpg", "<html><script>alert(1)</script></html>"u8.ToArray()));

        using var response = await PostMultipartAsync(_town, body);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"files-error\"", html);
        Assert.Contains(title, html); // what was typed is kept
        Assert.Equal(before, (await _town.ListAsync()).Total());
    }

    [Fact]
    public async Task OnlyASignedInPersonsMultipartPost_MayCarryFiles_EveryOtherLargeBodyIsRefusedAtTheDoor()
    {
        var large = new byte[600_000]; // over Limits:MaxBodyBytes (256 KB), under the files' limit
        using var anonymousFiles = new MultipartFormDataContent { { new ByteArrayContent(large), "files", "a.jpg" } };
        using var anonymous = await app.AnonymousClient().PostAsync("/cases/new", anonymousFiles);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, anonymous.StatusCode);

        using var form = new ByteArrayContent(large);
        form.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var notMultipart = await _town.PostAsync("/cases/new", form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, notMultipart.StatusCode);

        // The clerk's own upload of the same size goes through to the form (and is refused there as no photo).
        using var clerkFiles = Multipart(Form(await FormKeyAsync(_town), "大文件 " + Guid.NewGuid().ToString("N")[..6], "WalkIn"), ("files", "a.jpg", large));
        using var clerk = await PostMultipartAsync(_town, clerkFiles);
        Assert.Equal(HttpStatusCode.BadRequest, clerk.StatusCode);
        Assert.Contains("id=\"files-error\"", await clerk.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InEnglish_ThePagesPunctuationIsHalfWidth()
    {
        foreach (var page in new[] { "/cases/new?culture=en", "/hotline?culture=en" })
        {
            var (status, html) = await _town.GetHtmlAsync(page);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Shortcuts: <kbd>Ctrl</kbd>+<kbd>Enter</kbd> register", html);
            Assert.DoesNotContain("：", html);
            Assert.DoesNotContain("；", html);
        }
    }

    private static MultipartFormDataContent Multipart((string Name, string Value)[] fields, params (string Name, string FileName, byte[] Content)[] files)
    {
        var body = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            body.Add(new StringContent(value), name);
        }
        foreach (var (name, fileName, content) in files)
        {
            body.Add(new ByteArrayContent(content), name, fileName);
        }
        return body;
    }

    private static async Task<HttpResponseMessage> PostMultipartAsync(HttpClient client, MultipartFormDataContent body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cases/new") { Content = body };
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task WalkIn_PhoneIsOptional()
    {
        var title = "来访不留电话 " + Guid.NewGuid().ToString("N")[..8];

        using var response = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), title, "WalkIn", phone: ""));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(("张桂兰", (string?)null), await ReporterAsync(await FindByTitleAsync(title)));
    }

    [Fact]
    public async Task MeetingChannel_RequiresAMeetingTheUserReaches_AndRecordsIt()
    {
        var cadre = app.SharedClientAs("cadre");
        var mine = await MeetingAsync("SCH-MJC", "马家村议事会（核对） " + Guid.NewGuid().ToString("N")[..6]);
        var theirs = await MeetingAsync("SCH-WJC", "王家村议事会（核对） " + Guid.NewGuid().ToString("N")[..6]);
        var before = (await _town.ListAsync("channel=Meeting")).Total();

        using var without = await cadre.PostFormAsync("/cases/new", Form(await FormKeyAsync(cadre), "会上提的事一", "Meeting"));
        using var elsewhere = await cadre.PostFormAsync("/cases/new", Form(await FormKeyAsync(cadre), "会上提的事二", "Meeting", meeting: theirs));

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        var html = Text(await without.Content.ReadAsStringAsync());
        Assert.Matches("id=\"meeting-error\">[^<]+<", html);
        Assert.Contains("请选择事项来自哪次会议", html);
        Assert.Contains("value=\"会上提的事一\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Matches("id=\"meeting-error\">[^<]+<", await elsewhere.Content.ReadAsStringAsync());
        Assert.Equal(before, (await _town.ListAsync("channel=Meeting")).Total());

        // The picker is on the form whatever the channel: for another channel it records no meeting.
        var walkIn = "来访不记会议 " + Guid.NewGuid().ToString("N")[..8];
        using var ignored = await cadre.PostFormAsync("/cases/new", Form(await FormKeyAsync(cadre), walkIn, "WalkIn", meeting: mine));
        Assert.Equal(HttpStatusCode.Redirect, ignored.StatusCode);
        Assert.Null((await _town.GetCaseAsync(await FindByTitleAsync(walkIn)))["meetingId"]?.GetValue<long>());
    }

    [Fact]
    public async Task MeetingBatch_ThreeItems_KeepMeetingVillageAndChannel_AndAreListedWithTheirCodes()
    {
        var meeting = await MeetingAsync("SCH-MJC", "马家村村民代表会议 " + Guid.NewGuid().ToString("N")[..6]);
        var batch = Guid.NewGuid().ToString("N")[..6];
        var key = await FormKeyAsync(_town);
        var sitting = "";
        var ids = new List<long>();
        string html = "";
        for (var i = 1; i <= 3; i++)
        {
            var title = $"会议第{i}条 {batch}";
            using var response = await _town.PostFormAsync("/cases/new",
                [.. Form(key, title, "Meeting", meeting: meeting, name: i == 2 ? "" : "议事会成员" + i, phone: ""), ("sitting", sitting)]);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var next = response.Headers.Location!.OriginalString;
            Assert.StartsWith("/cases/new?", next);
            ids.Add(await FindByTitleAsync(title));

            (_, html) = await _town.GetHtmlAsync(next);
            // The next item's form: meeting, village and channel kept, the rest cleared, a fresh key.
            Assert.Matches($"<option value=\"{meeting}\" selected=\"selected\">", Select(html, "meeting"));
            Assert.Contains("<option value=\"SCH-MJC-1\" selected=\"selected\">", Select(html, "orgUnit"));
            Assert.Contains("<option value=\"Meeting\" selected=\"selected\">", Select(html, "channel"));
            Assert.DoesNotContain("selected", Select(html, "category"));
            Assert.DoesNotContain(title, Text(FormOf(html)));
            Assert.DoesNotMatch("id=\"name\" name=\"name\"[^>]*value=\"[^\"]+\"", html);
            Assert.DoesNotContain("马家村一组村口", Text(FormOf(html)));
            Assert.Contains("登记下一条（同一会议）", Text(html));
            var fresh = KeyOf(html);
            Assert.NotEqual(key, fresh);
            key = fresh;
            sitting = SittingOf(html);
        }

        var listed = html[html.IndexOf("id=\"sitting\"", StringComparison.Ordinal)..];
        Assert.Contains("本次会议已登记 3 件", Text(html));
        foreach (var id in ids)
        {
            var c = await _town.GetCaseAsync(id);
            Assert.Equal(meeting, c["meetingId"]!.GetValue<long>());
            Assert.Equal("Meeting", c["channel"]!.GetValue<string>());
            Assert.Equal("SCH-MJC-1", c["orgUnit"]!["code"]!.GetValue<string>());
            Assert.Contains(c.TrackingCode(), listed);
            Assert.Contains($"href=\"/cases/{id}\"", listed);
        }
        Assert.True(listed.IndexOf($"/cases/{ids[0]}\"", StringComparison.Ordinal) < listed.IndexOf($"/cases/{ids[2]}\"", StringComparison.Ordinal));
        // Ending the sitting is an empty form again.
        var (_, ended) = await _town.GetHtmlAsync("/cases/new");
        Assert.DoesNotContain("id=\"sitting\"", ended);
    }

    [Fact]
    public async Task Post_SameFormTwice_MakesOneCase_AndListsItOnce()
    {
        var meeting = await MeetingAsync("SCH-MJC", "马家村议事会（重复） " + Guid.NewGuid().ToString("N")[..6]);
        var key = await FormKeyAsync(_town);
        var title = "重复提交 " + Guid.NewGuid().ToString("N")[..8];
        var before = (await _town.ListAsync("channel=Meeting")).Total();

        using var first = await _town.PostFormAsync("/cases/new", Form(key, title, "Meeting", meeting: meeting));
        using var second = await _town.PostFormAsync("/cases/new", Form(key, title, "Meeting", meeting: meeting));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(before + 1, (await _town.ListAsync("channel=Meeting")).Total());
        var id = await FindByTitleAsync(title);
        var (_, html) = await _town.GetHtmlAsync(second.Headers.Location!.OriginalString);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), SittingOf(html));
        Assert.Contains("本次会议已登记 1 件", Text(html));
    }

    [Fact]
    public async Task Post_SameKeyWithOtherContent_IsRefusedWithAFreshKey()
    {
        var key = await FormKeyAsync(_town);
        using (var ok = await _town.PostFormAsync("/cases/new", Form(key, "第一件 " + Guid.NewGuid().ToString("N")[..8], "Petition")))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }
        var second = "第二件 " + Guid.NewGuid().ToString("N")[..8];

        using var refused = await _town.PostFormAsync("/cases/new", Form(key, second, "Petition"));

        Assert.True((int)refused.StatusCode >= 400, refused.StatusCode.ToString());
        var html = Text(await refused.Content.ReadAsStringAsync());
        Assert.Contains("这张表单刚才已登记过另一件事项", html);
        Assert.Contains(second, html);
        Assert.NotEqual(key, KeyOf(html));
    }

    [Fact]
    public async Task Refusal_KeepsWhatWasTyped_WithTheMessagesNextToTheFields()
    {
        var key = await FormKeyAsync(_town);
        var before = (await _town.ListAsync()).Total();

        using var response = await _town.PostFormAsync("/cases/new",
            ("key", key), ("channel", "Petition"), ("orgUnit", "SCH-WJC"), ("name", "王大爷"), ("phone", "12345"),
            ("address", "王家村二组"), ("category", "water"), ("urgency", "Urgent"), ("title", ""), ("description", "自来水管破裂，水漫进院子"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = Text(await response.Content.ReadAsStringAsync());
        Assert.Matches("id=\"phone-error\">[^<]+<", html);
        Assert.Matches("id=\"title-error\">[^<]+<", html);
        Assert.Contains("aria-describedby=\"title-error\"", html);
        Assert.Contains("手机号或固定电话格式不正确", html);
        Assert.Contains("value=\"12345\"", html);
        Assert.Contains("value=\"王大爷\"", html);
        Assert.Contains("value=\"王家村二组\"", html);
        Assert.Contains("自来水管破裂，水漫进院子", html);
        Assert.Contains("<option value=\"Petition\" selected=\"selected\">", Select(html, "channel"));
        Assert.Contains("<option value=\"SCH-WJC\" selected=\"selected\">", Select(html, "orgUnit"));
        Assert.Contains("<option value=\"water\" selected=\"selected\">", Select(html, "category"));
        Assert.Contains("<option value=\"Urgent\" selected=\"selected\">", Select(html, "urgency"));
        Assert.Equal(key, KeyOf(html));
        Assert.Equal(before, (await _town.ListAsync()).Total());
    }

    [Theory]
    [InlineData("WeChat")]
    [InlineData("Web")]
    [InlineData("Open311")]
    [InlineData("Fax")]
    public async Task Post_AChannelNotEnteredByStaff_IsRefusedOnTheChannel(string channel)
    {
        using var response = await _town.PostFormAsync("/cases/new", Form(await FormKeyAsync(_town), "不该这样登记 " + channel, channel));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("id=\"channel-error\">[^<]+<", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("leader")]
    [InlineData("agency")]
    [InlineData("admin-sch")]
    public async Task UsersWithoutRegister_Get403_AndNoMenuLink(string who)
    {
        var client = app.SharedClientAs(who);
        var (page, _) = await client.GetHtmlAsync("/cases/new");
        using var post = await client.PostFormAsync("/cases/new", Form("x", "无权登记", "WalkIn"));
        var (_, ledger) = await client.GetHtmlAsync("/cases");

        Assert.Equal(HttpStatusCode.Forbidden, page);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.DoesNotContain("href=\"/cases/new\"", ledger);
    }

    private static (string, string)[] Form(
        string key, string title, string channel, long? meeting = null, string name = "张桂兰", string phone = "13912345678", bool anonymous = false) =>
    [
        ("key", key), ("channel", channel), ("meeting", meeting?.ToString(CultureInfo.InvariantCulture) ?? ""), ("orgUnit", "SCH-MJC-1"),
        .. anonymous ? new[] { ("anonymous", "true") } : [],
        ("name", name), ("phone", phone), ("address", "马家村一组村口"), ("category", "roads"), ("urgency", "High"),
        ("title", title), ("description", title + "：路面塌陷，车辆无法通行。"),
        // These tests register like matters again and again: past the likely-duplicates step (IntakeDuplicatesPageTests).
        ("confirmNew", "true"),
    ];

    private async Task<long> MeetingAsync(string unit, string title, DateTimeOffset? heldAt = null)
    {
        var townId = await app.UnitIdAsync("SCH");
        var unitId = await app.UnitIdAsync(unit);
        return await app.WithDbAsync(async db =>
        {
            var m = new Meeting(townId, unitId, MeetingKind.Deliberation, title, (heldAt ?? TaizhangApp.Start.AddHours(-3)).UtcDateTime);
            db.Meetings.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
    }

    private Task<(string Name, string? Phone)> ReporterAsync(long caseId) =>
        app.WithDbAsync(async db => await db.CaseReporters.Where(r => r.CaseId == caseId)
            .Select(r => new ValueTuple<string, string?>(r.Name, r.Phone)).SingleAsync());

    private static async Task<string> FormKeyAsync(HttpClient client)
    {
        var (status, html) = await client.GetHtmlAsync("/cases/new");
        Assert.Equal(HttpStatusCode.OK, status);
        return KeyOf(html);
    }

    private async Task<long> FindByTitleAsync(string title)
    {
        var page = await _town.ListAsync("q=" + Uri.EscapeDataString(title));
        return Assert.Single(page.ItemIds());
    }

    private static long[] MeetingIds(string html) =>
        Regex.Matches(Select(html, "meeting"), "<option value=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    private static string FormOf(string html)
    {
        var start = html.IndexOf("<form method=\"post\" action=\"/cases/new\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no form");
        return html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

    /// <summary>One select element of the form, by id.</summary>
    private static string Select(string html, string id)
    {
        var start = html.IndexOf($"<select id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no select {id}");
        return html[start..html.IndexOf("</select>", start, StringComparison.Ordinal)];
    }

    private static string KeyOf(string html) => KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no key field");

    private static string SittingOf(string html) => SittingPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no sitting field");

    /// <summary>The page's text as a reader sees it (Razor encodes non-ASCII characters).</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("name=\"key\" value=\"([^\"]*)\"")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("name=\"sitting\" value=\"([^\"]*)\"")]
    private static partial Regex SittingPattern();
}

public sealed class DeskPageTests_Sqlite(SqliteApp app) : DeskPageTests(app), IClassFixture<SqliteApp>;

public sealed class DeskPageTests_Postgres(PostgresApp app) : DeskPageTests(app), IClassFixture<PostgresApp>;
