using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// The case page (/cases/{id}) as a browser without JavaScript uses it: what it shows, which
/// forms it offers, and what posting them does, checked against the API.
/// </summary>
public abstract partial class CasePageTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    private const string Phone = "13912345678";
    private const string MaskedPhone = "139****5678";

    [Fact]
    public async Task Page_ShowsTheFieldsMaskedPhoneAndTimelineSentences()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村口路灯不亮", category: "infrastructure", phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", urgency = "High", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(id, "return", new { reason = "不属于村里的事，请镇里安排" });
        var api = await _town.GetCaseAsync(id);

        var (status, raw) = await _town.GetHtmlAsync($"/cases/{id}");
        var html = Decode(raw);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("村口路灯不亮", html);
        Assert.Contains(api.TrackingCode(), html);
        Assert.Contains(">已退回<", html);
        Assert.Contains(">小事项即办<", html);
        Assert.Contains(">较急<", html);
        Assert.Contains(">基础设施<", html);
        Assert.Contains(">马家村<", html);
        Assert.Contains(">投诉电话<", html);
        Assert.Contains("2026-11-26 10:00", html);
        // Town staff may handle the case: the name shows, the phone stays masked until asked for.
        Assert.Contains("张桂兰", html);
        Assert.Contains(MaskedPhone, html);
        Assert.DoesNotContain(Phone, html);
        var timeline = Timeline(html);
        Assert.Equal(4, timeline.Length);
        Assert.Equal("2026-11-26 10:00 镇办受理员 登记了事项（投诉电话）", timeline[0]);
        Assert.StartsWith("2026-11-26 10:00 镇办受理员 分流为小事项即办（较急），类别：基础设施，办理期限：", timeline[1]);
        Assert.Equal("2026-11-26 10:00 镇办受理员 交办给 马家村", timeline[2]);
        Assert.Equal("2026-11-26 10:00 镇办受理员 退回：不属于村里的事，请镇里安排", timeline[3]);
    }

    [Fact]
    public async Task Page_InEnglish_SaysTheTimelineInEnglish()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/cases/{id}");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await _town.SendAsync(request);
        var html = Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timeline = Timeline(html);
        Assert.Equal("2026-11-26 10:00 镇办受理员 registered the case (Hotline)", timeline[0]);
        Assert.Equal("2026-11-26 10:00 镇办受理员 assigned it to 马家村", timeline[2]);
        Assert.Contains(">Triage<", html.Replace("\n", "").Replace(" ", ""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("leader")]
    [InlineData("operator")]
    [InlineData("cadre")]
    public async Task Page_OffersExactlyTheAvailableActions(string who)
    {
        var assigned = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(assigned, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var resolved = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(resolved, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(resolved, "resolve", new { outcome = "Solved", result = "已更换灯泡" });
        var client = app.SharedClientAs(who);

        foreach (var id in new[] { assigned, resolved })
        {
            var expected = (await client.GetCaseAsync(id))["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
            var (status, html) = await client.GetHtmlAsync($"/cases/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            // Each action's form in the actions column; attachments have theirs beside their list.
            var elsewhere = Taizhang.Web.Pages.Cases.DetailModel.ElsewhereActions.Select(a => a.ToString()).ToHashSet();
            Assert.Equal(expected.Where(a => !elsewhere.Contains(a)), Offered(html));
            foreach (var action in expected.Where(a => !elsewhere.Contains(a) || a == "AddAttachment"))
            {
                Assert.Contains($"action=\"/cases/{id}?handler={action}\"", html);
            }
            var mayReveal = who is "town" or "cadre";
            Assert.Equal(mayReveal, html.Contains("handler=Reveal", StringComparison.Ordinal));
        }
        // What each post may do, as the permission table says.
        var onAssigned = Offered((await client.GetHtmlAsync($"/cases/{assigned}")).Html);
        var onResolved = Offered((await client.GetHtmlAsync($"/cases/{resolved}")).Html);
        switch (who)
        {
            case "town":
                Assert.Equal(["Start", "Resolve", "Return", "Transfer", "Merge", "AddReporter"], onAssigned);
                Assert.Equal(["FollowUp", "Reopen", "AddReporter"], onResolved);
                break;
            case "leader":
                Assert.Empty(onAssigned);
                Assert.Equal(["Reopen"], onResolved);
                break;
            case "operator":
                // Operators register calls; adding a reporter is for those who may reveal the reporters.
                Assert.Empty(onAssigned);
                Assert.Empty(onResolved);
                break;
        }
    }

    [Fact]
    public async Task Timeline_SaysSuspensionsResumesAndReopensCleanly()
    {
        var cadre = app.SharedClientAs("cadre");
        var start = app.Clock.GetUtcNow();
        try
        {
            // An approval whose note only repeats the sentence, of a request typed with its full stop.
            var brief = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
            await _town.DoAsync(brief, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await cadre.DoAsync(brief, "request-suspension", new { reason = "等待法院判决。" });
            await _town.DoAsync(brief, "decide-suspension", new { approve = true, note = "同意挂起。" });
            // Resumed the same day (on the page): the due date did not move, and neither the notice nor the timeline says it did.
            var due = (await _town.GetCaseAsync(brief))["dueDate"]!.GetValue<string>();
            using (var resumed = await _town.PostFormAsync($"/cases/{brief}/deadlines?handler=Resume", ("Resume.Note", "")))
            {
                Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
            }
            Assert.Equal(due, (await _town.GetCaseAsync(brief))["dueDate"]!.GetValue<string>());
            var page = Decode((await _town.GetHtmlAsync($"/cases/{brief}")).Html);
            Assert.Contains($"<p class=\"notice\" role=\"status\">已恢复计时，办理期限仍为 {due}。</p>", page);
            var timeline = Timeline(page);
            Assert.EndsWith("镇办受理员 同意挂起（等待法院判决），暂停计时", timeline[^2]);
            Assert.EndsWith($"镇办受理员 恢复计时，办理期限仍为 {due}", timeline[^1]);

            // A note of its own is kept; three days suspended move the due date.
            var longer = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
            await _town.DoAsync(longer, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await cadre.DoAsync(longer, "request-suspension", new { reason = "等待鉴定结果" });
            await _town.DoAsync(longer, "decide-suspension", new { approve = true, note = "请做好安全警示" });
            app.Clock.SetUtcNow(start.AddDays(3));
            await _town.DoAsync(longer, "resume", new { note = "鉴定已出" });
            var moved = (await _town.GetCaseAsync(longer))["dueDate"]!.GetValue<string>();
            timeline = Timeline((await _town.GetHtmlAsync($"/cases/{longer}")).Html);
            Assert.EndsWith("镇办受理员 同意挂起（等待鉴定结果），暂停计时。说明：请做好安全警示", timeline[^2]);
            Assert.EndsWith($"镇办受理员 恢复计时，办理期限顺延至 {moved}。说明：鉴定已出", timeline[^1]);

            // A reopen says its new due date.
            var reopened = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
            await _town.DoAsync(reopened, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await _town.DoAsync(reopened, "resolve", new { outcome = "Explained", result = "已向群众解释" });
            await app.SharedClientAs("leader").DoAsync(reopened, "reopen", new { reason = "解释不充分，请继续办理。" });
            var newDue = (await _town.GetCaseAsync(reopened))["dueDate"]!.GetValue<string>();
            Assert.EndsWith($"镇党委书记 重新办理：解释不充分，请继续办理；新的办理期限：{newDue}",
                Timeline((await _town.GetHtmlAsync($"/cases/{reopened}")).Html)[^1]);
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }

    [Fact]
    public async Task Page_ActionsColumn_PointsToTheDeadlineSection_AndSaysNoActionsOnlyWhenThereAreNone()
    {
        // A walk-through: the leader's 办理操作 said there was nothing to do, beside a deadline section offering 督办 and 催办.
        var leader = app.SharedClientAs("leader");
        var assigned = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(assigned, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var html = (await leader.GetHtmlAsync($"/cases/{assigned}")).Html;
        var aside = Aside(html);
        Assert.Empty(Offered(aside));
        Assert.Contains("data-deadline-action=\"Supervise\"", html);
        Assert.DoesNotContain("data-hint=\"no-actions\"", aside);
        Assert.Contains("data-hint=\"actions-elsewhere\"", aside);
        Assert.Contains("<a href=\"#deadlines\">期限与督办</a>", Decode(aside));
        Assert.Contains("id=\"deadlines\"", html);

        // A handler with forms in the column gets neither message.
        var townAside = Aside((await _town.GetHtmlAsync($"/cases/{assigned}")).Html);
        Assert.NotEmpty(Offered(townAside));
        Assert.DoesNotContain("data-hint=", townAside);

        // Nothing anywhere on the page: the message says so.
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        html = (await leader.GetHtmlAsync($"/cases/{rejected}")).Html;
        aside = Aside(html);
        Assert.Contains("data-hint=\"no-actions\"", aside);
        Assert.Contains("您的岗位在事项当前状态下没有可执行的操作。", Decode(aside));
        Assert.DoesNotContain("actions-elsewhere", aside);
        Assert.DoesNotContain("data-deadline-action", html);
    }

    [Fact]
    public async Task Post_TriageAssignStartResolveFollowUp_RedirectsAndChangesTheCase()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        var page = $"/cases/{id}";

        await AssertRedirectAsync(_town, id, "Triage", page, ("Triage.Track", "Direct"), ("Triage.Urgency", "Normal"), ("Triage.Category", "water"), ("Triage.AssigneeUnit", ""));
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Triaged", c.Status());
        Assert.Equal("water", c["category"]!["code"]!.GetValue<string>());

        await AssertRedirectAsync(_town, id, "Assign", page, ("Assign.Unit", "SCH-MJC"));
        Assert.Equal("Assigned", (await _town.GetCaseAsync(id)).Status());
        Assert.Equal("SCH-MJC", (await _town.GetCaseAsync(id)).AssigneeCode());
        // The notice says what happened, once.
        var (_, after) = await _town.GetHtmlAsync(page);
        Assert.Contains("<p class=\"notice\" role=\"status\">已交办给 马家村</p>", Decode(after));
        Assert.DoesNotContain("已交办给 马家村", Decode((await _town.GetHtmlAsync(page)).Html));

        await AssertRedirectAsync(_town, id, "Start", page);
        Assert.Equal("InProgress", (await _town.GetCaseAsync(id)).Status());

        await AssertRedirectAsync(_town, id, "Resolve", page, ("Resolve.Outcome", "Solved"), ("Resolve.Result", "已恢复供水"));
        c = await _town.GetCaseAsync(id);
        Assert.Equal("Resolved", c.Status());
        Assert.Equal("已恢复供水", c["result"]!.GetValue<string>());

        await AssertRedirectAsync(_town, id, "FollowUp", page, ("FollowUp.Satisfaction", "Satisfied"), ("FollowUp.Note", "群众表示感谢"));
        c = await _town.GetCaseAsync(id);
        Assert.Equal("FollowedUp", c.Status());
        Assert.Equal("Satisfied", c["satisfaction"]!.GetValue<string>());

        var timeline = Timeline((await _town.GetHtmlAsync(page)).Html);
        Assert.Contains("镇办受理员 办结（已解决）：已恢复供水", timeline[^2]);
        Assert.EndsWith("镇办受理员 回访：满意。说明：群众表示感谢", timeline[^1]);
    }

    [Fact]
    public async Task Post_TopicTrack_TriageDeliberatePlanStart()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村道硬化", phone: Phone));
        var page = $"/cases/{id}";

        await AssertRedirectAsync(_town, id, "Triage", page, ("Triage.Track", "Topic"), ("Triage.Urgency", "Low"));
        Assert.Equal("Ledgered", (await _town.GetCaseAsync(id)).Status());
        await AssertRedirectAsync(_town, id, "Deliberate", page, ("Deliberate.MeetingId", ""));
        Assert.Equal("Deliberating", (await _town.GetCaseAsync(id)).Status());

        // The plan is made on the plan page (steps), linked from the case page's plan section.
        Assert.Contains($"href=\"/cases/{id}/plan\"", (await _town.GetHtmlAsync(page)).Html);
        using var refused = await _town.PostFormAsync($"/cases/{id}/plan?handler=Plan", ("Plan.Summary", ""), ("Plan.AssigneeUnit", "SCH-MJC"),
            ("Plan.Steps[0].Title", "修主路"), ("Plan.Steps[0].Unit", "SCH-MJC"), ("Plan.Steps[0].TargetDate", "2026-12-20"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = Decode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("<span class=\"field-error\" id=\"Plan_Summary-error\">必填。</span>", html);
        Assert.Contains("<option value=\"SCH-MJC\" selected=\"selected\">马家村</option>", html);
        Assert.Contains("value=\"修主路\"", html);

        using (var planned = await _town.PostFormAsync($"/cases/{id}/plan?handler=Plan", ("Plan.Summary", "村民议事会商定：先修主路"), ("Plan.AssigneeUnit", "SCH-MJC"),
                   ("Plan.Steps[0].Title", "修主路"), ("Plan.Steps[0].Unit", "SCH-MJC"), ("Plan.Steps[0].TargetDate", "2026-12-20"),
                   ("Plan.Steps[1].Title", ""), ("Plan.Steps[1].Unit", ""), ("Plan.Steps[1].TargetDate", "")))
        {
            Assert.True(planned.StatusCode == HttpStatusCode.Redirect, ErrorsIn(Decode(await planned.Content.ReadAsStringAsync())));
            Assert.Equal($"/cases/{id}#plan", planned.Headers.Location?.OriginalString);
        }
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Planned", c.Status());
        Assert.Equal("SCH-MJC", c.AssigneeCode());
        Assert.Equal("2026-12-20", c["dueDate"]!.GetValue<string>());
        await AssertRedirectAsync(_town, id, "Start", page);
        Assert.Equal("InProgress", (await _town.GetCaseAsync(id)).Status());

        var timeline = Timeline((await _town.GetHtmlAsync(page)).Html);
        Assert.EndsWith("提交协商议事", timeline[2]);
        Assert.Contains("制定办理计划（承办单位：马家村）", timeline[3]);
        Assert.Contains("村民议事会商定：先修主路", timeline[3]);
    }

    [Fact]
    public async Task Post_DeliberateAtAMeeting_NamesTheMeeting()
    {
        var townId = await app.UnitIdAsync("SCH");
        var villageId = await app.UnitIdAsync("SCH-MJC");
        var meetingId = await app.WithDbAsync(async db =>
        {
            var meeting = new Taizhang.Domain.Meetings.Meeting(townId, villageId, Taizhang.Domain.Meetings.MeetingKind.Deliberation,
                "马家村村民议事会（十一月）", TaizhangApp.Start.UtcDateTime);
            db.Meetings.Add(meeting);
            await db.SaveChangesAsync();
            return meeting.Id;
        });
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村道硬化", phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Topic" });
        var form = Decode((await _town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains($"<option value=\"{meetingId}\">马家村村民议事会（十一月）</option>", form);

        await AssertRedirectAsync(_town, id, "Deliberate", $"/cases/{id}", ("Deliberate.MeetingId", meetingId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal("Deliberating", (await _town.GetCaseAsync(id)).Status());
        Assert.EndsWith("提交会议「马家村村民议事会（十一月）」协商议事", Timeline((await _town.GetHtmlAsync($"/cases/{id}")).Html)[^1]);
    }

    [Fact]
    public async Task Post_RejectReopenAndAddReporter()
    {
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "要求报销私人债务", phone: Phone));
        await AssertRedirectAsync(_town, rejected, "Reject", $"/cases/{rejected}", ("Reject.Reason", "不属于受理范围"));
        var c = await _town.GetCaseAsync(rejected);
        Assert.Equal("Rejected", c.Status());
        Assert.Empty(Offered((await _town.GetHtmlAsync($"/cases/{rejected}")).Html));

        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(id, "resolve", new { outcome = "Explained", result = "已向群众解释" });
        // The leader reopens it on review.
        await AssertRedirectAsync(app.SharedClientAs("leader"), id, "Reopen", $"/cases/{id}", ("Reopen.Reason", "解释不充分，请继续办理"));
        c = await _town.GetCaseAsync(id);
        Assert.Equal("Reopened", c.Status());
        Assert.Equal(1, c["reopenCount"]!.GetValue<int>());

        // The clerk adds a caller; a malformed phone is refused next to the field, the name kept.
        var op = _town;
        using var refused = await op.PostFormAsync($"/cases/{id}?handler=AddReporter", ("AddReporter.Name", "王五"), ("AddReporter.Phone", "12"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = Decode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("id=\"AddReporter_Phone-error\">", html);
        Assert.Contains("<input id=\"AddReporter_Name\" name=\"AddReporter.Name\" value=\"王五\"", html);
        await AssertRedirectAsync(op, id, "AddReporter", $"/cases/{id}", ("AddReporter.Name", "王五"), ("AddReporter.Phone", "13700002222"));
        c = await _town.GetCaseAsync(id);
        Assert.Equal(2, c["reporters"]!.AsArray().Count);
        Assert.EndsWith("镇办受理员 增加反映人（共 2 位）", Timeline((await _town.GetHtmlAsync($"/cases/{id}")).Html)[^1]);
    }

    [Fact]
    public async Task Post_ReturnByAgency_GoesToTheLedgerWithANotice()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "邻里因排水沟发生争执", phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        var agency = app.SharedClientAs("agency");

        using var response = await agency.PostFormAsync($"/cases/{id}?handler=Return", ("Return.Reason", "属于村内事务，建议村委会调解"));

        // The agency no longer sees the case it handed back: to the ledger, not to a 404.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/cases", response.Headers.Location?.OriginalString);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Returned", c.Status());
        Assert.Equal("属于村内事务，建议村委会调解", c.LastEvent()["reason"]!.GetValue<string>());
        Assert.Contains("退回：属于村内事务，建议村委会调解", Timeline((await _town.GetHtmlAsync($"/cases/{id}")).Html)[^1]);
    }

    [Fact]
    public async Task Post_ReturnByVillage_StaysOnTheCase()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

        await AssertRedirectAsync(app.SharedClientAs("cadre"), id, "Return", $"/cases/{id}", ("Return.Reason", "需要镇农业服务中心处理"));

        Assert.Equal("Returned", (await _town.GetCaseAsync(id)).Status());
    }

    [Fact]
    public async Task Post_ResolveWithoutResult_Answers400WithTheMessageNextToTheFieldAndChangesNothing()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = await _town.SnapshotAsync(id);

        using var response = await _town.PostFormAsync($"/cases/{id}?handler=Resolve", ("Resolve.Outcome", "PartlySolved"), ("Resolve.Result", "  "));
        var html = Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<textarea id=\"Resolve_Result\" name=\"Resolve.Result\" aria-required=\"true\" aria-invalid=\"true\" aria-describedby=\"Resolve_Result-error\">", html);
        Assert.Contains("<span class=\"field-error\" id=\"Resolve_Result-error\">必填。</span>", html);
        Assert.Contains("<option value=\"PartlySolved\" selected=\"selected\">部分解决</option>", html);
        Assert.Contains("<details class=\"action\" data-action=\"Resolve\" open=\"open\">", html);
        Assert.Contains("<details class=\"action\" data-action=\"Transfer\">", html);
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Post_TransferWithoutUnit_Answers400KeepsTheReasonAndChangesNothing()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = await _town.SnapshotAsync(id);

        using var response = await _town.PostFormAsync($"/cases/{id}?handler=Transfer", ("Transfer.ToUnit", ""), ("Transfer.Reason", "涉及治安，<请>派出所处理"));
        var html = Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"Transfer_ToUnit-error\"", html);
        Assert.Contains("<span class=\"field-error\" id=\"Transfer_ToUnit-error\">必填。</span>", html);
        Assert.Contains(">涉及治安，<请>派出所处理</textarea>", html);
        Assert.DoesNotContain("Transfer_Reason-error\"", html);
        Assert.Contains("<details class=\"action\" data-action=\"Transfer\" open=\"open\">", html);
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Post_TriageWithADueDate_SetsIt_AndAPastDateIsRefusedNextToTheField()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        var before = await _town.SnapshotAsync(id);

        using var past = await _town.PostFormAsync($"/cases/{id}?handler=Triage", ("Triage.Track", "Direct"), ("Triage.Urgency", "Normal"), ("Triage.DueDate", "2026-11-01"));
        var html = Decode(await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("id=\"Triage_DueDate\" name=\"Triage.DueDate\" value=\"2026-11-01\" aria-invalid=\"true\"", html);
        Assert.Contains("<span class=\"field-error\" id=\"Triage_DueDate-error\">", html);
        await _town.AssertUnchangedAsync(id, before);

        using var ok = await _town.PostFormAsync($"/cases/{id}?handler=Triage", ("Triage.Track", "Direct"), ("Triage.Urgency", "Normal"), ("Triage.DueDate", "2026-12-24"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal("2026-12-24", (await _town.GetCaseAsync(id))["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_TransferToTheSameUnit_Answers400NextToTheUnit()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = await _town.SnapshotAsync(id);

        using var response = await _town.PostFormAsync($"/cases/{id}?handler=Transfer", ("Transfer.ToUnit", "SCH-MJC"), ("Transfer.Reason", "转回本村"));
        var html = Decode(await response.Content.ReadAsStringAsync());

        // The domain refuses a transfer to the same unit, next to the unit field.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<span class=\"field-error\" id=\"Transfer_ToUnit-error\">事项已在该单位办理，无需转办。</span>", html);
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Post_IllegalTransition_Answers409WithTheMessageAboveTheForm()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        var before = await _town.SnapshotAsync(id);

        // A stale page: the case is still Registered, so it cannot be started.
        using var response = await _town.PostFormAsync($"/cases/{id}?handler=Start");
        var html = Decode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("<div class=\"errors\" role=\"alert\">", html);
        Assert.Contains("事项当前状态为「已登记」，不能执行「开始办理」。", html);
        await _town.AssertUnchangedAsync(id, before);

        // Refused fields of a form that is no longer on the page are said above the actions too.
        using var stale = await _town.PostFormAsync($"/cases/{id}?handler=Resolve", ("Resolve.Outcome", "Solved"), ("Resolve.Result", ""));
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("<div class=\"errors\" role=\"alert\">", Decode(await stale.Content.ReadAsStringAsync()));
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Post_MergeByTrackingCode_MergesAndLinksTheSurvivor()
    {
        var survivor = await _town.RegisterAsync(CaseApi.NewCase(title: "自来水停水", phone: Phone));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "停水了", reporterName: "李四", phone: "13800001111"));
        var code = survivor.TrackingCode();

        using var unknown = await _town.PostFormAsync($"/cases/{id}?handler=Merge", ("Merge.Into", "ZZZZ-ZZZZ"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("id=\"Merge_Into-error\">没有查询码为「ZZZZ-ZZZZ」的事项", Decode(await unknown.Content.ReadAsStringAsync()));

        // Someone who may not merge learns nothing about which codes exist.
        using var leader = await app.SharedClientAs("leader").PostFormAsync($"/cases/{id}?handler=Merge", ("Merge.Into", "ZZZZ-ZZZZ"));
        Assert.Equal(HttpStatusCode.Forbidden, leader.StatusCode);

        await AssertRedirectAsync(_town, id, "Merge", $"/cases/{id}", ("Merge.Into", code.Replace("-", "").ToLowerInvariant()), ("Merge.Reason", "同一事项"));

        Assert.Equal("Merged", (await _town.GetCaseAsync(id)).Status());
        var html = Decode((await _town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains($"<a href=\"/cases/{survivor.Id()}\" class=\"code\">{code}</a>", html);
        Assert.EndsWith($"合并到事项 {code}。说明：同一事项", Timeline(html)[^1]);
    }

    [Fact]
    public async Task Reveal_ShowsThePhoneAndRecordsTheViewing()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        var cadre = app.SharedClientAs("cadre");

        using var response = await cadre.PostFormAsync($"/cases/{id}?handler=Reveal");
        var html = Decode(await response.Content.ReadAsStringAsync());

        // Rendered, not redirected: the number is in this response only.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains(Phone, html);
        Assert.Contains("张桂兰", html);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("ViewPersonalData", c.LastEvent()["action"]!.GetValue<string>());
        Assert.EndsWith("马家村干部 查看了反映人的完整联系方式", Timeline(html)[^1]);
        // The timeline never shows the number, even right after revealing it.
        Assert.DoesNotContain(Phone, string.Join("\n", Timeline(html)));
        // And the next plain view is masked again.
        Assert.DoesNotContain(Phone, (await cadre.GetHtmlAsync($"/cases/{id}")).Html);
    }

    [Theory]
    [InlineData("leader")]
    [InlineData("operator")]
    public async Task Reveal_NotOfferedToLeaderOrOperator_AndRefused(string who)
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(phone: Phone));
        var client = app.SharedClientAs(who);
        var before = await _town.SnapshotAsync(id);

        var (status, raw) = await client.GetHtmlAsync($"/cases/{id}");
        var html = Decode(raw);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("handler=Reveal", html);
        Assert.Contains(MaskedPhone, html);
        Assert.DoesNotContain("张桂兰", html);
        Assert.Contains("张**", html);

        using var response = await client.PostFormAsync($"/cases/{id}?handler=Reveal");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(Phone, await response.Content.ReadAsStringAsync());
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Page_AnotherVillagesCase_Is404ForAVillageCadre()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(orgUnit: "SCH-MJC", phone: Phone));
        var other = app.SharedClientAs("cadre-wjc");

        var (status, raw) = await other.GetHtmlAsync($"/cases/{id}");
        var html = Decode(raw);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("<!DOCTYPE html>", html);
        Assert.DoesNotContain("村口路灯不亮", html);

        using var post = await other.PostFormAsync($"/cases/{id}?handler=Return", ("Return.Reason", "x"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetHtmlAsync("/cases/987654321")).Status);
    }

    [Fact]
    public async Task Page_TitleWithMarkup_IsEncoded()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "<script>alert(1)</script>", phone: Phone));

        var (status, html) = await _town.GetHtmlAsync($"/cases/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        // No inline script and no event-handler attributes anywhere on the page.
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotMatch("\\son[a-z]+=", html);
    }

    [Fact]
    public async Task Page_OverdueCase_IsMarked()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(urgency: "Urgent", phone: Phone));
        try
        {
            app.Clock.Advance(TimeSpan.FromHours(20));
            Assert.Contains("badge due-soon", (await _town.GetHtmlAsync($"/cases/{id}")).Html);
            app.Clock.Advance(TimeSpan.FromDays(10));
            var html = (await _town.GetHtmlAsync($"/cases/{id}")).Html;
            Assert.Contains("badge overdue", html);
            Assert.Contains("<dd data-field=\"due\" class=\"overdue\">", html);
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    private static async Task AssertRedirectAsync(HttpClient client, long id, string handler, string to, params (string, string)[] fields)
    {
        using var response = await client.PostFormAsync($"/cases/{id}?handler={handler}", fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{handler}: {response.StatusCode} {ErrorsIn(Decode(body))}");
        Assert.Equal(to, response.Headers.Location?.OriginalString);
    }

    /// <summary>Razor writes Chinese as character references; compare text as the browser reads it.</summary>
    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    private static string ErrorsIn(string html) =>
        string.Join(" | ", FieldErrorRegex().Matches(html).Select(m => m.Value));

    /// <summary>The actions whose forms the page offers, in page order.</summary>
    private static string[] Offered(string html) => DataActionRegex().Matches(html).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>The actions column (办理操作).</summary>
    private static string Aside(string html)
    {
        var start = html.IndexOf("aria-labelledby=\"actions-title\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no actions column");
        return html[start..html.IndexOf("</aside>", start, StringComparison.Ordinal)];
    }

    /// <summary>The timeline entries as text (tags stripped, entities decoded, spaces collapsed).</summary>
    private static string[] Timeline(string html)
    {
        var list = TimelineRegex().Match(html);
        Assert.True(list.Success, "no timeline");
        return ItemRegex().Matches(list.Groups[1].Value)
            .Select(m => WebUtility.HtmlDecode(Regex.Replace(TagRegex().Replace(m.Groups[1].Value, ""), "\\s+", " ").Trim()))
            .ToArray();
    }

    [GeneratedRegex("data-action=\"(\\w+)\"")]
    private static partial Regex DataActionRegex();

    [GeneratedRegex("<ol class=\"timeline\">(.*?)</ol>", RegexOptions.Singleline)]
    private static partial Regex TimelineRegex();

    [GeneratedRegex("<li[^>]*>(.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ItemRegex();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("(class=\"field-error\"[^<]*|class=\"errors\".*?</div>)", RegexOptions.Singleline)]
    private static partial Regex FieldErrorRegex();
}

public sealed class CasePageTests_Sqlite(SqliteApp app) : CasePageTests(app), IClassFixture<SqliteApp>;

public sealed class CasePageTests_Postgres(PostgresApp app) : CasePageTests(app), IClassFixture<PostgresApp>;
