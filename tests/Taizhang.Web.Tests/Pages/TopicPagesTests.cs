using System.Net;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>The topic ledger (/topics), the plan section and page, and concentrated handling, as HTML.</summary>
public abstract class TopicPagesTests(TaizhangApp app)
{
    private static string Decode(string html) => WebUtility.HtmlDecode(html);

    private async Task<(long Id, string Code)> PlannedTopicAsync(HttpClient town, string title, string firstDate = "2026-11-28")
    {
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: title, orgUnit: "SCH-WJC"));
        await town.DoAsync(id, "triage", new { track = "Topic", urgency = "Low" });
        await town.DoAsync(id, "deliberate", new { });
        using var put = await town.PutAsync($"/api/v1/cases/{id}/plan", System.Net.Http.Json.JsonContent.Create(new
        {
            summary = "分两步实施",
            steps = new object[]
            {
                new { title = "测量放线", unit = "SCH-WJC", targetDate = firstDate },
                new { title = "施工", unit = "SCH", targetDate = "2027-01-10" },
            },
        }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return (id, (await town.GetCaseAsync(id)).TrackingCode());
    }

    [Fact]
    public async Task TopicLedger_ShowsStageProgressAndOverdueStep_InScope_WithItsNavigationLink()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var town = app.ClientAs("town");
            var (id, code) = await PlannedTopicAsync(town, "王家村排水沟（台账页）");
            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));

            var (status, raw) = await town.GetHtmlAsync("/topics?q=" + code);
            var html = Decode(raw);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("<a href=\"/topics\" aria-current=\"page\">议题台账</a>", html);
            Assert.Contains("王家村排水沟（台账页）", html);
            var row = Regex.Match(html, $"<tr data-case=\"{id}\" class=\"overdue\">(.*?)</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, html);
            Assert.Contains(">已制定办理计划<", row.Value);
            Assert.Contains("0/2 · 0%", row.Value);
            // The bar is a native <progress>: the CSP (style-src 'self') would drop an inline width and show every bar full.
            Assert.Contains("<progress class=\"bar\" max=\"100\" value=\"0\"", row.Value);
            Assert.DoesNotContain(" style=\"", html);
            Assert.Contains("2026-11-28", row.Value);
            Assert.Contains(">逾期<", row.Value);
            Assert.Contains("export.xlsx?q=" + code, html);

            var (_, other) = await app.ClientAs("cadre").GetHtmlAsync("/topics?q=" + code);
            Assert.DoesNotContain("王家村排水沟（台账页）", Decode(other));
            Assert.Contains("王家村排水沟（台账页）", Decode((await app.ClientAs("cadre-wjc").GetHtmlAsync("/topics?q=" + code)).Html));

            var (bad, badHtml) = await town.GetHtmlAsync("/topics?stage=Nope");
            Assert.Equal(HttpStatusCode.BadRequest, bad);
            Assert.Contains("阶段无效。", Decode(badHtml));
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task CasePage_PlanSection_StepsAndProgressForm_ReportAndRefusal()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.ClientAs("town");
        var (id, _) = await PlannedTopicAsync(town, "王家村路灯（计划区）", "2026-12-05");
        var html = Decode((await town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains("id=\"plan\"", html);
        Assert.Contains("测量放线", html);
        Assert.Contains("已完成 0/2 步，总进度 0%", html);
        Assert.Contains("<progress class=\"bar\" max=\"100\" value=\"0\"", html);
        Assert.DoesNotContain(" style=\"", html);
        var form = Regex.Match(html, $"<form method=\"post\" action=\"/cases/{id}/plan\\?handler=Progress\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success);
        Assert.Contains("__RequestVerificationToken", form.Value);

        using (var refused = await town.PostFormAsync($"/cases/{id}/plan?handler=Progress", ("Progress.Step", "1"), ("Progress.Progress", "120")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = Decode(await refused.Content.ReadAsStringAsync());
            Assert.Contains("<span class=\"field-error\" id=\"Progress_1-error\">进度应在 0 到 100 之间。</span>", page);
            Assert.Contains("value=\"120\"", page);
        }
        using (var ok = await town.PostFormAsync($"/cases/{id}/plan?handler=Progress", ("Progress.Step", "1"), ("Progress.Completed", "true"), ("Progress.Note", "放线完成")))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
            Assert.Equal($"/cases/{id}#plan", ok.Headers.Location?.OriginalString);
        }
        var after = Decode((await town.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.Contains("第 1 步已完成", after);
        Assert.Contains("已完成 1/2 步，总进度 50%", after);
        Assert.Contains("办理计划第 1 步「测量放线」已完成", after);
        Assert.Contains("制定办理计划（承办单位：王家村）：分两步实施（办理期限随计划调整为 2027-01-10）", after);

        // The plan page: the editor holds the steps and offers blank rows.
        var editor = Decode((await town.GetHtmlAsync($"/cases/{id}/plan")).Html);
        Assert.Contains("name=\"Plan.Steps[1].Title\" value=\"施工\"", editor);
        Assert.Contains("name=\"Plan.Steps[4].Title\"", editor);
        using var missingUnit = await town.PostFormAsync($"/cases/{id}/plan?handler=Plan", ("Plan.Summary", "改为三步"),
            ("Plan.Steps[0].Title", "测量放线"), ("Plan.Steps[0].Unit", "SCH-WJC"), ("Plan.Steps[0].TargetDate", "2026-12-05"),
            ("Plan.Steps[1].Title", "施工"), ("Plan.Steps[1].Unit", ""), ("Plan.Steps[1].TargetDate", "2027-01-10"));
        Assert.Equal(HttpStatusCode.BadRequest, missingUnit.StatusCode);
        Assert.Contains("id=\"Plan_Steps_1__Unit-error\">必填。</span>", Decode(await missingUnit.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ConcentratedPage_ListsTheReason_AndCallsTheMeeting_ThenLinksToIt()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        try
        {
            var town = app.ClientAs("town");
            var (id, _) = await PlannedTopicAsync(town, "王家村桥梁加固（集中办理页）");
            app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero));
            var html = Decode((await town.GetHtmlAsync("/topics/concentrated")).Html);
            var row = Regex.Match(html, $"<tr data-case=\"{id}\" data-reason=\"StepOverdue\">(.*?)</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, html);
            Assert.Contains("第1步「测量放线」逾期 4 天", row.Value);

            using var empty = await town.PostFormAsync("/topics/concentrated", ("Meeting.Title", "集中办理会"), ("Meeting.At", "2026-12-10T09:00"));
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("请至少勾选一个议题。", Decode(await empty.Content.ReadAsStringAsync()));

            using var created = await town.PostFormAsync("/topics/concentrated", ("Meeting.Title", "桥梁集中办理会"), ("Meeting.At", "2026-12-10T09:00"),
                ("Meeting.Place", "镇会议室"), ("Meeting.CaseIds", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var location = created.Headers.Location!.OriginalString;
            Assert.StartsWith("/topics/concentrated?created=", location, StringComparison.Ordinal);
            var meetingId = location["/topics/concentrated?created=".Length..];
            var done = Decode((await town.GetHtmlAsync(location)).Html);
            Assert.Contains($"href=\"/meetings/{meetingId}\"", done);
            Assert.Contains("已安排集中办理会「桥梁集中办理会」，1 个议题列入议程。", done);
            var at = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Meetings.Where(m => m.Id == long.Parse(meetingId)).Select(m => m.HeldAt)));
            // 09:00 in Shanghai.
            Assert.Equal(new DateTime(2026, 12, 10, 1, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(at, DateTimeKind.Utc));

            // The topic ledger lists the meeting the topic is on, with a link to it.
            var ledger = Decode((await town.GetHtmlAsync("/topics?q=" + (await town.GetCaseAsync(id)).TrackingCode())).Html);
            Assert.Contains($"<li><a href=\"/meetings/{meetingId}\">桥梁集中办理会</a>", ledger);

            // A village cadre sees the candidates but is not offered the meeting.
            var cadre = Decode((await app.ClientAs("cadre-wjc").GetHtmlAsync("/topics/concentrated")).Html);
            Assert.DoesNotContain("name=\"Meeting.Title\"", cadre);
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }
}

public sealed class TopicPagesTests_Sqlite(SqliteApp app) : TopicPagesTests(app), IClassFixture<SqliteApp>;

public sealed class TopicPagesTests_Postgres(PostgresApp app) : TopicPagesTests(app), IClassFixture<PostgresApp>;
