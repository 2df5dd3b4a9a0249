using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Deadlines;

/// <summary>
/// 延期、挂起、催办、通报、督办 and 联系群众 over HTTP (Features/Deadlines): each action with its rules —
/// an extension only before the due date, the due date moves only on approval, a second extension
/// needs a leader, a suspension stops the clock (never overdue) and resuming moves the due date by
/// the time suspended, supervision flagged in the ledger, scope, bad input refused with nothing
/// written — and the reporter's notification of the new date queued in the approval's own save.
/// </summary>
public abstract class DeadlineTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");
    private HttpClient Cadre => app.SharedClientAs("cadre");
    private HttpClient Leader => app.SharedClientAs("leader");

    private static int _phones;

    private static string NewPhone() => "1372" + Interlocked.Increment(ref _phones).ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>A case of 马家村 assigned to 马家村 (the cadre's), with a reporter who agreed to be told.</summary>
    private async Task<(long Id, string Phone)> AssignedAsync(string title, string? urgency = null, string assignee = "SCH-MJC")
    {
        var phone = NewPhone();
        var id = await Town.RegisterIdAsync(new
        {
            channel = "Hotline",
            title,
            description = title + "，请尽快处理。",
            reporter = new { name = "张桂兰", phone },
            orgUnit = "SCH-MJC",
            urgency,
            contactConsent = true,
        });
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = assignee });
        return (id, phone);
    }

    private static string DueDate(JsonObject c) => c["dueDate"]!.GetValue<string>();

    private static DateTime DueAt(JsonObject c) => c["dueAt"]!.GetValue<DateTime>().ToUniversalTime();

    private static JsonObject Deadline(JsonObject c) => c["deadline"]!.AsObject();

    private static string Later(JsonObject c, int days) =>
        DateOnly.ParseExact(DueDate(c), "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<List<Notification>> NotificationsAsync(long caseId) =>
        app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.Id).ToListAsync());

    [Fact]
    public async Task PastTheDueDate_ASuspensionIsNeitherOfferedNorApprovable_OnlyRefusable()
    {
        // A walk-through met "overdue cases cannot be suspended" only after typing a reason; a suspension asked in time and
        // decided late took an overdue case off every list (an outside review).
        var start = app.Clock.GetUtcNow();
        try
        {
            var (id, _) = await AssignedAsync("挂起：期限已过的申请", urgency: "Urgent");
            var (other, _) = await AssignedAsync("挂起：已超期不再挂起", urgency: "Urgent");
            await Cadre.DoAsync(id, "request-suspension", new { reason = "等待法院判决" });
            app.Clock.SetUtcNow(start.AddDays(10));

            var (_, page) = await Town.GetHtmlAsync($"/cases/{id}");
            var form = page[page.IndexOf("data-deadline-action=\"DecideSuspension\"", StringComparison.Ordinal)..];
            form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
            Assert.Contains("data-hint=\"overdue\"", form);
            Assert.Matches("<input type=\"radio\" name=\"[^\"]*Approve\" value=\"true\" disabled=\"disabled\"", form);
            using (var late = await Town.ActAsync(id, "decide-suspension", new { approve = true }))
            {
                Assert.Equal("deadline.suspension-after-due", (await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule"))["code"]!.GetValue<string>());
            }
            Assert.False(Deadline(await Town.DoAsync(id, "decide-suspension", new { approve = false, note = "已超期，请抓紧办理" }))["suspended"]!.GetValue<bool>());

            var (_, otherPage) = await Cadre.GetHtmlAsync($"/cases/{other}");
            Assert.DoesNotContain("data-deadline-action=\"RequestSuspension\"", otherPage);
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }

    [Fact]
    public async Task AnExtension_MovesTheDueDateOnlyWhenApproved_AndTheReporterIsToldTheNewDate()
    {
        var (id, phone) = await AssignedAsync("延期：村道硬化");
        var before = await Town.GetCaseAsync(id);
        var asked = Later(before, 10);

        var requested = await Cadre.DoAsync(id, "request-extension", new { newDueDate = asked, reason = "需等待县交通局统一招标" });
        Assert.Equal(DueDate(before), DueDate(requested));
        Assert.Equal(asked, Deadline(requested)["extensionRequestedDate"]!.GetValue<string>());
        Assert.True(Deadline(requested)["requestPending"]!.GetValue<bool>());
        // One request at a time.
        using (var second = await Cadre.ActAsync(id, "request-suspension", new { reason = "等待资金" }))
        {
            var problem = await second.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
            Assert.Equal("deadline.request-pending", problem["code"]!.GetValue<string>());
        }

        // A refusal says why; without a reason nothing is written.
        var snapshot = await Town.SnapshotAsync(id);
        await Town.AssertFieldErrorAsync(id, "decide-extension", new { approve = false }, "note");
        await Town.AssertFieldErrorAsync(id, "decide-extension", new { note = "未选择" }, "approve");
        await Town.AssertUnchangedAsync(id, snapshot);

        var refused = await Town.DoAsync(id, "decide-extension", new { approve = false, note = "理由不充分，请按期办结" });
        Assert.Equal(DueDate(before), DueDate(refused));
        Assert.Null(Deadline(refused)["extensionRequestedDate"]?.GetValue<string>());
        Assert.Equal(0, Deadline(refused)["extensionCount"]!.GetValue<int>());
        Assert.DoesNotContain(await NotificationsAsync(id), n => n.Kind == NotificationKind.Extended);

        await Cadre.DoAsync(id, "request-extension", new { newDueDate = asked, reason = "已补充县交通局的招标计划" });
        var approved = await Town.DoAsync(id, "decide-extension", new { approve = true, note = "同意" });
        Assert.Equal(asked, DueDate(approved));
        Assert.Equal(1, Deadline(approved)["extensionCount"]!.GetValue<int>());
        Assert.Equal("DecideExtension", approved.LastEvent()["action"]!.GetValue<string>());

        // The reporter hears the new date, through the outbox, in the approval's save.
        var told = Assert.Single(await NotificationsAsync(id), n => n.Kind == NotificationKind.Extended);
        Assert.Equal((RecipientKind.Reporter, NotificationChannel.Sms, phone, NotificationTemplates.Extended, NotificationStatus.Pending),
            (told.RecipientKind, told.Channel, told.Address, told.TemplateKey, told.Status));
        Assert.Contains("\"dueDate\":\"" + asked + "\"", told.Parameters);
        Assert.Contains(asked, NotificationTemplates.Render(NotificationTemplates.ByKey[NotificationTemplates.Extended].DefaultText,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(told.Parameters)!));
    }

    [Fact]
    public async Task ASecondExtension_IsRefusedForTownStaff_AndApprovedByALeader()
    {
        var (id, _) = await AssignedAsync("延期：桥梁维修");
        var first = Later(await Town.GetCaseAsync(id), 5);
        await Cadre.DoAsync(id, "request-extension", new { newDueDate = first, reason = "材料未到" });
        async Task<bool> NeedsLeaderAsync() => (await Town.ListAsync("pendingRequest=true&pageSize=200"))["items"]!.AsArray()
            .Single(i => i!["id"]!.GetValue<long>() == id)!["decisionNeedsLeader"]!.GetValue<bool>();
        // 待审批 says which requests wait for a leader: not the first extension, the second.
        Assert.False(await NeedsLeaderAsync());
        await Town.DoAsync(id, "decide-extension", new { approve = true });
        var second = Later(await Town.GetCaseAsync(id), 5);
        await Cadre.DoAsync(id, "request-extension", new { newDueDate = second, reason = "施工队人手不足" });
        Assert.True(await NeedsLeaderAsync());

        var snapshot = await Town.SnapshotAsync(id);
        using (var refused = await Town.ActAsync(id, "decide-extension", new { approve = true }))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
            Assert.Equal("deadline.repeat-needs-leader", problem["code"]!.GetValue<string>());
        }
        await Town.AssertUnchangedAsync(id, snapshot);
        Assert.Equal(first, DueDate(await Town.GetCaseAsync(id)));

        // The page offers the clerk only the refusal (approving it is a leader's), and the leader both.
        var (_, townPage) = await Town.GetHtmlAsync($"/cases/{id}");
        var townForm = townPage[townPage.IndexOf("data-deadline-action=\"DecideExtension\"", StringComparison.Ordinal)..];
        Assert.Contains("data-hint=\"needs-leader\"", townForm[..townForm.IndexOf("</form>", StringComparison.Ordinal)]);
        Assert.Matches("<input type=\"radio\" name=\"[^\"]*Approve\" value=\"true\" disabled=\"disabled\"", townForm);
        Assert.Matches("<input type=\"radio\" name=\"[^\"]*Approve\" value=\"false\" checked=\"checked\"", townForm);
        var (_, leaderPage) = await Leader.GetHtmlAsync($"/cases/{id}");
        var leaderForm = leaderPage[leaderPage.IndexOf("data-deadline-action=\"DecideExtension\"", StringComparison.Ordinal)..];
        Assert.DoesNotMatch("value=\"true\" disabled", leaderForm[..leaderForm.IndexOf("</form>", StringComparison.Ordinal)]);

        var approved = await Leader.DoAsync(id, "decide-extension", new { approve = true, note = "领导同意再次延期" });
        Assert.Equal(second, DueDate(approved));
        Assert.Equal(2, Deadline(approved)["extensionCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnExtension_IsAskedForBeforeTheDueDate_AndBadInputIsRefusedWithFieldErrors()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var (id, _) = await AssignedAsync("延期：过期后申请", urgency: "Urgent");
            var c = await Town.GetCaseAsync(id);
            var snapshot = await Town.SnapshotAsync(id);

            // Missing and malformed fields, each named; nothing written.
            using (var empty = await Cadre.ActAsync(id, "request-extension", new { }))
            {
                var problem = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
                Assert.True(problem.Errors().ContainsKey("newDueDate"), problem.ToJsonString());
                Assert.True(problem.Errors().ContainsKey("reason"), problem.ToJsonString());
            }
            await Cadre.AssertFieldErrorAsync(id, "request-extension", new { newDueDate = "2026/12/31", reason = "原因" }, "newDueDate");
            await Cadre.AssertFieldErrorAsync(id, "request-extension", new { newDueDate = Later(c, -1), reason = "原因" }, "newDueDate");
            await Cadre.AssertFieldErrorAsync(id, "request-extension", new { newDueDate = Later(c, 3), reason = "原因\u0000" }, "reason");
            await Cadre.AssertFieldErrorAsync(id, "request-extension", new { newDueDate = Later(c, 3), reason = new string('长', 2001) }, "reason");
            await Town.AssertUnchangedAsync(id, snapshot);

            // After the due date it is too late to ask.
            app.Clock.SetUtcNow(start.AddDays(3));
            Assert.True((await Town.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            await Cadre.AssertFieldErrorAsync(id, "request-extension", new { newDueDate = Later(c, 10), reason = "来不及了" }, "newDueDate");
            await Town.AssertUnchangedAsync(id, snapshot);
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }

    [Fact]
    public async Task ASuspendedCase_IsNeverOverdue_AndResumingMovesTheDueDateByTheTimeSuspended()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var (id, _) = await AssignedAsync("挂起：等待法院判决的宅基地纠纷", urgency: "Urgent");
            var before = await Town.GetCaseAsync(id);
            await Cadre.DoAsync(id, "request-suspension", new { reason = "等待法院判决" });
            var pending = await Town.ListAsync("pendingRequest=true&pageSize=200");
            Assert.Contains(id, pending.ItemIds());
            var suspended = await Town.DoAsync(id, "decide-suspension", new { approve = true, note = "同意挂起" });
            Assert.True(Deadline(suspended)["suspended"]!.GetValue<bool>());
            Assert.Equal("等待法院判决", Deadline(suspended)["suspensionReason"]!.GetValue<string>());
            Assert.DoesNotContain(id, (await Town.ListAsync("pendingRequest=true&pageSize=200")).ItemIds());

            // Three days later the due date has passed, but the clock stands still.
            app.Clock.SetUtcNow(start.AddDays(3));
            var c = await Town.GetCaseAsync(id);
            Assert.False(c["overdue"]!.GetValue<bool>());
            Assert.DoesNotContain(id, (await Town.ListAsync("overdue=true&pageSize=200")).ItemIds());
            var listed = await Town.ListAsync("suspended=true&pageSize=200");
            var row = listed["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!;
            Assert.True(row["suspended"]!.GetValue<bool>());
            Assert.False(row["overdue"]!.GetValue<bool>());
            Assert.Equal("等待法院判决", row["suspensionReason"]!.GetValue<string>());
            // Flagged in the ledger, and listed with its reason in the unit's tasks.
            var (_, ledger) = await Town.GetHtmlAsync("/cases?suspended=true&pageSize=200");
            Assert.Contains("data-flag=\"suspended\"", ledger);
            // With its reason in the row itself (not only in the badge's tooltip), in the ledger and on the board's list.
            var ledgerRow = ledger[ledger.IndexOf($"data-case-id=\"{id}\"", StringComparison.Ordinal)..];
            Assert.Contains("data-reason=\"suspended\">挂起原因：等待法院判决", ledgerRow[..ledgerRow.IndexOf("</tr>", StringComparison.Ordinal)]);
            var (_, board) = await Town.GetHtmlAsync("/board");
            var boardList = board[board.IndexOf("data-list=\"suspended\"", StringComparison.Ordinal)..];
            Assert.Contains("挂起原因：等待法院判决", boardList[..boardList.IndexOf("</section>", StringComparison.Ordinal)]);
            var (_, tasks) = await Cadre.GetHtmlAsync("/tasks");
            var section = tasks[tasks.IndexOf("data-section=\"suspended\"", StringComparison.Ordinal)..];
            Assert.Contains("等待法院判决", section[..section.IndexOf("</section>", StringComparison.Ordinal)]);
            // No reminders while suspended.
            using (var remind = await Town.ActAsync(id, "remind", new { note = "请抓紧" }))
            {
                var problem = await remind.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
                Assert.Equal("deadline.suspended", problem["code"]!.GetValue<string>());
            }

            var resumed = await Town.DoAsync(id, "resume", new { note = "法院已判决" });
            Assert.False(Deadline(resumed)["suspended"]!.GetValue<bool>());
            Assert.Equal(DueAt(before).AddDays(3), DueAt(resumed));
            Assert.False(resumed["overdue"]!.GetValue<bool>());
            Assert.Equal(3.0, Deadline(resumed)["suspendedDays"]!.GetValue<double>());
            Assert.DoesNotContain(id, (await Town.ListAsync("suspended=true&pageSize=200")).ItemIds());
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }

    [Fact]
    public async Task ARefusedSuspension_KeepsTheClockRunning()
    {
        var (id, _) = await AssignedAsync("挂起：被拒绝");
        await Cadre.DoAsync(id, "request-suspension", new { reason = "季节原因，开春后施工" });
        await Town.AssertFieldErrorAsync(id, "decide-suspension", new { approve = false, note = "  " }, "note");
        var refused = await Town.DoAsync(id, "decide-suspension", new { approve = false, note = "可先做准备工作" });
        Assert.False(Deadline(refused)["suspended"]!.GetValue<bool>());
        Assert.Null(Deadline(refused)["suspensionReason"]?.GetValue<string>());
        using var resume = await Town.ActAsync(id, "resume", new { });
        var problem = await resume.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("deadline.not-suspended", problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Supervision_IsALeaders_AndIsFlaggedInTheLedger()
    {
        var (id, _) = await AssignedAsync("督办：饮水管道破裂");
        var deadline = Later(await Town.GetCaseAsync(id), 2);
        var snapshot = await Town.SnapshotAsync(id);
        using (var staff = await Town.ActAsync(id, "supervise", new { level = "Yellow", deadline, note = "请抓紧" }))
        {
            await staff.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        await Leader.AssertFieldErrorAsync(id, "supervise", new { level = "Orange", deadline, note = "请抓紧" }, "level");
        await Leader.AssertFieldErrorAsync(id, "supervise", new { level = "Yellow", deadline = "2020-01-01", note = "请抓紧" }, "deadline");
        await Leader.AssertFieldErrorAsync(id, "supervise", new { level = "Yellow", deadline }, "note");
        await Town.AssertUnchangedAsync(id, snapshot);

        var supervised = await Leader.DoAsync(id, "supervise", new { level = "Yellow", deadline, note = "群众反映强烈，黄牌督办" });
        Assert.Equal("Yellow", Deadline(supervised)["supervisionLevel"]!.GetValue<string>());
        Assert.Equal(deadline, Deadline(supervised)["supervisionDate"]!.GetValue<string>());

        var yellow = await Town.ListAsync("supervised=Yellow&pageSize=200");
        var row = yellow["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!;
        Assert.Equal("Yellow", row["supervision"]!.GetValue<string>());
        Assert.DoesNotContain(id, (await Town.ListAsync("supervised=Red&pageSize=200")).ItemIds());

        // The ledger page flags it, and the case page shows the level and its deadline.
        var (_, ledger) = await Town.GetHtmlAsync("/cases?supervised=true&pageSize=200");
        Assert.Contains("data-flag=\"supervised\" data-level=\"Yellow\"", ledger);
        var (_, page) = await Town.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("data-field=\"supervision\"", page);
        Assert.Contains(deadline, page);
        // The case's head flags it as the ledger does, and the section says what the leader asked (督办意见).
        var head = page[page.IndexOf("<div class=\"case-head\">", StringComparison.Ordinal)..];
        Assert.Contains("data-flag=\"supervised\" data-level=\"Yellow\"", head[..head.IndexOf("</div>", StringComparison.Ordinal)]);
        Assert.Contains("data-field=\"supervision-note\">督办意见：群众反映强烈，黄牌督办</span>", page);
    }

    [Fact]
    public async Task SupervisedCases_SortBySupervisionDeadline_NotTheCasesDueDate()
    {
        // The board's and my tasks' 督办 lists come in this order: the supervision due first, whatever the case's own date.
        var (first, _) = await AssignedAsync("督办排序：先登记、督办期限晚");
        var (second, _) = await AssignedAsync("督办排序：后登记、督办期限早");
        await Leader.DoAsync(first, "supervise", new { level = "Yellow", deadline = Later(await Town.GetCaseAsync(first), 5), note = "按期办结" });
        await Leader.DoAsync(second, "supervise", new { level = "Yellow", deadline = Later(await Town.GetCaseAsync(second), 1), note = "尽快办结" });

        List<long> Order(JsonObject list) => list.ItemIds().Where(i => i == first || i == second).ToList();
        Assert.Equal([second, first], Order(await Town.ListAsync("supervised=true&sort=supervisionDueAt&pageSize=200")));
        Assert.Equal([first, second], Order(await Town.ListAsync("supervised=true&sort=-supervisionDueAt&pageSize=200")));
        // By the case's due date (the same day for both) the older case comes first: the order above is the supervision's.
        Assert.Equal([first, second], Order(await Town.ListAsync("supervised=true&sort=dueAt&pageSize=200")));
        Assert.Equal("supervisionDueAt", GetBoard.SupervisedQuery.Sort);
        var (_, ledger) = await Town.GetHtmlAsync("/cases?supervised=true&sort=supervisionDueAt");
        Assert.Contains("<option value=\"supervisionDueAt\" selected=\"selected\">督办期限（近→远）</option>", ledger);
    }

    [Fact]
    public async Task RemindersNoticesAndContact_AreCounted_AndTheUnitSeesItWasReminded()
    {
        var (id, _) = await AssignedAsync("催办：垃圾清运不及时");
        await Town.DoAsync(id, "remind", new { note = "请三日内清运" });
        await Town.AssertFieldErrorAsync(id, "notify", new { }, "note");
        var noticed = await Town.DoAsync(id, "notify", new { note = "催办后仍未清运，予以通报" });
        Assert.Equal(1, Deadline(noticed)["reminderCount"]!.GetValue<int>());
        Assert.Equal(1, Deadline(noticed)["noticeCount"]!.GetValue<int>());

        var contacted = await Cadre.DoAsync(id, "contact", new { note = "已电话联系" });
        Assert.NotNull(Deadline(contacted)["contactedAt"]);
        Assert.True(Deadline(contacted)["contactedInTime"]!.GetValue<bool>());

        Assert.Contains(id, (await Cadre.ListAsync("reminded=true&pageSize=200")).ItemIds());
        var tasks = await Cadre.GetFromJsonAsync<JsonObject>("/api/v1/tasks");
        var reminded = tasks!["sections"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "reminded")!;
        Assert.True(reminded["count"]!.GetValue<int>() >= 1);
        Assert.Contains("reminded=true", reminded["link"]!.GetValue<string>());
        Assert.Contains(tasks["sections"]!.AsArray(), s => s!["key"]!.GetValue<string>() == "reminded"
            && s["items"]!.AsArray().Any(i => i!["id"]!.GetValue<long>() == id && i["reminders"]!.GetValue<int>() == 1));
        // Reminding is the office's, not the unit's.
        using var byCadre = await Cadre.ActAsync(id, "remind", new { note = "自己催自己" });
        await byCadre.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    /// <summary>
    /// A walk-through: the unit's task list counted 被催办 / 被督办 cases but did not say what it was told, and listed a
    /// supervised case by the case's due date, not the supervision's own deadline.
    /// </summary>
    [Fact]
    public async Task TheTaskList_SaysWhatTheUnitWasTold_AndMarksASupervisionPastItsDeadline()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            // 王家村's only deadline cases in this class (the cadre's rows are these).
            var (id, _) = await AssignedAsync("督办：王家村排水沟堵塞", assignee: "SCH-WJC");
            // A case 王家村's cadre may not see, named in the note by its tracking code (which /track would follow).
            var (other, _) = await AssignedAsync("马家村的另一件事");
            var otherCode = (await Town.GetCaseAsync(other))["trackingCode"]!.GetValue<string>();
            await Town.DoAsync(id, "remind", new { note = "请两日内疏通排水沟，联系人13712345678，参照" + otherCode });
            var today = DateOnly.FromDateTime(start.UtcDateTime.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await Leader.DoAsync(id, "supervise", new { level = "Red", deadline = today, note = "汛期将至，红牌督办，当日疏通" });
            var caseDue = DueDate(await Town.GetCaseAsync(id));
            Assert.NotEqual(today, caseDue);
            var wjc = app.SharedClientAs("cadre-wjc");

            var (_, html) = await wjc.GetHtmlAsync("/tasks");
            var reminded = TaskRow(html, "reminded", id);
            Assert.Contains("催办 1 次", reminded);
            // A phone number typed into a note is masked, and another village's case is not named, as the timeline shows them:
            // on the page and in the API.
            Assert.Matches("data-instruction=\"remind\">催办 [0-9-]+ [0-9:]+：请两日内疏通排水沟，联系人137\\*\\*\\*\\*5678，参照", reminded);
            var tasksJson = await wjc.GetStringAsync("/api/v1/tasks");
            Assert.Contains("137****5678", tasksJson);
            foreach (var text in new[] { html, tasksJson })
            {
                Assert.DoesNotContain("13712345678", text);
                Assert.DoesNotContain(otherCode, text);
            }
            var supervised = TaskRow(html, "supervised", id);
            Assert.Contains($"督办期限 {today}", supervised);
            Assert.DoesNotContain(caseDue, supervised);
            Assert.Contains("data-flag=\"supervised\" data-level=\"Red\"", supervised);
            Assert.Contains("督办意见：汛期将至，红牌督办，当日疏通", supervised);
            Assert.DoesNotContain("督办逾期", supervised);
            Assert.DoesNotContain("class=\"overdue\"", supervised);
            // The API's rows carry the same.
            var api = await wjc.GetFromJsonAsync<JsonObject>("/api/v1/tasks");
            var row = api!["sections"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "supervised")!["items"]!.AsArray()
                .Single(i => i!["id"]!.GetValue<long>() == id)!;
            Assert.Equal(today, row["supervisionDate"]!.GetValue<string>());
            Assert.Equal("汛期将至，红牌督办，当日疏通", row["supervisionNote"]!["note"]!.GetValue<string>());
            Assert.Equal("请两日内疏通排水沟，联系人137****5678，参照****-****", row["lastReminder"]!["note"]!.GetValue<string>());

            // The next day the supervision is past its deadline while the case is still within its own: 督办逾期.
            app.Clock.SetUtcNow(start.AddDays(1));
            (_, html) = await wjc.GetHtmlAsync("/tasks");
            supervised = TaskRow(html, "supervised", id);
            Assert.StartsWith("<li class=\"overdue\"", supervised);
            Assert.Contains("data-flag=\"supervision-overdue\"", supervised);
            Assert.Contains("class=\"instruction late\"", supervised);
            Assert.False((await Town.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            // The ledger flags it too.
            var (_, ledger) = await Town.GetHtmlAsync("/cases?supervised=true&pageSize=200");
            Assert.Contains("data-flag=\"supervision-overdue\"", ledger);
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }

    /// <summary>A task section's row of the case (from its &lt;li&gt; to its end).</summary>
    private static string TaskRow(string html, string section, long id)
    {
        var at = html.IndexOf($"data-section=\"{section}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {section} section");
        var end = html.IndexOf("</section>", at, StringComparison.Ordinal);
        var marker = html.IndexOf($"data-case-id=\"{id}\"", at, end - at, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"case {id} not in {section}");
        var li = html.LastIndexOf("<li", marker, StringComparison.Ordinal);
        return html[li..html.IndexOf("</li>", marker, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task AnAgencyHandler_CannotActOnAnotherUnitsCase()
    {
        var (id, _) = await AssignedAsync("范围：马家村的事项");
        var agency = app.SharedClientAs("agency");
        var snapshot = await Town.SnapshotAsync(id);
        var later = Later(await Town.GetCaseAsync(id), 5);
        foreach (var (route, body) in new (string, object)[]
        {
            ("request-extension", new { newDueDate = later, reason = "越权申请" }),
            ("request-suspension", new { reason = "越权申请" }),
            ("contact", new { note = "越权联系" }),
        })
        {
            using var response = await agency.ActAsync(id, route, body);
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        await Town.AssertUnchangedAsync(id, snapshot);

        // Its own case: it may ask.
        var (own, _) = await AssignedAsync("范围：司法所的纠纷", assignee: "SCH-SFS");
        var asked = await agency.DoAsync(own, "request-extension", new { newDueDate = Later(await Town.GetCaseAsync(own), 5), reason = "当事人外出务工" });
        Assert.NotNull(Deadline(asked)["extensionRequestedDate"]);
    }

    /// <summary>
    /// Found by the attack review: town staff asked for an extension to 2100 and approved it themselves, and
    /// suspended an overdue case; a village cadre asked for time on a case the judicial office handles, which
    /// then could not ask for its own.
    /// </summary>
    [Fact]
    public async Task TownStaff_CannotApproveTheirOwnRequest_AndACadreCannotAskForAnotherUnit()
    {
        var (id, _) = await AssignedAsync("期限：自批自审");
        var c = await Town.GetCaseAsync(id);
        await Town.DoAsync(id, "request-extension", new { newDueDate = Later(c, 5), reason = "办公室代为申请" });
        var snapshot = await Town.SnapshotAsync(id);
        using (var own = await Town.ActAsync(id, "decide-extension", new { approve = true }))
        {
            Assert.Equal("deadline.own-request", (await own.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule"))["code"]!.GetValue<string>());
        }
        await Town.AssertUnchangedAsync(id, snapshot);
        // Another decider may; a leader too.
        var decided = await Leader.DoAsync(id, "decide-extension", new { approve = true });
        Assert.Equal(Later(c, 5), DueDate(decided));

        // More than MaxExtensionDays (30): a leader's, not the office's.
        var (longer, _) = await AssignedAsync("期限：延期过长");
        var lc = await Town.GetCaseAsync(longer);
        await Cadre.DoAsync(longer, "request-extension", new { newDueDate = Later(lc, 40), reason = "工程量大" });
        // The clerk's page says so before anything is typed, and offers only the refusal (a walk-through met the refusal on submit).
        var (_, longPage) = await Town.GetHtmlAsync($"/cases/{longer}");
        var longForm = longPage[longPage.IndexOf("data-deadline-action=\"DecideExtension\"", StringComparison.Ordinal)..];
        longForm = longForm[..longForm.IndexOf("</form>", StringComparison.Ordinal)];
        Assert.Contains("须由领导审批", longForm);
        Assert.Matches("<input type=\"radio\" name=\"[^\"]*Approve\" value=\"true\" disabled=\"disabled\"", longForm);
        Assert.Equal(JsonValueKind.True, (await Town.GetCaseAsync(longer))["deadline"]!["extensionNeedsLeader"]!.GetValueKind());
        using (var tooLong = await Town.ActAsync(longer, "decide-extension", new { approve = true }))
        {
            Assert.Equal("deadline.long-needs-leader", (await tooLong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule"))["code"]!.GetValue<string>());
        }
        Assert.Equal(Later(lc, 40), DueDate(await Leader.DoAsync(longer, "decide-extension", new { approve = true })));

        // 马家村's case given to the judicial office: the cadre reads it, cannot ask for time on it or block its unit.
        var (sfs, _) = await AssignedAsync("期限：司法所承办的马家村纠纷", assignee: "SCH-SFS");
        var sc = await Town.GetCaseAsync(sfs);
        using (var cadre = await Cadre.ActAsync(sfs, "request-extension", new { newDueDate = Later(sc, 5), reason = "村里想再拖一拖" }))
        {
            await cadre.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using (var contact = await Cadre.ActAsync(sfs, "contact", new { note = "代为联系" }))
        {
            await contact.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        var asked = await app.SharedClientAs("agency").DoAsync(sfs, "request-extension", new { newDueDate = Later(sc, 5), reason = "需测绘界址" });
        Assert.NotNull(Deadline(asked)["extensionRequestedDate"]);
    }

    [Fact]
    public async Task TheDecidersQueue_ListsPendingRequests_WithWhatWasAskedFor()
    {
        var (id, _) = await AssignedAsync("待审批：文化广场照明");
        var asked = Later(await Town.GetCaseAsync(id), 7);
        await Cadre.DoAsync(id, "request-extension", new { newDueDate = asked, reason = "灯具缺货" });

        var tasks = await Town.GetFromJsonAsync<JsonObject>("/api/v1/tasks");
        var queue = tasks!["sections"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "pending-decision")!;
        Assert.Equal(queue["count"]!.GetValue<int>(), await Town.LedgerTotalAsync(queue["link"]!.GetValue<string>()));
        var row = queue["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!;
        Assert.Equal("Extension", row["pendingRequest"]!.GetValue<string>());
        Assert.Equal(asked, row["extensionRequestedDate"]!.GetValue<string>());

        var (_, html) = await Town.GetHtmlAsync("/tasks");
        Assert.Contains("data-section=\"pending-decision\"", html);
        Assert.Contains(asked, html);
        // A leader decides too, and still starts on the board.
        var leaderTasks = await Leader.GetFromJsonAsync<JsonObject>("/api/v1/tasks");
        Assert.Contains(leaderTasks!["sections"]!.AsArray(), s => s!["key"]!.GetValue<string>() == "pending-decision");
    }

    [Fact]
    public async Task TheFollowUp_RecordsWhetherTheResidentSaysItIsSolved()
    {
        var (id, _) = await AssignedAsync("回访：路面修补");
        await Cadre.DoAsync(id, "resolve", new { outcome = "Solved", result = "已修补" });
        await Town.AssertFieldErrorAsync(id, "follow-up", new { satisfaction = "Satisfied", resolvedByResident = "也许" }, "resolvedByResident");
        var followed = await Town.DoAsync(id, "follow-up", new { satisfaction = "BasicallySatisfied", resolvedByResident = false });
        Assert.False(Deadline(followed)["resolvedByResident"]!.GetValue<bool>());
        Assert.Contains("\"resolvedByResident\":false", followed.LastEvent()["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task TheDecisionForms_SayWhoAskedWhenForWhichDateAndWhy()
    {
        // A walk-through: the clerk approving an extension saw the date asked for, but not why or who asked.
        var (id, _) = await AssignedAsync("页面：审批时看得到申请理由");
        var before = await Town.GetCaseAsync(id);
        var asked = Later(before, 6);
        await Cadre.DoAsync(id, "request-extension", new { newDueDate = asked, reason = "需等待县交通局统一招标，联系人13912345678" });
        var requested = (await Town.GetCaseAsync(id)).LastEvent();
        var when = TimeZoneInfo.ConvertTimeFromUtc(requested["at"]!.GetValue<DateTime>().ToUniversalTime(), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"))
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        var form = DecisionForm((await Town.GetHtmlAsync($"/cases/{id}")).Html, "DecideExtension");
        Assert.Contains($"data-field=\"requested-by\">马家村干部（{when}）<", form);
        Assert.Contains($"data-field=\"requested-date\">{asked}<", form);
        // As the timeline says it: a phone number typed into the reason is masked.
        Assert.Contains("data-field=\"request-reason\">需等待县交通局统一招标，联系人139****5678<", form);
        // The leader decides too, and reads the same.
        Assert.Contains("需等待县交通局统一招标", DecisionForm((await Leader.GetHtmlAsync($"/cases/{id}")).Html, "DecideExtension"));

        // The suspension decision says who asked and why (no date: it stops the clock).
        await Town.DoAsync(id, "decide-extension", new { approve = false, note = "请按期办结" });
        await Cadre.DoAsync(id, "request-suspension", new { reason = "等待法院判决，承办法官13812345678" });
        var page = (await Town.GetHtmlAsync($"/cases/{id}")).Html;
        form = DecisionForm(page, "DecideSuspension");
        Assert.Contains("data-field=\"requested-by\">马家村干部（", form);
        Assert.DoesNotContain("requested-date", form);
        Assert.Contains("data-field=\"request-reason\">等待法院判决，承办法官138****5678<", form);

        // Wherever the suspension's reason is shown (the deadline section, the ledger, the board, my tasks), a phone
        // number typed into it is masked, as the timeline masks it.
        await Town.DoAsync(id, "decide-suspension", new { approve = true });
        page = (await Town.GetHtmlAsync($"/cases/{id}")).Html;
        Assert.Contains("承办法官138****5678", WebUtility.HtmlDecode(page));
        foreach (var (client, path) in new[] { (Town, "/cases?suspended=true"), (Town, "/board"), (Cadre, "/tasks") })
        {
            var html = WebUtility.HtmlDecode((await client.GetHtmlAsync(path)).Html);
            Assert.Contains("承办法官138****5678", html);
            Assert.DoesNotContain("13812345678", html);
        }
        Assert.DoesNotContain("13812345678", WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("13812345678", await Town.GetStringAsync("/api/v1/cases?suspended=true"));
    }

    [Fact]
    public async Task TheTownOfficesOwnRequest_IsApprovedByALeader_NotByAColleague()
    {
        // The town office handles the matter itself: its own extension is not approved at the next desk.
        var (id, _) = await AssignedAsync("本办承办：延期由领导审批", assignee: "SCH");
        var before = await Town.GetCaseAsync(id);
        var asked = Later(before, 5);
        await Town.DoAsync(id, "request-extension", new { newDueDate = asked, reason = "需协调县供电公司" });
        var colleague = app.SharedClientAs("镇办同事");
        var snapshot = await Town.SnapshotAsync(id);
        using (var approved = await colleague.ActAsync(id, "decide-extension", new { approve = true }))
        {
            var problem = await approved.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
            Assert.Equal("deadline.own-unit-needs-leader", problem["code"]!.GetValue<string>());
        }
        await Town.AssertUnchangedAsync(id, snapshot);
        // The colleague's page says so and offers only the refusal.
        var page = (await colleague.GetHtmlAsync($"/cases/{id}")).Html;
        Assert.Contains("这是您所在单位承办事项的申请，须由领导审批", WebUtility.HtmlDecode(page));
        Assert.Matches("value=\"true\"[^>]*disabled", DecisionForm(page, "DecideExtension"));

        // The leader approves it; a village's request is still the town staff's to approve (the next test above).
        var decided = await Leader.DoAsync(id, "decide-extension", new { approve = true });
        Assert.Equal(asked, DueDate(decided));
    }

    /// <summary>A deadline form of the case page, decoded as the browser reads it.</summary>
    private static string DecisionForm(string html, string action)
    {
        var start = html.IndexOf($"data-deadline-action=\"{action}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no " + action + " form");
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task TheCasePage_OffersTheReadersForms_AndARefusalKeepsWhatWasTyped()
    {
        var (id, _) = await AssignedAsync("页面：路灯维修");
        var (status, cadrePage) = await Cadre.GetHtmlAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-block=\"deadlines\"", cadrePage);
        Assert.Contains("data-deadline-action=\"RequestExtension\"", cadrePage);
        Assert.Contains("data-deadline-action=\"Contact\"", cadrePage);
        // No decision without a request; no supervision for a village cadre; no reminder from the unit itself.
        Assert.DoesNotContain("data-deadline-action=\"DecideExtension\"", cadrePage);
        Assert.DoesNotContain("data-deadline-action=\"Supervise\"", cadrePage);
        Assert.DoesNotContain("data-deadline-action=\"Remind\"", cadrePage);
        Assert.Contains($"action=\"/cases/{id}/deadlines?handler=RequestExtension\"", cadrePage);
        // Every deadline form carries its antiforgery token.
        var section = cadrePage[cadrePage.IndexOf("data-block=\"deadlines\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        var forms = System.Text.RegularExpressions.Regex.Matches(section, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(forms);
        Assert.All(forms, f => Assert.Contains("name=\"__RequestVerificationToken\"", f.Value));
        Assert.Equal(HttpStatusCode.OK, (await Cadre.GetHtmlAsync($"/cases/{id}/deadlines")).Status);

        var snapshot = await Town.SnapshotAsync(id);
        using (var refused = await Cadre.PostFormAsync($"/cases/{id}/deadlines?handler=RequestExtension",
            ("RequestExtension.NewDueDate", "明天"), ("RequestExtension.Reason", "材料未到齐")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("id=\"RequestExtension_NewDueDate-error\"", html);
            Assert.Contains("材料未到齐", html);
            Assert.Contains("open", html[html.IndexOf("data-deadline-action=\"RequestExtension\"", StringComparison.Ordinal)..][..80]);
        }
        await Town.AssertUnchangedAsync(id, snapshot);

        var asked = Later(await Town.GetCaseAsync(id), 4);
        using (var done = await Cadre.PostFormAsync($"/cases/{id}/deadlines?handler=RequestExtension",
            ("RequestExtension.NewDueDate", asked), ("RequestExtension.Reason", "材料未到齐")))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
            Assert.Equal($"/cases/{id}#deadlines", done.Headers.Location?.OriginalString);
        }
        var (_, townPage) = await Town.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("data-deadline-action=\"DecideExtension\"", townPage);
        Assert.Contains("data-field=\"extension-requested\"", townPage);
        using (var decided = await Town.PostFormAsync($"/cases/{id}/deadlines?handler=DecideExtension", ("DecideExtension.Approve", "true")))
        {
            Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        }
        Assert.Equal(asked, DueDate(await Town.GetCaseAsync(id)));
    }
}

public sealed class DeadlineTests_Sqlite(SqliteApp app) : DeadlineTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineTests_Postgres(PostgresApp app) : DeadlineTests(app), IClassFixture<PostgresApp>;
