using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 分流 as a browser without JavaScript uses it. The tests of a class share one database, so each
/// registers its own cases with distinct titles and checks them by id, never the whole queue.
/// </summary>
public abstract class TriagePageTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    [Fact]
    public async Task Queue_IsOldestFirst_AndHoldsOnlyCasesWaitingForTriage()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-20));
        var oldest = await _town.RegisterIdAsync(CaseApi.NewCase(title: "供暖管道漏水", orgUnit: "SCH-WJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-19));
        var returned = await _town.RegisterIdAsync(CaseApi.NewCase(title: "广场舞噪音扰民", orgUnit: "SCH-MJC"));
        await _town.DoAsync(returned, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await app.SharedClientAs("cadre").DoAsync(returned, "return", new { reason = "不属于本村" });
        var reopened = await _town.RegisterIdAsync(CaseApi.NewCase(title: "养老金发放延迟", orgUnit: "SCH"));
        await _town.DoAsync(reopened, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(reopened, "resolve", new { outcome = "Solved", result = "已补发" });
        await _town.DoAsync(reopened, "reopen", new { reason = "群众反映仍未到账" });
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-18));
        var newer = await _town.RegisterIdAsync(CaseApi.NewCase(title: "小学门口缺少减速带", orgUnit: "SCH-MJC-1"));
        var triaged = await _town.RegisterIdAsync(CaseApi.NewCase(title: "农田灌溉渠需要清淤", orgUnit: "SCH-MJC"));
        await _town.DoAsync(triaged, "triage", new { track = "Topic" });
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "要求退还多年前的集资款", orgUnit: "SCH-MJC"));
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        app.Clock.SetUtcNow(TaizhangApp.Start);

        var (status, html) = await _town.GetHtmlAsync("/triage");

        Assert.Equal(HttpStatusCode.OK, status);
        int At(long id) => html.IndexOf($"id=\"case-{id}\"", StringComparison.Ordinal);
        Assert.True(At(oldest) >= 0 && At(returned) > At(oldest) && At(newer) > At(returned) && At(reopened) > At(oldest),
            $"order: {At(oldest)} {At(returned)} {At(reopened)} {At(newer)}");
        Assert.Equal(-1, At(triaged));
        Assert.Equal(-1, At(rejected));
        // Reopened cases cannot be merged or rejected: no such forms in their row.
        var reopenedRow = Row(html, reopened);
        Assert.DoesNotContain("Reject.CaseId", reopenedRow);
        Assert.Contains($"id=\"t{reopened}-track\"", reopenedRow);
        var total = (await _town.ListAsync("status=Registered,Returned,Reopened")).Total();
        Assert.Contains($"data-total=\"{total}\"", html);
    }

    [Fact]
    public async Task Row_HasOneLabelledFormWithTheTownsHandlingUnits()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-30));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "桥梁护栏松动", orgUnit: "SCH-WJC", category: "safety", urgency: "High"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        var row = Row((await _town.GetHtmlAsync("/triage")).Html, id);

        foreach (var field in new[] { "track", "urgency", "category", "unit", "due" })
        {
            Assert.Contains($"<label for=\"t{id}-{field}\">", row);
            Assert.Contains($"id=\"t{id}-{field}\"", row);
        }
        Assert.Contains($"id=\"t{id}-submit\"", row);
        Assert.Contains("<option value=\"SCH-SFS\">", row);
        Assert.Contains("<option value=\"SCH-MJC\">", row);
        Assert.DoesNotContain("<option value=\"ZX\">", row);
        Assert.Contains("<option value=\"High\" selected=\"selected\">", row);
        Assert.Contains("<option value=\"safety\" selected=\"selected\">", row);
    }

    [Fact]
    public async Task Triage_WithUnitAndDueDate_AssignsAndSetsTheDueDate()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-2));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "路边排水沟堵塞发臭", orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        using var response = await _town.PostFormAsync("/triage?handler=Triage&p=1",
            ("Triage.CaseId", id.ToString()), ("Triage.Track", "Direct"), ("Triage.Urgency", "High"),
            ("Triage.Category", "environment"), ("Triage.AssigneeUnit", "SCH-MJC"), ("Triage.DueDate", "2026-12-04"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/triage", response.Headers.Location?.OriginalString);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Assigned", c.Status());
        Assert.Equal("SCH-MJC", c.AssigneeCode());
        Assert.Equal("High", c["urgency"]!.GetValue<string>());
        Assert.Equal("environment", c["category"]!["code"]!.GetValue<string>());
        Assert.Equal("2026-12-04", c["dueDate"]!.GetValue<string>());
        var (_, html) = await _town.GetHtmlAsync("/triage");
        Assert.Contains(c.TrackingCode() + " 已分流", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain($"id=\"case-{id}\"", html);
    }

    [Theory]
    [InlineData("Direct", "SCH-NOWHERE", "", "unit")]
    [InlineData("Direct", "ZX", "", "unit")]
    [InlineData("Topic", "SCH-MJC", "", "unit")]
    [InlineData("Direct", "SCH-MJC", "2026-11-25", "due")]
    [InlineData("Direct", "", "2026-02-30", "due")]
    [InlineData("Sideways", "", "", "track")]
    public async Task Triage_Refused_Is400NextToThatRowsFieldAndChangesNothing(string track, string unit, string dueDate, string field)
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "健身器材损坏 " + field + track + unit + dueDate, orgUnit: "SCH-MJC"));
        var other = await _town.RegisterIdAsync(CaseApi.NewCase(title: "公厕无人打扫 " + field + track + unit + dueDate, orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var before = await _town.SnapshotAsync(id);

        using var response = await _town.PostFormAsync("/triage?handler=Triage&p=1",
            ("Triage.CaseId", id.ToString()), ("Triage.Track", track), ("Triage.Urgency", "Low"),
            ("Triage.Category", ""), ("Triage.AssigneeUnit", unit), ("Triage.DueDate", dueDate));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var row = Row(html, id);
        Assert.Matches($"id=\"t{id}-{field}-error\">[^<]+<", row);
        Assert.DoesNotContain("field-error", Row(html, other));
        // What was chosen is kept in that row.
        Assert.Contains("<option value=\"Low\" selected=\"selected\">", row);
        if (dueDate.Length > 0)
        {
            Assert.Contains($"value=\"{dueDate}\"", row);
        }
        if (unit.Length > 0)
        {
            Assert.Contains($"<option value=\"{unit}\" selected=\"selected\">", row);
        }
        await _town.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Triage_OfACaseSomeoneElseTriagedMeanwhile_Is409WithTheMessageAboveTheQueue()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "集市摊位乱收费", orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        await app.SharedClientAs("town-colleague").DoAsync(id, "triage", new { track = "Topic" });

        using var response = await _town.PostFormAsync("/triage?handler=Triage&p=1",
            ("Triage.CaseId", id.ToString()), ("Triage.Track", "Direct"), ("Triage.Urgency", "Normal"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain($"id=\"case-{id}\"", html);
        Assert.Matches("<div class=\"errors\" role=\"alert\">\\s*<p>[^<]+</p>", html);
        Assert.Equal("Ledgered", (await _town.GetCaseAsync(id)).Status());
    }

    [Fact]
    public async Task NearIdenticalCase_IsSuggested_AndMergingWorks()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-40));
        var first = await _town.RegisterIdAsync(CaseApi.NewCase(title: "新庄村水渠堵塞灌溉用不上水", orgUnit: "SCH-MJC", phone: "13700001111"));
        await _town.DoAsync(first, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var unrelated = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村委会办公电脑故障", orgUnit: "SCH-MJC"));
        var old = await _town.RegisterIdAsync(CaseApi.NewCase(title: "新庄村水渠堵塞灌溉用不上水", orgUnit: "SCH-MJC"));
        await _town.DoAsync(old, "reject", new { reason = "重复" });
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-39));
        var second = await _town.RegisterIdAsync(CaseApi.NewCase(title: "新庄村的水渠堵塞了，灌溉用不上水", orgUnit: "SCH-MJC", phone: "13700002222"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        var row = Row((await _town.GetHtmlAsync("/triage")).Html, second);

        Assert.Contains($"data-suggestion-id=\"{first}\"", row);
        Assert.DoesNotContain($"data-suggestion-id=\"{unrelated}\"", row);
        Assert.DoesNotContain($"data-suggestion-id=\"{old}\"", row); // closed cases are not offered
        Assert.Contains($"id=\"t{second}-merge-{first}\"", row);
        // The suggestion names the other case as people know it, by its tracking code (one merge form everywhere).
        var firstCode = (await _town.GetCaseAsync(first)).TrackingCode();
        Assert.Contains($"name=\"Merge.Into\" value=\"{firstCode}\"", row);

        using var response = await _town.PostFormAsync("/triage?handler=Merge&p=1",
            ("Merge.CaseId", second.ToString()), ("Merge.Into", firstCode));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var merged = await _town.GetCaseAsync(second);
        Assert.Equal("Merged", merged.Status());
        Assert.Equal(first, merged["mergedInto"]!["id"]!.GetValue<long>());
        var survivor = await _town.GetCaseAsync(first);
        Assert.Equal(2, survivor["reporters"]!.AsArray().Count);
        var (_, html) = await _town.GetHtmlAsync("/triage");
        Assert.Contains($"{merged.TrackingCode()} 已合并到 {survivor.TrackingCode()}", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain($"id=\"case-{second}\"", html);
    }

    [Fact]
    public async Task Merge_IntoAClosedCase_Is400InThatRow()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        var closed = await _town.RegisterIdAsync(CaseApi.NewCase(title: "快递驿站占道经营", orgUnit: "SCH-MJC"));
        await _town.DoAsync(closed, "reject", new { reason = "不属于受理范围" });
        var queued = await _town.RegisterIdAsync(CaseApi.NewCase(title: "快递驿站占用人行道", orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var before = await _town.SnapshotAsync(queued);

        using var response = await _town.PostFormAsync("/triage?handler=Merge&p=1",
            ("Merge.CaseId", queued.ToString()), ("Merge.Into", (await _town.GetCaseAsync(closed)).TrackingCode()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"id=\"t{queued}-errors\"", Row(await response.Content.ReadAsStringAsync(), queued));
        await _town.AssertUnchangedAsync(queued, before);
    }

    [Fact]
    public async Task Reject_WithReason_RejectsAndWithoutReasonIs400()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-4));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "要求政府出资装修私宅", orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        using (var empty = await _town.PostFormAsync("/triage?handler=Reject&p=1", ("Reject.CaseId", id.ToString()), ("Reject.Reason", " ")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Matches($"id=\"t{id}-reason-error\">[^<]+<", Row(await empty.Content.ReadAsStringAsync(), id));
        }
        Assert.Equal("Registered", (await _town.GetCaseAsync(id)).Status());

        using var response = await _town.PostFormAsync("/triage?handler=Reject&p=1", ("Reject.CaseId", id.ToString()), ("Reject.Reason", "私人事务，不属于受理范围"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Rejected", (await _town.GetCaseAsync(id)).Status());
    }

    [Fact]
    public async Task Queue_IsPaged()
    {
        // The newest cases of this class: they fill the later pages, after every other test's cases.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(1));
        for (var i = 0; i < 21; i++)
        {
            await _town.RegisterIdAsync(CaseApi.NewCase(title: $"分页用事项第{i}号", orgUnit: "SCH-MJC"));
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(2));

        var (_, first) = await _town.GetHtmlAsync("/triage");
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(first, "data-total=\"(\\d+)\"").Groups[1].Value);
        var last = (total + 19) / 20;
        var (status, lastPage) = await _town.GetHtmlAsync("/triage?p=" + last);

        Assert.True(total > 20);
        Assert.Equal(20, System.Text.RegularExpressions.Regex.Matches(first, "class=\"card triage-case\"").Count);
        Assert.Contains("href=\"/triage?p=2\"", first);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(total - (last - 1) * 20, System.Text.RegularExpressions.Regex.Matches(lastPage, "class=\"card triage-case\"").Count);
        Assert.Contains("分页用事项第20号", WebUtility.HtmlDecode(lastPage));
    }

    [Fact]
    public async Task TriagedWithoutAUnit_WaitsInTheAssignmentQueue_AndIsAssignedThere()
    {
        // "暂不指定": the case leaves the triage queue and must not leave every queue.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-25));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村道边坡落石需清理", orgUnit: "SCH-WJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        using (var triaged = await _town.PostFormAsync("/triage?handler=Triage&p=1",
            ("Triage.CaseId", id.ToString()), ("Triage.Track", "Direct"), ("Triage.Urgency", "Normal"), ("Triage.AssigneeUnit", "")))
        {
            Assert.Equal(HttpStatusCode.Redirect, triaged.StatusCode);
        }
        var triagedCase = await _town.GetCaseAsync(id);
        Assert.Equal("Triaged", triagedCase.Status());
        var (_, triageQueue) = await _town.GetHtmlAsync("/triage");
        // The notice says where the case went.
        Assert.Contains($"{triagedCase.TrackingCode()} 已分流，请在“已分流待交办”中交办", WebUtility.HtmlDecode(triageQueue));
        Assert.DoesNotContain($"id=\"case-{id}\"", triageQueue);
        // The queue's tab counts what the ledger lists for the stage.
        var waiting = (await _town.ListAsync("status=Triaged")).Total();
        Assert.Contains($"data-queue=\"AwaitingAssignment\" data-count=\"{waiting}\"", triageQueue);

        var (status, html) = await _town.GetHtmlAsync("/triage?queue=AwaitingAssignment");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-total=\"{waiting}\"", html);
        var row = Row(html, id);
        Assert.Contains($"<label for=\"t{id}-assign-unit\">", row);
        Assert.Contains("<option value=\"SCH-WJC\">", row);
        Assert.Contains("name=\"Reject.CaseId\"", row); // a triaged case may still be rejected

        // Without a unit: refused next to the field, in that row, nothing changed.
        var before = await _town.SnapshotAsync(id);
        using (var refused = await _town.PostFormAsync("/triage?handler=Assign&p=1&queue=AwaitingAssignment",
            ("Assign.CaseId", id.ToString()), ("Assign.Unit", "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var refusedRow = Row(await refused.Content.ReadAsStringAsync(), id);
            Assert.Contains($"id=\"t{id}-assign-unit-error\"", refusedRow);
            Assert.Contains("aria-invalid=\"true\"", refusedRow);
        }
        await _town.AssertUnchangedAsync(id, before);

        using var assigned = await _town.PostFormAsync("/triage?handler=Assign&p=1&queue=AwaitingAssignment",
            ("Assign.CaseId", id.ToString()), ("Assign.Unit", "SCH-WJC"));
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal("/triage?queue=AwaitingAssignment", assigned.Headers.Location!.OriginalString);
        var c = await _town.GetCaseAsync(id);
        Assert.Equal("Assigned", c.Status());
        Assert.Equal("SCH-WJC", c["assigneeUnit"]!["code"]!.GetValue<string>());
        var (_, after) = await _town.GetHtmlAsync("/triage?queue=AwaitingAssignment");
        Assert.DoesNotContain($"id=\"case-{id}\"", after);
        Assert.Contains($"{c.TrackingCode()} 已交办给", WebUtility.HtmlDecode(after));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Closed")]
    [InlineData("InHandling")]
    [InlineData("0,1")]
    [InlineData("awaitingtriage")]
    public async Task AQueueThatIsNotAnOfficeQueue_ShowsTheTriageQueue(string queue)
    {
        var (status, html) = await _town.GetHtmlAsync("/triage?queue=" + Uri.EscapeDataString(queue));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-queue=\"AwaitingTriage\"", html);
        Assert.Matches("data-queue=\"AwaitingTriage\" data-count=\"\\d+\" aria-current=\"page\"", html);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("cadre")]
    [InlineData("leader")]
    public async Task UsersWithoutTriage_Get403(string who)
    {
        var client = app.SharedClientAs(who);
        var (page, _) = await client.GetHtmlAsync("/triage");
        using var post = await client.PostFormAsync("/triage?handler=Triage", ("Triage.CaseId", "1"), ("Triage.Track", "Direct"));

        Assert.Equal(HttpStatusCode.Forbidden, page);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    /// <summary>The HTML of one case's row (its article element).</summary>
    private static string Row(string html, long id)
    {
        var start = html.IndexOf($"<article class=\"card triage-case\" id=\"case-{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"case {id} is not in the queue");
        var end = html.IndexOf("</article>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}

public sealed class TriagePageTests_Sqlite(SqliteApp app) : TriagePageTests(app), IClassFixture<SqliteApp>;

public sealed class TriagePageTests_Postgres(PostgresApp app) : TriagePageTests(app), IClassFixture<PostgresApp>;
