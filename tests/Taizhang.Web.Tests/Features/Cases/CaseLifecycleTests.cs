using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>The lifecycle of the product brief, walked over HTTP: every step's status, event and fields.</summary>
public abstract class CaseLifecycleTests(TaizhangApp app)
{
    [Fact]
    public async Task DirectTrack_EndToEnd_StatusesTimelineActorsAndClosingFields()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var operatorClient = app.ClientAs("接线员小李");
            var office = app.ClientAs("镇办受理员老周");
            var cadre = app.ClientAs("马家村干部马强");
            var visitor = app.ClientAs("回访员小陈");

            var id = await operatorClient.RegisterIdAsync(CaseApi.NewCase(title: "马家村路灯不亮"));
            Assert.Equal("Registered", (await office.GetCaseAsync(id)).Status());

            var triaged = await office.DoAsync(id, "triage", new { track = "Direct", urgency = "High", category = "infrastructure", assigneeUnit = "SCH-MJC" });
            Assert.Equal("Assigned", triaged.Status());
            Assert.Equal("Direct", triaged["track"]!.GetValue<string>());
            Assert.Equal("High", triaged["urgency"]!.GetValue<string>());
            Assert.Equal("infrastructure", triaged["category"]!["code"]!.GetValue<string>());
            Assert.Equal("SCH-MJC", triaged.AssigneeCode());
            // High = 3 working days from the registration (Thu 26 Nov): Tue 1 Dec.
            Assert.Equal("2026-12-01", triaged["dueDate"]!.GetValue<string>());

            app.Clock.Advance(TimeSpan.FromHours(1));
            var started = await cadre.DoAsync(id, "start");
            Assert.Equal("InProgress", started.Status());
            Assert.Null(started["resolvedAt"]);

            app.Clock.Advance(TimeSpan.FromHours(1));
            var resolveAt = app.Clock.GetUtcNow().UtcDateTime;
            var resolved = await cadre.DoAsync(id, "resolve", new { outcome = "Solved", result = "已更换路灯灯泡和线路。" });
            Assert.Equal("Resolved", resolved.Status());
            Assert.Equal("Solved", resolved["outcome"]!.GetValue<string>());
            Assert.Equal("已更换路灯灯泡和线路。", resolved["result"]!.GetValue<string>());
            Assert.Equal(resolveAt, resolved["resolvedAt"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Null(resolved["closedAt"]);
            Assert.Equal(["FollowUp", "Reopen", "AddReporter", "AddAttachment", "Disclose", "RecordMeasures", "Mediate"], AllowedActions(resolved));

            app.Clock.Advance(TimeSpan.FromDays(1));
            var closeAt = app.Clock.GetUtcNow().UtcDateTime;
            var closed = await visitor.DoAsync(id, "follow-up", new { satisfaction = "Satisfied", note = "群众表示满意" });
            Assert.Equal("FollowedUp", closed.Status());
            Assert.Equal("Satisfied", closed["satisfaction"]!.GetValue<string>());
            Assert.Equal(closeAt, closed["closedAt"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(resolveAt, closed["resolvedAt"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal("Solved", closed["outcome"]!.GetValue<string>());
            Assert.False(closed["overdue"]!.GetValue<bool>());
            Assert.Equal(["Reopen", "Disclose", "RecordMeasures", "Mediate"], AllowedActions(closed));

            var detail = await office.GetCaseAsync(id);
            Assert.Equal(["Register", "Triage", "Assign", "Start", "Resolve", "FollowUp"], detail.EventActions());
            var expected = new (string? From, string To, string Actor)[]
            {
                (null, "Registered", "接线员小李"),
                ("Registered", "Triaged", "镇办受理员老周"),
                ("Triaged", "Assigned", "镇办受理员老周"),
                ("Assigned", "InProgress", "马家村干部马强"),
                ("InProgress", "Resolved", "马家村干部马强"),
                ("Resolved", "FollowedUp", "回访员小陈"),
            };
            var events = detail.Events();
            for (var i = 0; i < expected.Length; i++)
            {
                var e = events[i]!;
                Assert.Equal(i + 1, e["sequence"]!.GetValue<int>());
                Assert.Equal(expected[i].From, e["fromStatus"]?.GetValue<string>());
                Assert.Equal(expected[i].To, e["toStatus"]!.GetValue<string>());
                Assert.Equal(expected[i].Actor, e["actor"]!["name"]!.GetValue<string>());
                Assert.Equal("User", e["actor"]!["kind"]!.GetValue<string>());
            }
            Assert.Equal("群众表示满意", events[5]!["reason"]!.GetValue<string>());
            Assert.Equal("Satisfied", events[5]!["payload"]!["satisfaction"]!.GetValue<string>());
            Assert.Equal("Solved", events[4]!["payload"]!["outcome"]!.GetValue<string>());
            Assert.True(events[4]!["payload"]!["onTime"]!.GetValue<bool>());
            Assert.Equal(await app.UnitIdAsync("SCH-MJC"), events[2]!["payload"]!["assigneeUnitId"]!.GetValue<long>());
            Assert.Equal(closeAt, detail["updatedAt"]!.GetValue<DateTime>().ToUniversalTime());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Return_ClearsAssigneeRecordsReason_ThenTriageAgainWorks()
    {
        var client = app.ClientAs("马家村干部马强");
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(id, "start");

        var returned = await client.DoAsync(id, "return", new { reason = "该事项属于王家村辖区" });
        Assert.Equal("Returned", returned.Status());
        Assert.Null(returned.AssigneeCode());
        var ev = returned.LastEvent();
        Assert.Equal("Return", ev["action"]!.GetValue<string>());
        Assert.Equal("InProgress", ev["fromStatus"]!.GetValue<string>());
        Assert.Equal("Returned", ev["toStatus"]!.GetValue<string>());
        Assert.Equal("该事项属于王家村辖区", ev["reason"]!.GetValue<string>());
        Assert.Equal(await app.UnitIdAsync("SCH-MJC"), ev["payload"]!["fromUnitId"]!.GetValue<long>());
        Assert.Equal(["Triage", "Reject", "Merge", "AddReporter", "AddAttachment", "Supervise", "Contact"], AllowedActions(returned));

        var again = await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        Assert.Equal("Assigned", again.Status());
        Assert.Equal("SCH-WJC", again.AssigneeCode());
        Assert.Equal(["Register", "Triage", "Assign", "Start", "Return", "Triage", "Assign"], again.EventActions());
        Assert.Equal("Returned", again.Events()[5]!["fromStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transfer_ToPartnerUnit_IsAssignedThereWithUnitsInPayload()
    {
        var client = app.ClientAs("马家村干部马强");
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "两户邻里因宅基地争吵", category: "dispute-neighbour"));
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(id, "start");

        var transferred = await client.DoAsync(id, "transfer", new { toUnit = "SCH-SFS", reason = "需要司法所调解" });
        Assert.Equal("Assigned", transferred.Status());
        Assert.Equal("SCH-SFS", transferred.AssigneeCode());
        Assert.Equal("三岔司法所", transferred["assigneeUnit"]!["name"]!.GetValue<string>());
        var ev = transferred.LastEvent();
        Assert.Equal("Transfer", ev["action"]!.GetValue<string>());
        Assert.Equal("InProgress", ev["fromStatus"]!.GetValue<string>());
        Assert.Equal("Assigned", ev["toStatus"]!.GetValue<string>());
        Assert.Equal("需要司法所调解", ev["reason"]!.GetValue<string>());
        Assert.Equal(await app.UnitIdAsync("SCH-MJC"), ev["payload"]!["fromUnitId"]!.GetValue<long>());
        Assert.Equal(await app.UnitIdAsync("SCH-SFS"), ev["payload"]!["toUnitId"]!.GetValue<long>());

        // The new unit starts anew; a county partner serves every town.
        var started = await client.DoAsync(id, "start");
        Assert.Equal("InProgress", started.Status());
        var toCounty = await client.DoAsync(id, "transfer", new { toUnit = "ZX-YJJ", reason = "涉及安全隐患" });
        Assert.Equal("ZX-YJJ", toCounty.AssigneeCode());
    }

    [Fact]
    public async Task UnsatisfiedFollowUp_Reopens_WithNewDueDateFromFollowUpTime_ThenWorkedAgain()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var client = app.ClientAs("回访员小陈");
            var id = await client.RegisterIdAsync();
            await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await client.DoAsync(id, "start");
            var resolved = await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "已修好" });
            var firstDue = resolved["dueAt"]!.GetValue<DateTime>().ToUniversalTime();
            Assert.Equal("2026-12-07", resolved["dueDate"]!.GetValue<string>());

            // Wednesday 2 Dec, 10:00 in Shanghai: Normal = 7 working days → Friday 11 Dec.
            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero));
            var reopened = await client.DoAsync(id, "follow-up", new { satisfaction = "Unsatisfied", note = "灯又不亮了" });
            Assert.Equal("Reopened", reopened.Status());
            Assert.Equal(1, reopened["reopenCount"]!.GetValue<int>());
            Assert.Null(reopened["outcome"]);
            Assert.Null(reopened["result"]);
            Assert.Null(reopened["resolvedAt"]);
            Assert.Null(reopened["closedAt"]);
            Assert.Equal("Unsatisfied", reopened["satisfaction"]!.GetValue<string>());
            Assert.Equal("2026-12-11", reopened["dueDate"]!.GetValue<string>());
            Assert.Equal(new DateTime(2026, 12, 11, 16, 0, 0, DateTimeKind.Utc), reopened["dueAt"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.NotEqual(firstDue, reopened["dueAt"]!.GetValue<DateTime>().ToUniversalTime());
            var ev = reopened.LastEvent();
            Assert.Equal("FollowUp", ev["action"]!.GetValue<string>());
            Assert.Equal("Resolved", ev["fromStatus"]!.GetValue<string>());
            Assert.Equal("Reopened", ev["toStatus"]!.GetValue<string>());
            Assert.Equal("灯又不亮了", ev["reason"]!.GetValue<string>());
            Assert.True(ev["payload"]!["reopened"]!.GetValue<bool>());

            var assigned = await client.DoAsync(id, "assign", new { unit = "SCH-MJC" });
            Assert.Equal("Assigned", assigned.Status());
            app.Clock.Advance(TimeSpan.FromHours(2));
            var again = await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "更换了整条线路" });
            Assert.Equal("Resolved", again.Status());
            Assert.Equal("更换了整条线路", again["result"]!.GetValue<string>());
            Assert.Equal(1, again["reopenCount"]!.GetValue<int>());
            Assert.Null(again["satisfaction"]);
            Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, again["resolvedAt"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(["Register", "Triage", "Assign", "Start", "Resolve", "FollowUp", "Assign", "Resolve"], again.EventActions());
            Assert.Equal("Reopened", again.Events()[6]!["fromStatus"]!.GetValue<string>());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Reopen_FollowedUpCase_WithReason()
    {
        var client = app.ClientAs("镇党委书记");
        var id = await ClosedCaseAsync(client);

        var reopened = await client.DoAsync(id, "reopen", new { reason = "督办复查发现问题未彻底解决" });
        Assert.Equal("Reopened", reopened.Status());
        Assert.Equal(1, reopened["reopenCount"]!.GetValue<int>());
        Assert.Null(reopened["closedAt"]);
        Assert.Null(reopened["outcome"]);
        Assert.Null(reopened["satisfaction"]);
        var ev = reopened.LastEvent();
        Assert.Equal("Reopen", ev["action"]!.GetValue<string>());
        Assert.Equal("FollowedUp", ev["fromStatus"]!.GetValue<string>());
        Assert.Equal("Reopened", ev["toStatus"]!.GetValue<string>());
        Assert.Equal("督办复查发现问题未彻底解决", ev["reason"]!.GetValue<string>());
        Assert.Equal("镇党委书记", ev["actor"]!["name"]!.GetValue<string>());
        Assert.Equal(["Triage", "Assign", "AddReporter", "AddAttachment", "Supervise", "Contact"], AllowedActions(reopened));
    }

    [Fact]
    public async Task Reject_WithReason_ClosesTheCaseAndAllowsNothing()
    {
        var client = app.ClientAs("镇办受理员老周");
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "要求给邻村修路"));
        var rejected = await client.DoAsync(id, "reject", new { reason = "不属于本镇职责范围，已告知向县交通局反映" });

        Assert.Equal("Rejected", rejected.Status());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, rejected["closedAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Empty(AllowedActions(rejected));
        Assert.False(rejected["overdue"]!.GetValue<bool>());
        var ev = rejected.LastEvent();
        Assert.Equal("Reject", ev["action"]!.GetValue<string>());
        Assert.Equal("Registered", ev["fromStatus"]!.GetValue<string>());
        Assert.Equal("Rejected", ev["toStatus"]!.GetValue<string>());
        Assert.Equal("不属于本镇职责范围，已告知向县交通局反映", ev["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Merge_MovesReportersToSurvivor_BothTimelinesRecordIt_SamePhoneNotDuplicated()
    {
        var client = app.ClientAs("镇办受理员老周");
        var a = await client.RegisterAsync(CaseApi.NewCase(title: "村口垃圾堆放", reporterName: "张桂兰", phone: "13912345678"));
        var b = await client.RegisterAsync(CaseApi.NewCase(title: "村口垃圾没人清", reporterName: "李建国", phone: "13800001111"));
        var aId = a.Id();
        var bId = b.Id();

        var merged = await client.DoAsync(bId, "merge", new { into = aId, reason = "同一事项" });
        Assert.Equal("Merged", merged.Status());
        Assert.Equal(aId, merged["mergedInto"]!["id"]!.GetValue<long>());
        Assert.Equal(a.TrackingCode(), merged["mergedInto"]!["trackingCode"]!.GetValue<string>());
        Assert.NotNull(merged["closedAt"]);
        Assert.Empty(AllowedActions(merged));
        var mergeEvent = merged.LastEvent();
        Assert.Equal("Merge", mergeEvent["action"]!.GetValue<string>());
        Assert.Equal("Registered", mergeEvent["fromStatus"]!.GetValue<string>());
        Assert.Equal("Merged", mergeEvent["toStatus"]!.GetValue<string>());
        Assert.Equal("同一事项", mergeEvent["reason"]!.GetValue<string>());
        Assert.Equal(aId, mergeEvent["payload"]!["intoCaseId"]!.GetValue<long>());

        var survivor = await client.GetCaseAsync(aId);
        Assert.Equal("Registered", survivor.Status());
        var reporters = survivor["reporters"]!.AsArray();
        Assert.Equal(2, reporters.Count);
        Assert.Null(reporters[0]!["fromCaseId"]);
        Assert.Equal("李建国", reporters[1]!["name"]!.GetValue<string>());
        Assert.Equal("138****1111", reporters[1]!["phone"]!.GetValue<string>());
        Assert.True(reporters[1]!["masked"]!.GetValue<bool>());
        Assert.Equal(bId, reporters[1]!["fromCaseId"]!.GetValue<long>());
        Assert.Equal(["Register", "AbsorbMerged"], survivor.EventActions());
        var absorb = survivor.LastEvent();
        Assert.Equal(bId, absorb["payload"]!["mergedCaseId"]!.GetValue<long>());
        Assert.Equal(b.TrackingCode(), absorb["payload"]!["mergedTrackingCode"]!.GetValue<string>());
        Assert.Equal(1, absorb["payload"]!["reportersAdded"]!.GetValue<int>());

        // The same resident (same phone, name written differently) is not added twice.
        var c = await client.RegisterIdAsync(CaseApi.NewCase(title: "垃圾堆又满了", reporterName: "张大姐", phone: "139 1234 5678"));
        await client.DoAsync(c, "merge", new { into = aId });
        survivor = await client.GetCaseAsync(aId);
        Assert.Equal(2, survivor["reporters"]!.AsArray().Count);
        Assert.Equal(["Register", "AbsorbMerged", "AbsorbMerged"], survivor.EventActions());
        Assert.Equal(0, survivor.LastEvent()["payload"]!["reportersAdded"]!.GetValue<int>());
    }

    [Fact]
    public async Task TopicTrack_LedgeredDeliberatingPlannedInProgress_ResolvedPartly()
    {
        var client = app.ClientAs("镇办受理员老周");
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "返乡人员就业难", orgUnit: "SCH-WJC", category: "employment"));

        var ledgered = await client.DoAsync(id, "triage", new { track = "Topic", urgency = "Low" });
        Assert.Equal("Ledgered", ledgered.Status());
        Assert.Equal("Topic", ledgered["track"]!.GetValue<string>());
        Assert.Null(ledgered.AssigneeCode());
        Assert.Equal(["Deliberate", "Reject", "Merge", "AddReporter", "AddAttachment", "Supervise", "Contact"], AllowedActions(ledgered));

        var deliberating = await client.DoAsync(id, "deliberate", new { });
        Assert.Equal("Deliberating", deliberating.Status());

        var planned = await client.DoAsync(id, "plan", new { plan = "联系县人社局举办技能培训，推荐到周边企业就业", assigneeUnit = "SCH-WJC" });
        Assert.Equal("Planned", planned.Status());
        Assert.Equal("联系县人社局举办技能培训，推荐到周边企业就业", planned["handlingPlan"]!.GetValue<string>());
        Assert.Equal("SCH-WJC", planned.AssigneeCode());
        Assert.Equal(await app.UnitIdAsync("SCH-WJC"), planned.LastEvent()["payload"]!["assigneeUnitId"]!.GetValue<long>());

        var started = await client.DoAsync(id, "start");
        Assert.Equal("InProgress", started.Status());

        var resolved = await client.DoAsync(id, "resolve", new { outcome = "PartlySolved", result = "30 人已就业，其余继续跟进" });
        Assert.Equal("Resolved", resolved.Status());
        Assert.Equal("PartlySolved", resolved["outcome"]!.GetValue<string>());
        Assert.Equal(["Register", "Triage", "Deliberate", "Plan", "Start", "Resolve"], resolved.EventActions());
        var transitions = resolved.Events().Select(e => (e!["fromStatus"]?.GetValue<string>(), e["toStatus"]!.GetValue<string>())).ToArray();
        Assert.Equal(
            [(null, "Registered"), ("Registered", "Ledgered"), ("Ledgered", "Deliberating"), ("Deliberating", "Planned"),
             ("Planned", "InProgress"), ("InProgress", "Resolved")],
            transitions);
    }

    [Fact]
    public async Task Resolve_ExplainedOutcome_IsAccepted()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "要求把县城公交线路延伸到村里"));
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(id, "start");
        var resolved = await client.DoAsync(id, "resolve", new { outcome = "Explained", result = "已向群众解释线路由县交通局统一规划" });
        Assert.Equal("Resolved", resolved.Status());
        Assert.Equal("Explained", resolved["outcome"]!.GetValue<string>());
        Assert.Equal("Explained", resolved.LastEvent()["payload"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resolve_StraightFromAssigned_SmallMatterHandledAtOnce()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "咨询医保缴费时间", category: "policy"));
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH" });
        var resolved = await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "电话告知缴费时间" });
        Assert.Equal("Resolved", resolved.Status());
        Assert.Equal(["Register", "Triage", "Assign", "Resolve"], resolved.EventActions());
        Assert.Equal("Assigned", resolved.LastEvent()["fromStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Overdue_AfterDueDatePasses_InDetailAndList_NotOnceResolved()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var client = app.ClientAs();
            var title = "超期测试 " + Guid.NewGuid().ToString("N")[..8];
            var id = await client.RegisterIdAsync(CaseApi.NewCase(title: title));
            await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

            Assert.False((await client.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            Assert.DoesNotContain(id, await OverdueIdsAsync(client, title));

            // Due at the end of Monday 7 Dec in Shanghai (16:00 UTC): one minute before, not yet overdue.
            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 15, 59, 0, TimeSpan.Zero));
            Assert.False((await client.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            Assert.DoesNotContain(id, await OverdueIdsAsync(client, title));

            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 16, 0, 0, TimeSpan.Zero));
            Assert.True((await client.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            Assert.Contains(id, await OverdueIdsAsync(client, title));

            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 8, 2, 0, 0, TimeSpan.Zero));
            Assert.True((await client.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            Assert.Contains(id, await OverdueIdsAsync(client, title));
            var row = await ListRowAsync(client, title, id);
            Assert.True(row["overdue"]!.GetValue<bool>());

            var resolved = await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理" });
            Assert.False(resolved["overdue"]!.GetValue<bool>());
            Assert.False(resolved.LastEvent()["payload"]!["onTime"]!.GetValue<bool>());
            Assert.False((await client.GetCaseAsync(id))["overdue"]!.GetValue<bool>());
            Assert.DoesNotContain(id, await OverdueIdsAsync(client, title));
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    private static async Task<long> ClosedCaseAsync(HttpClient client)
    {
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(id, "resolve", new { outcome = "Solved", result = "已修好" });
        var closed = await client.DoAsync(id, "follow-up", new { satisfaction = "BasicallySatisfied" });
        Assert.Equal("FollowedUp", closed.Status());
        return id;
    }

    private static string[] AllowedActions(JsonObject c) =>
        c["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    private static async Task<long[]> OverdueIdsAsync(HttpClient client, string title)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases?overdue=true&pageSize=200&q={Uri.EscapeDataString(title)}");
        return page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();
    }

    private static async Task<JsonObject> ListRowAsync(HttpClient client, string title, long id)
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/cases?pageSize=200&q={Uri.EscapeDataString(title)}");
        return page!["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!.AsObject();
    }
}

public sealed class CaseLifecycleTests_Sqlite(SqliteApp app) : CaseLifecycleTests(app), IClassFixture<SqliteApp>;

public sealed class CaseLifecycleTests_Postgres(PostgresApp app) : CaseLifecycleTests(app), IClassFixture<PostgresApp>;
