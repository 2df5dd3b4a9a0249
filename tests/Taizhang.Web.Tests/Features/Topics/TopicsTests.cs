using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Plans;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Topics;

/// <summary>Handling plans with steps, the topic ledger and concentrated handling, over HTTP.</summary>
public abstract class TopicsTests(TaizhangApp app)
{
    private static object TwoSteps(string first = "2026-12-03", string last = "2026-12-20") => new
    {
        summary = "分两步：先摸底，再办招聘会",
        steps = new object[]
        {
            new { title = "摸底登记返乡人员", unit = "SCH-WJC", targetDate = first },
            new { title = "举办专场招聘会", unit = "SCH", targetDate = last, note = "人社所牵头" },
        },
    };

    private static async Task<JsonObject> PutPlanAsync(HttpClient client, long id, object body)
    {
        using var response = await client.PutAsJsonAsync($"/api/v1/cases/{id}/plan", body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"plan: {response.StatusCode}: {json}");
        return json;
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}: {json}");
        return json;
    }

    private static async Task<JsonArray> CandidatesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/topics/concentrated-candidates");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private static async Task<long> LedgeredTopicAsync(HttpClient client, string title, string village = "SCH-WJC")
    {
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: title, orgUnit: village, category: "employment"));
        Assert.Equal("Ledgered", (await client.DoAsync(id, "triage", new { track = "Topic", urgency = "Low" })).Status());
        return id;
    }

    [Fact]
    public async Task Topic_PlanWithTwoSteps_ProgressCompletion_ThenResolved_AndListedWithItsProgress()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.ClientAs("town");
        var id = await LedgeredTopicAsync(town, "返乡青年就业难（计划）");
        Assert.Equal("Deliberating", (await town.DoAsync(id, "deliberate", new { })).Status());

        var planned = await PutPlanAsync(town, id, TwoSteps());
        Assert.Equal("Planned", planned.Status());
        // The case's due date follows the plan: the last step's target date.
        Assert.Equal("2026-12-20", planned["dueDate"]!.GetValue<string>());
        Assert.Equal("Plan", planned.LastEvent()["action"]!.GetValue<string>());
        Assert.Equal("分两步：先摸底，再办招聘会", planned["handlingPlan"]!.GetValue<string>());
        Assert.Equal("SCH-WJC", planned.AssigneeCode());

        var plan = await GetJsonAsync(town, $"/api/v1/cases/{id}/plan");
        Assert.Equal(2, plan["stepCount"]!.GetValue<int>());
        Assert.Equal("摸底登记返乡人员", plan["steps"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("SCH", plan["steps"]![1]!["unit"]!["code"]!.GetValue<string>());
        Assert.Equal("2026-12-03", plan["nextTargetDate"]!.GetValue<string>());

        var half = await town.DoAsync(id, "plan/steps/1/progress", new { progress = 50, note = "已摸底一半" });
        var e = half.LastEvent();
        Assert.Equal("PlanProgress", e["action"]!.GetValue<string>());
        Assert.Equal(50, e["payload"]!["progress"]!.GetValue<int>());
        Assert.False(e["payload"]!["completed"]!.GetValue<bool>());

        var done = await town.DoAsync(id, "plan/steps/1/progress", new { completed = true, note = "摸底完成，共 42 人" });
        Assert.True(done.LastEvent()["payload"]!["completed"]!.GetValue<bool>());
        Assert.Equal(1, done.LastEvent()["payload"]!["step"]!.GetValue<int>());

        // A completed step does not go back: refused next to the field, nothing recorded.
        var before = await town.SnapshotAsync(id);
        await town.AssertFieldErrorAsync(id, "plan/steps/1/progress", new { progress = 30 }, "progress");
        await town.AssertUnchangedAsync(id, before);

        var topics = await GetJsonAsync(town, "/api/v1/topics?q=" + Uri.EscapeDataString(planned.TrackingCode()));
        var row = topics["items"]!.AsArray().Single()!;
        Assert.Equal("Planned", row["stage"]!.GetValue<string>());
        Assert.Equal(1, row["plan"]!["stepsDone"]!.GetValue<int>());
        Assert.Equal(2, row["plan"]!["stepCount"]!.GetValue<int>());
        Assert.Equal(50, row["plan"]!["overallProgress"]!.GetValue<int>());
        Assert.Equal("2026-12-20", row["plan"]!["nextTargetDate"]!.GetValue<string>());
        Assert.False(row["plan"]!["overdueStep"]!.GetValue<bool>());
        Assert.Equal("SCH-WJC", row["village"]!["code"]!.GetValue<string>());

        Assert.Equal("InProgress", (await town.DoAsync(id, "start")).Status());
        var resolved = await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "42 人中 30 人已就业" });
        Assert.Equal(["Register", "Triage", "Deliberate", "Plan", "PlanProgress", "PlanProgress", "Start", "Resolve"], resolved.EventActions());
    }

    [Fact]
    public async Task BadPlans_AreFieldErrors_AndNothingIsSaved()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.ClientAs("town");
        var id = await LedgeredTopicAsync(town, "村道排水不畅（坏计划）");
        await town.DoAsync(id, "deliberate", new { });
        var before = await town.SnapshotAsync(id);

        async Task RefusedAsync(object body, string field)
        {
            using var response = await town.PutAsJsonAsync($"/api/v1/cases/{id}/plan", body);
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey(field), $"no error for {field}: {problem}");
        }

        await RefusedAsync(new { summary = "计划", steps = new[] { new { title = "清淤", unit = (string?)null, targetDate = "2026-12-01" } } }, "steps[0].unit");
        await RefusedAsync(new { summary = "计划", steps = new[] { new { title = "清淤", unit = "SCH-MJC", targetDate = (string?)null } } }, "steps[0].targetDate");
        await RefusedAsync(new { summary = "计划", steps = new[] { new { title = "清淤", unit = "SCH-MJC", targetDate = "2026-11-20" } } }, "steps[0].targetDate");
        await RefusedAsync(new { summary = "计划", steps = new[] { new { title = "清淤", unit = "ZX", targetDate = "2026-12-01" } } }, "steps[0].unit");
        await RefusedAsync(new { summary = "计划", steps = Array.Empty<object>() }, "steps");
        await RefusedAsync(new { summary = "", steps = new[] { new { title = "清淤", unit = "SCH-MJC", targetDate = "2026-12-01" } } }, "summary");
        await town.AssertUnchangedAsync(id, before);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<HandlingPlan>().CountAsync(p => p.CaseId == id)));
        using (var none = await town.GetAsync($"/api/v1/cases/{id}/plan"))
        {
            await none.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }

        await PutPlanAsync(town, id, new { summary = "清淤", steps = new[] { new { title = "清淤", unit = "SCH-MJC", targetDate = "2026-12-01" } } });
        var planned = await town.SnapshotAsync(id);
        await town.AssertFieldErrorAsync(id, "plan/steps/1/progress", new { progress = 120 }, "progress");
        await town.AssertFieldErrorAsync(id, "plan/steps/9/progress", new { progress = 10 }, "step");
        await town.AssertUnchangedAsync(id, planned);
    }

    [Fact]
    public async Task OverdueStep_AndLongWait_AreCandidates_AndTheConcentratedMeetingTakesBoth()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var town = app.ClientAs("town");
            var late = await LedgeredTopicAsync(town, "灌溉渠修复（逾期步骤）");
            await town.DoAsync(late, "deliberate", new { });
            await PutPlanAsync(town, late, new
            {
                summary = "先清淤再硬化",
                steps = new object[]
                {
                    new { title = "清淤", unit = "SCH-WJC", targetDate = "2026-11-28" },
                    new { title = "渠道硬化", unit = "SCH-WJC", targetDate = "2027-01-15" },
                },
            });
            var waiting = await LedgeredTopicAsync(town, "村头广场改造（久未议）");
            var fresh = await LedgeredTopicAsync(town, "村口垃圾点（刚入账）");
            Assert.DoesNotContain(await CandidatesAsync(town), c => c!["id"]!.GetValue<long>() == late);

            // 2026-12-01: step 1 is 3 days past its date.
            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
            var candidate = (await CandidatesAsync(town)).Single(c => c!["id"]!.GetValue<long>() == late)!;
            Assert.Equal("StepOverdue", candidate["reasonKind"]!.GetValue<string>());
            Assert.Equal("第1步「清淤」逾期 3 天", candidate["reason"]!.GetValue<string>());
            var row = (await GetJsonAsync(town, "/api/v1/topics?overdue=true"))["items"]!.AsArray();
            Assert.Contains(row, r => r!["id"]!.GetValue<long>() == late && r["plan"]!["overdueStep"]!.GetValue<bool>());

            // 31 days after it was ledgered, the untouched topic waits too long; the one ledgered later does not.
            var ledgeredAt = TaizhangApp.Start;
            app.Clock.SetUtcNow(ledgeredAt.AddDays(31));
            var fresh2 = await LedgeredTopicAsync(town, "村卫生室搬迁（刚入账）");
            var all = await CandidatesAsync(town);
            var wait = all.Single(c => c!["id"]!.GetValue<long>() == waiting)!;
            Assert.Equal("Waiting", wait["reasonKind"]!.GetValue<string>());
            Assert.Equal("入账已 31 天", wait["reason"]!.GetValue<string>());
            Assert.DoesNotContain(all, c => c!["id"]!.GetValue<long>() == fresh2);

            // Refusals create nothing: a topic that is not a candidate, a village cadre.
            var meetingsBefore = await app.WithDbAsync(db => db.Meetings.CountAsync());
            var snapshot = await town.SnapshotAsync(waiting);
            using (var refused = await town.PostAsJsonAsync("/api/v1/topics/concentrated-meetings",
                       new { title = "集中办理会", at = "2027-01-05T02:00:00Z", place = "镇政府三楼会议室", caseIds = new[] { waiting, fresh2 } }))
            {
                var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
                Assert.True(problem.Errors().ContainsKey("caseIds[1]"), problem.ToJsonString());
            }
            using (var cadre = await app.ClientAs("cadre-wjc").PostAsJsonAsync("/api/v1/topics/concentrated-meetings",
                       new { title = "集中办理会", at = "2027-01-05T02:00:00Z", caseIds = new[] { waiting } }))
            {
                await cadre.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            }
            Assert.Equal(meetingsBefore, await app.WithDbAsync(db => db.Meetings.CountAsync()));
            await town.AssertUnchangedAsync(waiting, snapshot);

            using var created = await town.PostAsJsonAsync("/api/v1/topics/concentrated-meetings",
                new { title = "十二月集中办理会", at = "2027-01-05T02:00:00Z", place = "镇政府三楼会议室", caseIds = new[] { late, waiting } });
            var meeting = await created.ReadJsonAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, meeting.ToJsonString());
            var meetingId = meeting["id"]!.GetValue<long>();
            Assert.Equal($"/api/v1/meetings/{meetingId}", created.Headers.Location?.OriginalString);

            var (kind, agenda) = await app.WithDbAsync(async db =>
            {
                var m = await db.Meetings.Include(x => x.Agenda).SingleAsync(x => x.Id == meetingId);
                return (m.Kind, m.Agenda.OrderBy(a => a.Seq).Select(a => (a.CaseId, a.Source)).ToList());
            });
            Assert.Equal(MeetingKind.ConcentratedHandling, kind);
            Assert.Equal([(late, AgendaSource.Cadres), (waiting, AgendaSource.Cadres)], agenda.Select(a => ((long)a.CaseId!, a.Source)).ToList());

            var lateCase = await town.GetCaseAsync(late);
            Assert.Equal("Planned", lateCase.Status());
            Assert.Equal("Deliberate", lateCase.LastEvent()["action"]!.GetValue<string>());
            Assert.Equal(meetingId, lateCase.LastEvent()["payload"]!["meetingId"]!.GetValue<long>());
            var waitingCase = await town.GetCaseAsync(waiting);
            Assert.Equal("Deliberating", waitingCase.Status());
            Assert.Equal(meetingId, waitingCase.LastEvent()["payload"]!["meetingId"]!.GetValue<long>());
            var (_, html) = await town.GetHtmlAsync($"/cases/{waiting}");
            Assert.Contains("十二月集中办理会", html);

            // The topic ledger shows the meeting each went to.
            var listed = (await GetJsonAsync(town, "/api/v1/topics?q=" + Uri.EscapeDataString(waitingCase.TrackingCode())))["items"]![0]!;
            Assert.Equal("十二月集中办理会", listed["meetings"]![0]!["title"]!.GetValue<string>());
            Assert.Equal("Deliberating", listed["stage"]!.GetValue<string>());

            // On the agenda of a meeting not yet held, they are no longer candidates: a second meeting for them is refused.
            var after = (await CandidatesAsync(town)).Select(c => c!["id"]!.GetValue<long>()).ToArray();
            Assert.DoesNotContain(late, after);
            Assert.DoesNotContain(waiting, after);
            var meetingsNow = await app.WithDbAsync(db => db.Meetings.CountAsync());
            using (var again = await town.PostAsJsonAsync("/api/v1/topics/concentrated-meetings",
                new { title = "再开一次", at = "2027-01-06T02:00:00Z", caseIds = new[] { late } }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            }
            Assert.Equal(meetingsNow, await app.WithDbAsync(db => db.Meetings.CountAsync()));
            _ = fresh;
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Topics_AreScoped_AnotherVillagesCadreDoesNotSeeThem()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.ClientAs("town");
        var id = await LedgeredTopicAsync(town, "王家村文化广场（范围）");
        var code = (await town.GetCaseAsync(id)).TrackingCode();
        var mine = await GetJsonAsync(app.ClientAs("cadre-wjc"), "/api/v1/topics?q=" + code);
        Assert.Equal(1, mine["total"]!.GetValue<int>());
        var other = await GetJsonAsync(app.ClientAs("cadre"), "/api/v1/topics?q=" + code);
        Assert.Equal(0, other["total"]!.GetValue<int>());
        Assert.DoesNotContain(await CandidatesAsync(app.ClientAs("cadre")), c => c!["id"]!.GetValue<long>() == id);
        using var plan = await app.ClientAs("cadre").GetAsync($"/api/v1/cases/{id}/plan");
        await plan.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        var filtered = await GetJsonAsync(town, "/api/v1/topics?village=SCH-MJC&q=" + code);
        Assert.Equal(0, filtered["total"]!.GetValue<int>());
        var staged = await GetJsonAsync(town, "/api/v1/topics?stage=Ledgered&village=SCH-WJC&q=" + code);
        Assert.Equal("Ledgered", staged["items"]![0]!["stage"]!.GetValue<string>());
        using var bad = await town.GetAsync("/api/v1/topics?stage=Nope&pageSize=0&sort=x");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("stage") && problem.Errors().ContainsKey("pageSize") && problem.Errors().ContainsKey("sort"));
    }

    [Fact]
    public async Task TopicLedger_DownloadsAsXlsx_WithFrozenHeader()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.ClientAs("town");
        await LedgeredTopicAsync(town, "小学门口交通安全（导出）");
        using var response = await town.GetAsync("/api/v1/topics/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, false);
        var sheet = Cases.ExportLedgerTests.Workbook.Sheet(doc, "议题台账");
        Assert.Equal("Frozen", sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Pane>().Single().State!.InnerText, ignoreCase: true);
        var text = sheet.InnerText;
        Assert.Contains("议题", text);
        Assert.Contains("小学门口交通安全（导出）", text);
        Assert.Equal(12, sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>().Count());
    }
}

public sealed class TopicsTests_Sqlite(SqliteApp app) : TopicsTests(app), IClassFixture<SqliteApp>;

public sealed class TopicsTests_Postgres(PostgresApp app) : TopicsTests(app), IClassFixture<PostgresApp>;
