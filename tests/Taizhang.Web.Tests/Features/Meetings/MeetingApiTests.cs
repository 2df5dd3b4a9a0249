using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Meetings;

/// <summary>A meeting's life over HTTP: body, plan, agenda from the ledger, attendance, outcomes moving the cases on, minutes, confirmation, amendment, publication; the refusals; who sees and who runs it.</summary>
public abstract class MeetingApiTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");
    private HttpClient Cadre => app.SharedClientAs("cadre");

    [Fact]
    public async Task AMeeting_FromPlanToPublication_MovesItsTopicsOnAsEventsOnTheCases()
    {
        var body = await Cadre.BodyAsync("SCH-MJC", 5);
        Assert.Equal(5, body["activeMembers"]!.GetValue<int>());
        var road = await Town.TopicAsync("村道硬化");
        var water = await Town.TopicAsync("自来水入户");

        var meeting = await Cadre.PlanAsync(bodyId: body.Id(), guests: [new { role = "PartnerUnit", name = "张调解", post = "调解员", unit = "SCH-SFS" },
            new { role = "TownOfficial", name = "李副书记", post = "镇党委副书记" }]);
        var id = meeting.Id();
        Assert.Equal("Planned", meeting["status"]!.GetValue<string>());
        Assert.Equal(5, meeting["expected"]!.GetValue<int>());
        Assert.Equal(7, meeting["participants"]!.AsArray().Count);
        Assert.Equal("deliberation-council", meeting["rule"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(meeting["rule"]!["text"]!.GetValue<string>()));

        // The agenda from the ledger: by tracking code and by id; each case goes into deliberation with an event.
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { trackingCode = road.TrackingCode() });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = water.Id() });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { title = "村规民约修订", source = "Cadres" });
        Assert.Equal(3, meeting["agenda"]!.AsArray().Count);
        var roadCase = await Town.GetCaseAsync(road.Id());
        Assert.Equal("Deliberating", roadCase.Status());
        Assert.Equal("Deliberate", roadCase.EventActions()[^1]);
        Assert.Equal(id, roadCase.LastEvent()["payload"]!["meetingId"]!.GetValue<long>());
        Assert.Equal("Deliberating", meeting.Item(1)["caseStatus"]!.GetValue<string>());

        var members = meeting.Seqs();
        var guest = meeting.Seqs("PartnerUnit")[0];
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = new[] { members[0], members[1], members[2], guest } });
        Assert.Equal("Held", meeting["status"]!.GetValue<string>());
        Assert.Equal(3, meeting["present"]!.GetValue<int>());
        Assert.Equal(0.6m, meeting["ratio"]!.GetValue<decimal>());
        Assert.True(meeting["quorate"]!.GetValue<bool>());

        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Vote", text = "同意硬化", @for = 3, against = 0, abstain = 0 });
        Assert.Equal("passed", meeting.Item(1)["verdict"]!.GetValue<string>());
        Assert.Equal("通过", meeting.Item(1)["verdictText"]!.GetValue<string>());
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/2/outcome", new { kind = "Opinion", text = "先摸底再定" });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/3/outcome", new { kind = "Deferred" });
        roadCase = await Town.GetCaseAsync(road.Id());
        Assert.Equal("DeliberationOutcome", roadCase.EventActions()[^1]);
        var payload = roadCase.LastEvent()["payload"]!;
        Assert.Equal(3, payload["votesFor"]!.GetValue<int>());
        Assert.True(payload["passed"]!.GetValue<bool>());
        Assert.Equal("DeliberationOutcome", (await Town.GetCaseAsync(water.Id())).EventActions()[^1]);

        meeting = await Cadre.OkAsync(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes", new { minutes = "一、村道硬化：表决通过。二、自来水：先摸底。" });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/confirm", new { signed = new[] { members[0], members[1] } });
        Assert.Equal("MinutesConfirmed", meeting["status"]!.GetValue<string>());
        Assert.Equal("马家村干部", meeting["minutesConfirmedBy"]!.GetValue<string>());
        Assert.Equal(2, meeting["participants"]!.AsArray().Count(p => p!["signedAt"] is not null));

        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/amendments", new { minutes = "一、村道硬化：表决通过，年底前完工。", reason = "补记完工时间" });
        var amendment = meeting["amendments"]!.AsArray().Single()!;
        Assert.Equal("一、村道硬化：表决通过。二、自来水：先摸底。", amendment["before"]!.GetValue<string>());
        Assert.Equal("一、村道硬化：表决通过，年底前完工。", amendment["after"]!.GetValue<string>());

        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{id}/publish");
        Assert.Equal("Published", meeting["status"]!.GetValue<string>());
        Assert.NotNull(meeting["publishedAt"]);

        // The list finds it, newest first, with the filters.
        var list = await Cadre.OkAsync(HttpMethod.Get, "/api/v1/meetings?unit=SCH-MJC&status=Published&kind=Deliberation&from=2026-11-26&to=2026-11-26");
        Assert.Contains(id, list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        var none = await Cadre.OkAsync(HttpMethod.Get, "/api/v1/meetings?unit=SCH-MJC&from=2026-11-27");
        Assert.DoesNotContain(id, none["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task ResolvedAtTheMeeting_ResolvesTheCase_AndDeferred_SendsItBackToTheLedger()
    {
        var a = await Town.TopicAsync("路灯维修");
        var b = await Town.TopicAsync("垃圾清运");
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }, new { role = "Member", name = "乙" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = a.Id() });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = b.Id() });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = new[] { 1, 2 } });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "ResolvedAtMeeting", text = "当场协调电工修好" });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/2/outcome", new { kind = "Deferred", text = "下次再议" });
        var resolved = await Town.GetCaseAsync(a.Id());
        Assert.Equal("Resolved", resolved.Status());
        Assert.Equal(["DeliberationOutcome", "Resolve"], resolved.EventActions()[^2..]);
        Assert.Equal("Ledgered", (await Town.GetCaseAsync(b.Id())).Status());
    }

    [Fact]
    public async Task Refusals_AreFieldErrors_AndChangeNothing()
    {
        var topic = await Town.TopicAsync("修桥");
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }, new { role = "Member", name = "乙" }, new { role = "Member", name = "丙" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { caseId = topic.Id() });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = new[] { 1, 2 } });
        var before = await Cadre.MeetingTextAsync(id);
        var caseBefore = await Town.SnapshotAsync(topic.Id());

        async Task Refused(HttpMethod method, string url, object body, string field)
        {
            using var response = await Cadre.SendJsonAsync(method, url, body);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey(field), problem.ToJsonString());
            Assert.Equal(before, await Cadre.MeetingTextAsync(id));
            await Town.AssertUnchangedAsync(topic.Id(), caseBefore);
        }

        // More ballots than members present.
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Vote", @for = 2, against = 1, abstain = 0 }, "vote");
        // The same case twice; an unknown case; nothing at all.
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/agenda", new { caseId = topic.Id() }, "caseId");
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/agenda", new { trackingCode = "ZZZZ-ZZZZ" }, "trackingCode");
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/agenda", new { }, "title");
        // A case not in the ledger (a direct case) cannot go before a meeting.
        var direct = await Town.RegisterIdAsync(CaseApi.NewCase(title: "直接办理的事"));
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/agenda", new { caseId = direct }, "caseId");
        // A partner guest without the unit.
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/participants", new { role = "PartnerUnit", name = "某人" }, "unit");

        // Minutes changed after confirmation.
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Opinion", text = "同意" });
        await Cadre.OkAsync(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes", new { minutes = "记录" });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/confirm", new { signed = new[] { 1 } });
        before = await Cadre.MeetingTextAsync(id);
        caseBefore = await Town.SnapshotAsync(topic.Id());
        await Refused(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes", new { minutes = "偷偷改了" }, "minutes");
        await Refused(HttpMethod.Post, $"/api/v1/meetings/{id}/amendments", new { minutes = "改了", reason = "" }, "reason");
    }

    [Fact]
    public async Task AnAbsentSigner_AndAVoteAtAForum_AreRefused()
    {
        var id = (await Cadre.PlanAsync(kind: "Forum", guests: [new { role = "Member", name = "甲" }, new { role = "Member", name = "乙" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda", new { title = "听取意见" });
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = new[] { 1 } });
        var before = await Cadre.MeetingTextAsync(id);
        using (var vote = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Vote", @for = 1, against = 0, abstain = 0 }))
        {
            Assert.True((await vote.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("vote"));
        }
        Assert.Equal(before, await Cadre.MeetingTextAsync(id));
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/agenda/1/outcome", new { kind = "Opinion", text = "意见汇总" });
        await Cadre.OkAsync(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes", new { minutes = "座谈记录" });
        before = await Cadre.MeetingTextAsync(id);
        using (var confirm = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{id}/confirm", new { signed = new[] { 2 } }))
        {
            Assert.True((await confirm.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("signed"));
        }
        Assert.Equal(before, await Cadre.MeetingTextAsync(id));
    }

    [Fact]
    public async Task AnAgendaItemFromAnotherTown_IsRefused_EvenForSomeoneWhoSeesBothTowns()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "T" + suffix;
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "河口镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town + "-V", name = "东村", kind = "Village", parent = town })).StatusCode);
        var userName = "county-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "县里的人", password = TaizhangApp.Password, posts = new[] { new { role = "TownStaff", unit = "ZX" } },
        })).StatusCode);
        var both = await app.SignInClientAsync(userName, TaizhangApp.Password);
        var there = await both.TopicAsync("河口镇的议题", town + "-V");
        var id = (await both.PlanAsync()).Id();
        var before = await both.MeetingTextAsync(id);
        using var response = await both.PostAsJsonAsync($"/api/v1/meetings/{id}/agenda", new { caseId = there.Id() });
        Assert.True((await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("caseId"));
        Assert.Equal(before, await both.MeetingTextAsync(id));
        Assert.Equal("Ledgered", (await both.GetCaseAsync(there.Id())).Status());
    }

    [Fact]
    public async Task AConcurrentChange_Is409()
    {
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }])).Id();
        await Cadre.PostOkAsync($"/api/v1/meetings/{id}/hold", new { present = new[] { 1 } });
        var version = (await Cadre.GetMeetingAsync(id))["version"]!.GetValue<int>();
        using (var first = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes") { Content = JsonContent.Create(new { minutes = "第一稿" }) })
        {
            first.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
            Assert.Equal(HttpStatusCode.OK, (await Cadre.SendAsync(first)).StatusCode);
        }
        using var second = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/meetings/{id}/minutes") { Content = JsonContent.Create(new { minutes = "另一稿" }) };
        second.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        using var response = await Cadre.SendAsync(second);
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "concurrent-change");
        Assert.Equal("第一稿", (await Cadre.GetMeetingAsync(id))["minutes"]!.GetValue<string>());
    }

    [Fact]
    public async Task RaisedAtTheMeeting_RegistersOnce_LinkedToTheMeeting_AndGoesOnTheAgendaWhenAsked()
    {
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }])).Id();
        var body = new { title = "三组水渠堵塞", description = "三组的水渠被垃圾堵了，浇地困难。", reporter = new { name = "赵大爷", phone = "13811112222" }, putOnAgenda = true };
        JsonObject first, second;
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/meetings/{id}/raised") { Content = JsonContent.Create(body) })
        {
            request.Headers.Add("Idempotency-Key", "meeting-raised-1");
            using var response = await Cadre.SendAsync(request);
            first = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/meetings/{id}/raised") { Content = JsonContent.Create(body) })
        {
            request.Headers.Add("Idempotency-Key", "meeting-raised-1");
            using var response = await Cadre.SendAsync(request);
            second = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var caseId = first["case"]!["id"]!.GetValue<long>();
        Assert.Equal(caseId, second["case"]!["id"]!.GetValue<long>());
        var meeting = await Cadre.GetMeetingAsync(id);
        var item = meeting["agenda"]!.AsArray().Single()!;
        Assert.Equal(caseId, item["caseId"]!.GetValue<long>());
        Assert.Equal("RaisedAtMeeting", item["source"]!.GetValue<string>());
        var c = await Town.GetCaseAsync(caseId);
        Assert.Equal("Meeting", c["channel"]!.GetValue<string>());
        Assert.Equal(id, c["meetingId"]!.GetValue<long>());

        // Without putOnAgenda, the matter is registered only.
        var other = await Cadre.OkAsync(HttpMethod.Post, $"/api/v1/meetings/{id}/raised", new { title = "路灯不亮", description = "村口路灯不亮。", anonymous = true },
            HttpStatusCode.Created);
        Assert.Single((await Cadre.GetMeetingAsync(id))["agenda"]!.AsArray());
        Assert.Equal("Registered", other["case"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scope_OtherVillage404_InvitedPartnerAndListedMemberRead_LeaderReadsButCannotRun()
    {
        var admin = app.ClientAs("admin-sch");
        var created = await admin.OkAsync(HttpMethod.Post, "/api/v1/admin/users", new
        {
            userName = "wjc-member-" + Guid.NewGuid().ToString("N")[..6], displayName = "王家村议事会成员", password = TaizhangApp.Password,
            posts = new[] { new { role = "Member", unit = "SCH-WJC-1" } },
        }, HttpStatusCode.Created);
        var memberId = created.Id();
        var member = await app.SignInClientAsync(created["userName"]!.GetValue<string>(), TaizhangApp.Password);

        var body = await Cadre.BodyAsync("SCH-MJC", 3, memberUserId: memberId);
        var id = (await Cadre.PlanAsync(bodyId: body.Id(), guests: [new { role = "PartnerUnit", name = "张调解", unit = "SCH-SFS" }])).Id();
        var unlisted = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }])).Id();

        var otherVillage = app.SharedClientAs("cadre-wjc");
        Assert.Equal(HttpStatusCode.NotFound, (await otherVillage.GetAsync($"/api/v1/meetings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherVillage.PostAsJsonAsync($"/api/v1/meetings/{id}/hold", new { present = Array.Empty<int>() })).StatusCode);
        Assert.DoesNotContain(id, (await otherVillage.OkAsync(HttpMethod.Get, "/api/v1/meetings"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));

        var agency = app.SharedClientAs("agency");
        Assert.Equal(HttpStatusCode.OK, (await agency.GetAsync($"/api/v1/meetings/{id}")).StatusCode);
        Assert.Contains(id, (await agency.OkAsync(HttpMethod.Get, "/api/v1/meetings"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.NotFound, (await agency.GetAsync($"/api/v1/meetings/{unlisted}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.PostAsJsonAsync($"/api/v1/meetings/{id}/hold", new { present = Array.Empty<int>() })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/v1/meetings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/v1/meetings/{unlisted}")).StatusCode);

        var leader = app.SharedClientAs("leader");
        var before = await leader.MeetingTextAsync(id);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/v1/meetings/{id}/hold", new { present = Array.Empty<int>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync("/api/v1/meetings", new { kind = "Forum", unit = "SCH", title = "x", at = TaizhangApp.Start })).StatusCode);
        Assert.Equal(before, await leader.MeetingTextAsync(id));

        // A village cadre plans only their village's meetings; the town office the town's.
        using var elsewhere = await Cadre.PostAsJsonAsync("/api/v1/meetings", new { kind = "Forum", unit = "SCH-WJC", title = "x", at = TaizhangApp.Start });
        Assert.True((await elsewhere.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("unit"));
        await Town.PlanAsync(unit: "SCH", kind: "ConcentratedHandling");
    }

    [Fact]
    public async Task Attachments_AreStoredAndServed_ARefusedFileStoresNothing()
    {
        var id = (await Cadre.PlanAsync()).Id();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Png(40, 30)), "file", "签到表.png" } })
        {
            using var response = await Cadre.PostAsync($"/api/v1/meetings/{id}/attachments", form);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var meeting = await Cadre.GetMeetingAsync(id);
        var attachment = meeting["attachments"]!.AsArray().Single()!;
        using (var download = await Cadre.GetAsync(attachment["url"]!.GetValue<string>()))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        }
        var files = Directory.Exists(app.AttachmentsDirectory) ? Directory.GetFiles(app.AttachmentsDirectory, "*", SearchOption.AllDirectories).Length : 0;
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestFiles.Exe()), "file", "x.exe" } })
        {
            using var response = await Cadre.PostAsync($"/api/v1/meetings/{id}/attachments", form);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Single((await Cadre.GetMeetingAsync(id))["attachments"]!.AsArray());
        Assert.Equal(files, Directory.GetFiles(app.AttachmentsDirectory, "*", SearchOption.AllDirectories).Length);
        // Someone who does not see the meeting gets 404 for its files too.
        Assert.Equal(HttpStatusCode.NotFound, (await app.SharedClientAs("cadre-wjc").GetAsync(attachment["url"]!.GetValue<string>())).StatusCode);
    }
}

public sealed class MeetingApiTests_Sqlite(SqliteApp app) : MeetingApiTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingApiTests_Postgres(PostgresApp app) : MeetingApiTests(app), IClassFixture<PostgresApp>;
