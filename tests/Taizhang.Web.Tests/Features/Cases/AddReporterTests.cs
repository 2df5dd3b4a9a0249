using System.Net.Http.Json;
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
    public async Task AddReporter_IsOnlyForThoseWhoMayRevealThePhones_SoItCannotConfirmAGuess()
    {
        // The attack: an operator (or an integration, which acts as one) sees 139****5678 and adds the
        // reporter's name with a guessed number; a right guess was answered unlike a wrong one.
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "猜号码", reporterName: "王秀兰", phone: "13912345678"));
        var before = await town.SnapshotAsync(id);
        var (integration, _) = await app.IntegrationAsync();

        foreach (var client in new[] { app.SharedClientAs("operator"), integration })
        {
            foreach (var phone in new[] { "13912345678", "13900005678" })
            {
                using var response = await client.PostAsJsonAsync($"/api/v1/cases/{id}/reporters", new { name = "王秀兰", phone });
                await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            }
        }
        using (var page = await app.SharedClientAs("operator").PostFormAsync($"/cases/{id}?handler=AddReporter",
            ("AddReporter.Name", "王秀兰"), ("AddReporter.Phone", "13912345678")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        }
        await town.AssertUnchangedAsync(id, before);
        Assert.DoesNotContain("AddReporter", (await app.SharedClientAs("operator").GetCaseAsync(id))["availableActions"]!.ToJsonString());
    }

    [Fact]
    public async Task AddReporter_SameNameAndPhoneAgain_AddsNoDuplicate_AndIsRecordedAsARepeat()
    {
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "再次来电", reporterName: "张桂兰", phone: "13912345678"));
        var before = await town.GetCaseAsync(id);

        var again = await town.DoAsync(id, "reporters", new { name = "张桂兰", phone = "139 1234 5678" });

        Assert.Single(again["reporters"]!.AsArray());
        Assert.Equal(before.Events().Count + 1, again.Events().Count);
        Assert.True(again.LastEvent()["payload"]!["repeat"]!.GetValue<bool>());

        // The page's 增加反映人 form: a repeat and a new resident are both recorded, nobody is added twice.
        foreach (var (name, phone) in new[] { ("张桂兰", "13912345678"), ("李明", "13711112222"), ("李明", "13711112222") })
        {
            using var posted = await town.PostFormAsync($"/cases/{id}?handler=AddReporter", ("AddReporter.Name", name), ("AddReporter.Phone", phone));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal($"/cases/{id}", posted.Headers.Location?.OriginalString);
        }
        var after = await town.GetCaseAsync(id);
        Assert.Equal(["张桂兰", "李明"], after["reporters"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var townTimeline = WebUtility.HtmlDecode(Section((await town.GetHtmlAsync($"/cases/{id}")).Html, "timeline"));
        Assert.Equal(3, Regex.Count(townTimeline, "记录同一反映人再次反映"));
    }

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
