using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Features.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Consultation;

/// <summary>
/// A topic's whole life through the features that carry it, as issue 15 asks: ledgered → on a meeting's
/// agenda → the village's opinion and a vote → reported to the town → a plan with two steps → in progress →
/// resolved → the decision and the result published on the village's board → followed up; every step an
/// event on the case, in order.
/// </summary>
public abstract class TopicLifeTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");
    private HttpClient Cadre => app.SharedClientAs("cadre");

    [Fact]
    public async Task ATopic_FromTheLedgerThroughTheMeetingPlanAndDisclosure_ToTheFollowUp()
    {
        var title = "村东巷道硬化 " + Guid.NewGuid().ToString("N")[..6];
        var topic = await Town.TopicAsync(title);
        var id = topic.Id();
        Assert.Equal("Ledgered", topic.Status());

        // The village's council sits: five members, three present (quorate: more than half).
        var body = await Cadre.BodyAsync("SCH-MJC", 5);
        var meeting = await Cadre.PlanAsync(bodyId: body.Id());
        var meetingId = meeting.Id();
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/agenda", new { trackingCode = topic.TrackingCode() });
        Assert.Equal("Deliberating", (await Town.GetCaseAsync(id)).Status());
        var seq = meeting["agenda"]!.AsArray().Single(a => a!["caseId"]?.GetValue<long>() == id)!["seq"]!.GetValue<int>();
        var members = meeting.Seqs();
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/hold", new { present = new[] { members[0], members[1], members[2] } });
        Assert.True(meeting["quorate"]!.GetValue<bool>());

        // The opinion, then the vote, then reported to the town: each an outcome event on the case.
        await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/agenda/{seq}/outcome", new { kind = "Opinion", text = "群众普遍同意硬化，资金需镇上支持" });
        meeting = await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/agenda/{seq}/outcome",
            new { kind = "Vote", text = "同意硬化村东巷道", @for = 3, against = 0, abstain = 0 });
        Assert.Equal("passed", meeting.Item(seq)["verdict"]!.GetValue<string>());
        var voted = (await Town.GetCaseAsync(id)).LastEvent();
        Assert.Equal("DeliberationOutcome", voted["action"]!.GetValue<string>());
        Assert.True(voted["payload"]!["valid"]!.GetValue<bool>());
        Assert.True(voted["payload"]!["passed"]!.GetValue<bool>());
        await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/agenda/{seq}/outcome", new { kind = "ReportedToTown", text = "表决通过，报镇上安排资金" });
        Assert.Equal("Deliberating", (await Town.GetCaseAsync(id)).Status());
        await Cadre.OkAsync(HttpMethod.Put, $"/api/v1/meetings/{meetingId}/minutes", new { minutes = "村东巷道硬化：表决通过，报镇上。" });
        await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/confirm", new { signed = new[] { members[0], members[1] } });
        await Cadre.PostOkAsync($"/api/v1/meetings/{meetingId}/publish");

        // The town makes the plan: two steps; the case's due date is the last step's target.
        using (var put = await Town.PutAsJsonAsync($"/api/v1/cases/{id}/plan", new
        {
            summary = "镇村共同出资，分两步实施",
            steps = new object[]
            {
                new { title = "测量放线并公示预算", unit = "SCH-MJC", targetDate = "2026-12-03" },
                new { title = "组织施工并验收", unit = "SCH", targetDate = "2026-12-20" },
            },
        }))
        {
            var planned = await put.ReadJsonAsync();
            Assert.True(put.StatusCode == HttpStatusCode.OK, planned.ToJsonString());
            Assert.Equal("Planned", planned.Status());
            Assert.Equal("2026-12-20", planned["dueDate"]!.GetValue<string>());
        }

        Assert.Equal("InProgress", (await Town.DoAsync(id, "start", new { })).Status());
        await Town.DoAsync(id, "plan/steps/1/progress", new { completed = true, note = "预算已公示" });
        await Town.DoAsync(id, "plan/steps/2/progress", new { completed = true, note = "已验收" });
        var resolved = await Town.DoAsync(id, "resolve", new { outcome = "Solved", result = "巷道硬化完成，长 320 米", publicReply = "村东巷道已硬化完毕" });
        Assert.Equal("Resolved", resolved.Status());

        // 两公开: the decision (from the meeting) and then the result (from the case) on the village's board.
        using (var decision = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/{seq}/disclosures",
            new { title = "关于" + title + "的决定", body = "经村民议事会表决通过，硬化村东巷道。" }))
        {
            Assert.True(decision.StatusCode == HttpStatusCode.Created, (await decision.ReadJsonAsync()).ToJsonString());
        }
        using (var result = await Cadre.PostAsJsonAsync($"/api/v1/cases/{id}/disclosures",
            new { kind = "Result", title = title + "实施结果", body = "巷道已硬化完毕，欢迎群众监督。" }))
        {
            Assert.True(result.StatusCode == HttpStatusCode.Created, (await result.ReadJsonAsync()).ToJsonString());
        }
        using (var board = await app.AnonymousClient().GetAsync("/api/v1/public/disclosures/SCH-MJC"))
        {
            Assert.Equal(HttpStatusCode.OK, board.StatusCode);
            var text = await board.Content.ReadAsStringAsync();
            Assert.Contains("关于" + title + "的决定", text);
            Assert.Contains(title + "实施结果", text);
        }

        var closed = await Town.DoAsync(id, "follow-up", new { satisfaction = "Satisfied", note = "群众满意" });
        Assert.Equal("FollowedUp", closed.Status());

        // The timeline tells it in order.
        string[] expected =
        [
            "Register", "Triage", "Deliberate", "DeliberationOutcome", "DeliberationOutcome", "DeliberationOutcome", "Plan", "Start",
            "PlanProgress", "PlanProgress", "Resolve", "Disclose", "Disclose", "FollowUp",
        ];
        Assert.Equal(expected, closed.EventActions().Where(a => a is not ("AddAttachment" or "ViewPersonalData")).ToArray());
    }
}

public sealed class TopicLifeTests_Sqlite(SqliteApp app) : TopicLifeTests(app), IClassFixture<SqliteApp>;

public sealed class TopicLifeTests_Postgres(PostgresApp app) : TopicLifeTests(app), IClassFixture<PostgresApp>;
