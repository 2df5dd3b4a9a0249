using System.Net;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>成效 on the pages: the case page's form for a resolved case, its refusals next to the measure, and the administrators' list.</summary>
public abstract class OutcomeMeasurePagesTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");

    [Fact]
    public async Task CasePage_ResolvedCase_RecordsMeasures_RefusalKeepsWhatWasTyped()
    {
        var open = await Town.RegisterIdAsync(CaseApi.NewCase(title: "成效页面 未办结", orgUnit: "SCH-MJC"));
        Assert.DoesNotContain("data-block=\"measures\"", (await Town.GetHtmlAsync($"/cases/{open}")).Html);

        var id = await Town.RegisterIdAsync(CaseApi.NewCase(title: "成效页面 已办结", orgUnit: "SCH-MJC"));
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await Town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已办结" });
        var (_, page) = await Town.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("data-block=\"measures\"", page);
        Assert.Contains($"action=\"/cases/{id}/measures\"", page);
        Assert.Contains("name=\"Measures[jobs]\"", page);
        Assert.Matches($"<form[^>]*action=\"/cases/{id}/measures\"[^>]*>[\\s\\S]*?name=\"__RequestVerificationToken\"", page);

        var before = await Town.SnapshotAsync(id);
        using (var refused = await Town.PostFormAsync($"/cases/{id}/measures", ("Measures[jobs]", "十二"), ("Measures[clean-ups]", "2")))
        {
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("id=\"measure-jobs-error\"", html);
            Assert.Contains("value=\"十二\"", WebUtility.HtmlDecode(html));
            Assert.Contains("value=\"2\"", html);
        }
        using (var zero = await Town.PostFormAsync($"/cases/{id}/measures", ("Measures[jobs]", "0")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
            Assert.Contains("id=\"measure-jobs-error\"", await zero.Content.ReadAsStringAsync());
        }
        await Town.AssertUnchangedAsync(id, before);

        using var done = await Town.PostFormAsync($"/cases/{id}/measures", ("Measures[jobs]", "12"), ("Measures[clean-ups]", ""));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/cases/{id}", done.Headers.Location!.OriginalString);
        Assert.Equal("RecordMeasures", (await Town.GetCaseAsync(id)).LastEvent()["action"]!.GetValue<string>());
        var rows = await app.WithDbAsync(db => db.OutcomeTallies.Where(t => t.CaseId == id).Select(t => new { t.MeasureKey, t.Quantity }).ToListAsync());
        Assert.Equal("jobs", Assert.Single(rows).MeasureKey);
    }

    [Fact]
    public async Task AdminPage_CountyChangesTheList_LinesNamedInErrors_TownReadsOnly()
    {
        var (_, town) = await app.SharedClientAs("admin-sch").GetHtmlAsync("/admin/measures");
        Assert.Contains("data-measure=\"jobs\"", town);
        Assert.DoesNotContain("name=\"Lines\"", town);

        var county = app.SharedClientAs("admin-county");
        var (_, form) = await county.GetHtmlAsync("/admin/measures");
        Assert.Contains("name=\"Lines\"", form);
        using (var refused = await county.PostFormAsync("/admin/measures", ("Lines", "jobs 带动就业 人次\nBad 坏 个\n只有两项 x")))
        {
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("第 3 行", html);
            Assert.Contains("只有两项 x", WebUtility.HtmlDecode(html));
        }
        using (var refused = await county.PostFormAsync("/admin/measures", ("Lines", "jobs 带动就业 人次\nBad 坏 个")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("第 2 行", await refused.Content.ReadAsStringAsync());
        }
        using var saved = await county.PostFormAsync("/admin/measures", ("Lines", "jobs 带动就业 人次\nclean-ups 人居环境整治 次\nwells 打井 眼"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, after) = await county.GetHtmlAsync("/admin/measures");
        Assert.Contains("data-measure=\"wells\"", after);
        Assert.DoesNotContain("data-measure=\"funds-raised\"", after);
    }
}

public sealed class OutcomeMeasurePagesTests_Sqlite(SqliteApp app) : OutcomeMeasurePagesTests(app), IClassFixture<SqliteApp>;

public sealed class OutcomeMeasurePagesTests_Postgres(PostgresApp app) : OutcomeMeasurePagesTests(app), IClassFixture<PostgresApp>;
