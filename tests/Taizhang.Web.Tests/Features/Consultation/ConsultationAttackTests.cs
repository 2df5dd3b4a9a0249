using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Disclosures;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Tests.Features.Disclosures;
using Taizhang.Web.Tests.Features.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Consultation;

/// <summary>
/// Attacks on issue 15's consultation records that once got through, each now refused: a phone number
/// disguised in a public notice, one solved proof of work reused for objections on every disclosure,
/// and a vote left standing with more ballots than the attendance recorded again after it.
/// </summary>
public abstract class ConsultationAttackTests(TaizhangApp app)
{
    private HttpClient Cadre => app.SharedClientAs("cadre");

    private HttpClient Town => app.SharedClientAs("town");

    private async Task<long> ResolvedCaseAsync(string title)
    {
        var id = await Town.RegisterIdAsync(CaseApi.NewCase(title: title));
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await Town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已修好", publicReply = "路灯已全部修复。" });
        return id;
    }

    private async Task<long> DisclosureAsync(string title)
    {
        var id = await ResolvedCaseAsync(title + " " + Guid.NewGuid().ToString("N")[..6]);
        using var response = await Cadre.PostAsJsonAsync($"/api/v1/cases/{id}/disclosures", new { kind = "Result", title, body = "村内路灯已全部修复。" });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json["id"]!.GetValue<long>();
    }

    [Theory]
    [InlineData("请联系１３９１２３４５６７８了解详情")] // full-width digits
    [InlineData("请联系+8613912345678了解详情")] // the country code glued on
    [InlineData("请联系 86-139-1234-5678")]
    [InlineData("请联系 139.1234.5678")] // dots
    [InlineData("请联系 139  1234  5678")] // two spaces
    [InlineData("请联系 １３９ １２３４ ５６７８")]
    public async Task AMobileNumberInDisguise_InADisclosure_IsRefused_AndNothingIsSaved(string body)
    {
        var id = await ResolvedCaseAsync("号码伪装 " + Guid.NewGuid().ToString("N")[..6]);
        var before = await Town.SnapshotAsync(id);
        var count = await app.WithDbAsync(db => db.Set<Disclosure>().CountAsync());

        var problem = await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = "结果", body }, "body");
        Assert.Contains("电话号码", problem.Errors()["body"]![0]!.GetValue<string>());
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = body, body = "内容" }, "title");

        await Town.AssertUnchangedAsync(id, before);
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Disclosure>().CountAsync()));
    }

    [Fact]
    public async Task AnOfficeLandline_AndOrdinaryFigures_InADisclosure_AreAccepted()
    {
        var id = await ResolvedCaseAsync("座机 " + Guid.NewGuid().ToString("N")[..6]);
        using var response = await Cadre.PostAsJsonAsync($"/api/v1/cases/{id}/disclosures",
            new { kind = "Result", title = "结果", body = "监督电话 0932-4567890；共 13 户 45 人，投资 1,350,000 元，2026-12-01 完工。" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task OneSolvedChallenge_WithTheSameFormKey_DoesNotObjectToASecondDisclosure()
    {
        var first = await DisclosureAsync("重放一");
        var second = await DisclosureAsync("重放二");
        var client = app.AnonymousClient();
        var challenge = (await client.GetFromJsonAsync<JsonObject>("/api/v1/public/reports/challenge"))!["challenge"]!.GetValue<string>();
        var solution = ProofOfWork.Solve(challenge);
        var key = Guid.NewGuid().ToString("N");

        async Task<HttpResponseMessage> ObjectAsync(long disclosure)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/public/disclosures/{disclosure}/objections")
            {
                Content = JsonContent.Create(new { text = "有意见", challenge, solution }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        using (var ok = await ObjectAsync(first))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        // The same form sent again: the first answer, no second objection.
        using (var again = await ObjectAsync(first))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }
        var count = await app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync());
        using (var replayed = await ObjectAsync(second))
        {
            var problem = await replayed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey("form"), problem.ToJsonString());
        }
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync(o => o.DisclosureId == second)));
    }

    [Fact]
    public async Task RecordingAttendanceAgain_BelowAVoteAlreadyRecorded_IsRefused_AndTheVoteStays()
    {
        var body = await Cadre.BodyAsync("SCH-MJC", 5);
        var road = await Town.TopicAsync("重新点名 " + Guid.NewGuid().ToString("N")[..6]);
        var meeting = await Cadre.PlanAsync(bodyId: body.Id());
        var id = meeting.Id();
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = road.Id() });
        var members = meeting.Seqs();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = members.Take(4).ToArray() });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Vote", text = "同意", @for = 4, against = 0, abstain = 0 });
        var before = await Cadre.MeetingTextAsync(id);

        // Attendance recorded again with two present: the four ballots would stand against two people.
        using var response = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{id}/hold", new { present = members.Take(2).ToArray() });
        var problem = await response.ReadJsonAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, problem.ToJsonString());
        Assert.Equal(before, await Cadre.MeetingTextAsync(id));
        var after = await Cadre.GetMeetingAsync(id);
        Assert.Equal(4, after["present"]!.GetValue<int>());
        Assert.Equal("passed", after.Item(1)["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task AttendanceCorrected_SoThatAVoteNoLongerPasses_IsRecordedAgainOnTheCase()
    {
        var body = await Cadre.BodyAsync("SCH-MJC", 5);
        var road = await Town.TopicAsync("更正到会 " + Guid.NewGuid().ToString("N")[..6]);
        var id = (await Cadre.PlanAsync(bodyId: body.Id())).Id();
        var meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = road.Id() });
        var members = meeting.Seqs();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = members.Take(3).ToArray() });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Vote", text = "同意", @for = 2, against = 0, abstain = 0 });
        Assert.Equal("passed", meeting.Item(1)["verdict"]!.GetValue<string>());
        Assert.True((await Town.GetCaseAsync(road.Id())).LastEvent()["payload"]!["passed"]!.GetValue<bool>());

        // Four were there after all: two for out of four present is not more than half.
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = members.Take(4).ToArray() });
        Assert.NotEqual("passed", meeting.Item(1)["verdict"]!.GetValue<string>());
        var last = (await Town.GetCaseAsync(road.Id())).LastEvent();
        Assert.Equal("DeliberationOutcome", last["action"]!.GetValue<string>());
        Assert.False(last["payload"]!["passed"]!.GetValue<bool>());

        // Recorded again with nothing changed for the vote: no further event.
        var events = (await Town.GetCaseAsync(road.Id())).EventActions().Length;
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = members.Take(4).ToArray() });
        Assert.Equal(events, (await Town.GetCaseAsync(road.Id())).EventActions().Length);
    }

    [Fact]
    public async Task AnInvitedPartnerUnit_ReadsTheMeeting_ButNotTheTrackingCodesOrIdsOfCasesItCannotSee()
    {
        var road = await Town.TopicAsync("受邀单位 " + Guid.NewGuid().ToString("N")[..6]);
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }, new { role = "PartnerUnit", name = "张调解", unit = "SCH-SFS" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = road.Id() });
        var code = road.TrackingCode();
        var agency = app.SharedClientAs("agency");
        Assert.Equal(HttpStatusCode.NotFound, (await agency.GetAsync($"/api/v1/cases/{road.Id()}")).StatusCode);

        var meeting = await agency.GetMeetingAsync(id);
        var item = meeting.Item(1);
        Assert.Equal(road["title"]!.GetValue<string>(), item["title"]!.GetValue<string>());
        Assert.Null(item["trackingCode"]);
        Assert.Null(item["caseId"]);
        Assert.DoesNotContain(code, meeting.ToJsonString());
        foreach (var url in new[] { $"/meetings/{id}", $"/meetings/{id}/print" })
        {
            var (status, html) = await agency.GetHtmlAsync(url);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain(code, html);
            Assert.DoesNotContain($"/cases/{road.Id()}\"", html);
        }
        // The meeting's own village still sees its case on the agenda.
        Assert.Equal(code, (await Cadre.GetMeetingAsync(id)).Item(1)["trackingCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task APhoneNumberInTheMeetingsTitle_NeverReachesThePublicPage()
    {
        var title = "村道议题 " + Guid.NewGuid().ToString("N")[..6];
        var caseId = await Town.RegisterIdAsync(CaseApi.NewCase(title: title));
        await Town.DoAsync(caseId, "triage", new { track = "Topic" });
        await Town.DoAsync(caseId, "deliberate", new { });
        var meetingId = await app.WithDbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "SCH-MJC");
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var m = Taizhang.Domain.Meetings.Meeting.Plan(unit.TownId!.Value, unit.Id, Taizhang.Domain.Meetings.MeetingKind.Deliberation,
                "议事会（联系人１３９ １２３４ ５６７８）", now.AddHours(-3), "村委会", "马主任", null, 0, null, "town", now.AddHours(-4));
            foreach (var name in new[] { "王大成", "李小红", "赵四海" })
            {
                m.AddParticipant(Taizhang.Domain.Meetings.ParticipantRole.Member, name, null, null, null, now);
            }
            m.AddAgendaItem(caseId, title, Taizhang.Domain.Meetings.AgendaSource.Residents, now);
            m.Hold([1, 2, 3], null, null, now.AddHours(-3), now);
            m.RecordOutcome(1, Taizhang.Domain.Meetings.AgendaOutcomeKind.Vote, "同意", 3, 0, 0, now);
            m.SaveMinutes("同意。", now);
            m.ConfirmMinutes("马主任", [1], now);
            db.Meetings.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
        using (var published = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/1/disclosures", new { title = "关于村道的决定", body = "同意。" }))
        {
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        }

        var (_, html) = await app.AnonymousClient().GetHtmlAsync("/public/SCH-MJC");
        var json = await (await app.AnonymousClient().GetAsync("/api/v1/public/disclosures/SCH-MJC")).Content.ReadAsStringAsync();
        Assert.Contains("关于村道的决定", html);
        foreach (var text in new[] { html, json })
        {
            Assert.DoesNotContain("５６７８", text);
            Assert.DoesNotContain("\\uFF15\\uFF16\\uFF17\\uFF18", text);
            Assert.DoesNotContain("１２３４", text);
            Assert.DoesNotContain("\\uFF11\\uFF12\\uFF13\\uFF14", text);
            Assert.DoesNotContain("139 1234", text);
            Assert.DoesNotContain("5678）", text);
        }
    }

    [Fact]
    public async Task ATopicTitleLikeAFormula_StaysTextInTheTopicLedgerExport()
    {
        var title = "=HYPERLINK(\"http://evil.example\",\"点此\") " + Guid.NewGuid().ToString("N")[..6];
        var topic = await Town.TopicAsync(title);
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = topic.Id() });

        using var response = await Town.GetAsync("/api/v1/topics/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sheet = Cases.ExportLedgerTests.Workbook.Read(await response.Content.ReadAsByteArrayAsync());
        var row = sheet.RowWhere(2, title);
        var cell = sheet.Cell(row, 2);
        Assert.Null(cell.CellFormula);
        Assert.True(sheet.Format(cell).QuotePrefix?.Value);
        Assert.DoesNotContain(sheet.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.CellFormula>(), _ => true);
    }

    [Fact]
    public async Task OnThePublicPage_AfterOneObjection_AnotherNoticesFormOnTheAnswerPage_StillWorks()
    {
        var first = await DisclosureAsync("页面两条一");
        var second = await DisclosureAsync("页面两条二");
        var client = app.AnonymousClient();
        var (_, html) = await client.GetHtmlAsync("/public/SCH-MJC");

        static string Value(string html, string name) =>
            WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, $"""name="{name}"[^>]*?value="([^"]*)" """.TrimEnd()).Groups[1].Value);
        (string, string)[] Fields(string page, long disclosure, string text)
        {
            var challenge = Value(page, "challenge");
            return [("__RequestVerificationToken", Value(page, "__RequestVerificationToken")), ("disclosure", disclosure.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("key", Value(page, "key")), ("challenge", challenge), ("solution", ProofOfWork.Solve(challenge)), ("website", ""), ("text", text)];
        }

        using var ok = await client.PostFormAsync("/public/SCH-MJC?handler=Object", Fields(html, first, "第一条意见"));
        var answerPage = await ok.Content.ReadAsStringAsync();
        Assert.Contains("已收到您的异议", answerPage);
        // The page that says 已收到 carries the other notice's form: a resident objects to it too.
        using var next = await client.PostFormAsync("/public/SCH-MJC?handler=Object", Fields(answerPage, second, "第二条意见"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains("已收到您的异议", await next.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync(o => o.DisclosureId == second)));
    }
}

public sealed class ConsultationAttackTests_Sqlite(DisclosureSqliteApp app) : ConsultationAttackTests(app), IClassFixture<DisclosureSqliteApp>;

public sealed class ConsultationAttackTests_Postgres(DisclosurePostgresApp app) : ConsultationAttackTests(app), IClassFixture<DisclosurePostgresApp>;
