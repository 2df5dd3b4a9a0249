using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

public abstract class AddReporterTests(TaizhangApp app)
{
    [Fact]
    public async Task AddReporter_NewResident_IsAddedOnceWithAnEvent()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var after = await client.DoAsync(id, "reporters", new { name = "李明", phone = "13711112222" });
        Assert.Equal(2, after["reporters"]!.AsArray().Count);
        Assert.Equal("AddReporter", after.EventActions()[^1]);

        // The same resident again (a repeat call) adds no reporter but is on the record.
        var again = await client.DoAsync(id, "reporters", new { name = "李明", phone = "137 1111 2222" });
        Assert.Equal(2, again["reporters"]!.AsArray().Count);
        Assert.Equal(after.Events().Count + 1, again.Events().Count);
        Assert.True(again.LastEvent()["payload"]!["repeat"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AddReporter_ByOperatorWhoSeesPhonesMasked_AGuessedPhoneIsAnsweredExactlyLikeAWrongOne()
    {
        // An operator may add reporters but sees phones masked (139****5678). Adding a reporter with a
        // guessed number used to answer "repeat" (and add nobody) when the guess was right.
        var town = app.SharedClientAs("town");
        var op = app.SharedClientAs("operator");
        var right = await town.RegisterIdAsync(CaseApi.NewCase(title: "猜号码", phone: "13912345678"));
        var wrong = await town.RegisterIdAsync(CaseApi.NewCase(title: "猜号码", phone: "13912345678"));

        var hit = await op.DoAsync(right, "reporters", new { name = "试探", phone = "13912345678" });
        var miss = await op.DoAsync(wrong, "reporters", new { name = "试探", phone = "13900005678" });

        Assert.Equal(Shape(miss), Shape(hit));
        Assert.Equal(2, hit["reporters"]!.AsArray().Count);
        Assert.Equal("AddReporter", hit.LastEvent()["action"]!.GetValue<string>());
        Assert.False(hit.LastEvent()["payload"]!.AsObject().ContainsKey("repeat"), hit.LastEvent().ToJsonString());
        Assert.Equal(Shape(await op.GetCaseAsync(wrong)), Shape(await op.GetCaseAsync(right)));
        // And the case page (timeline and reporters) reads the same for both.
        var (rightPage, wrongPage) = ((await op.GetHtmlAsync($"/cases/{right}")).Html, (await op.GetHtmlAsync($"/cases/{wrong}")).Html);
        Assert.Equal(Section(wrongPage, "timeline"), Section(rightPage, "timeline"));
        Assert.Equal(Section(wrongPage, "reporters"), Section(rightPage, "reporters"));
        Assert.DoesNotContain("再次反映", WebUtility.HtmlDecode(rightPage));
    }

    [Fact]
    public async Task AddReporter_SameNameAndPhoneAgain_AddsNoDuplicate_AndOnlyWhoMayRevealSeesItWasARepeat()
    {
        var town = app.SharedClientAs("town");
        var op = app.SharedClientAs("operator");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "再次来电", reporterName: "张桂兰", phone: "13912345678"));
        var before = await op.GetCaseAsync(id);

        var again = await op.DoAsync(id, "reporters", new { name = "张桂兰", phone = "139 1234 5678" });

        Assert.Single(again["reporters"]!.AsArray());
        Assert.Equal(before.Events().Count + 1, again.Events().Count);
        var payload = again.LastEvent()["payload"]!.AsObject();
        Assert.Equal("""{"reporters":1}""", payload.ToJsonString());
        Assert.True((await town.GetCaseAsync(id)).LastEvent()["payload"]!["repeat"]!.GetValue<bool>());

        // The page's 增加反映人 form: a repeat and a new resident are answered alike, and nobody is added twice.
        foreach (var (name, phone) in new[] { ("张桂兰", "13912345678"), ("李明", "13711112222"), ("李明", "13711112222") })
        {
            using var posted = await op.PostFormAsync($"/cases/{id}?handler=AddReporter", ("AddReporter.Name", name), ("AddReporter.Phone", phone));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal($"/cases/{id}", posted.Headers.Location?.OriginalString);
            var (_, html) = await op.GetHtmlAsync($"/cases/{id}");
            Assert.Contains("<p class=\"notice\" role=\"status\">已增加反映人</p>", WebUtility.HtmlDecode(html));
        }
        var after = await town.GetCaseAsync(id);
        Assert.Equal(["张桂兰", "李明"], after["reporters"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var opTimeline = WebUtility.HtmlDecode(Section((await op.GetHtmlAsync($"/cases/{id}")).Html, "timeline"));
        Assert.DoesNotContain("再次反映", opTimeline);
        var townTimeline = WebUtility.HtmlDecode(Section((await town.GetHtmlAsync($"/cases/{id}")).Html, "timeline"));
        Assert.Equal(3, Regex.Count(townTimeline, "记录同一反映人再次反映"));
    }

    /// <summary>What a caller learns from an answer, without what differs between two cases anyway (ids, codes, times).</summary>
    private static string Shape(JsonObject c) => new JsonObject
    {
        ["status"] = c["status"]!.DeepClone(),
        ["availableActions"] = c["availableActions"]!.DeepClone(),
        ["reporters"] = new JsonArray(c["reporters"]!.AsArray().Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r!["name"]!.DeepClone(),
            ["phone"] = r["phone"]?.DeepClone(),
            ["fromCaseId"] = r["fromCaseId"]?.DeepClone(),
            ["masked"] = r["masked"]!.DeepClone(),
        }).ToArray()),
        ["events"] = new JsonArray(c.Events().Select(e => (JsonNode)new JsonObject
        {
            ["action"] = e!["action"]!.DeepClone(),
            ["actor"] = e["actor"]!["name"]!.DeepClone(),
            ["reason"] = e["reason"]?.DeepClone(),
            ["payload"] = e["payload"]?.DeepClone(),
        }).ToArray()),
    }.ToJsonString();

    /// <summary>A section of the case page: the timeline's list or the reporters' table.</summary>
    private static string Section(string html, string name)
    {
        var m = Regex.Match(html, name == "timeline" ? "<ol class=\"timeline\">.*?</ol>" : "<table class=\"reporters\">.*?</table>", RegexOptions.Singleline);
        Assert.True(m.Success, "no " + name);
        return m.Value;
    }

    [Fact]
    public async Task AddReporter_BadInput_Is400AndChangesNothing()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        using var response = await client.ActAsync(id, "reporters", new { name = "", phone = "abc" });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"));
        Assert.True(errors.ContainsKey("phone"));
        Assert.Single((await client.GetCaseAsync(id))["reporters"]!.AsArray());
    }

    [Fact]
    public async Task AddReporter_ToRejectedCase_Is409()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "reject", new { reason = "重复反映" });
        using var response = await client.ActAsync(id, "reporters", new { name = "李明" });
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "illegal-transition");
    }
}

public sealed class AddReporterTests_Sqlite(SqliteApp app) : AddReporterTests(app), IClassFixture<SqliteApp>;

public sealed class AddReporterTests_Postgres(PostgresApp app) : AddReporterTests(app), IClassFixture<PostgresApp>;
