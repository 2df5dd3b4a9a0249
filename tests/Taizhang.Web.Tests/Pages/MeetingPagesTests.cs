using System.Net;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Features.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>The meeting pages: the list, a new meeting, the workspace at and after the meeting, the print view, and the case page's meetings.</summary>
public abstract partial class MeetingPagesTests(TaizhangApp app)
{
    private HttpClient Cadre => app.SharedClientAs("cadre");

    private static void EveryPostFormCarriesItsToken(string page, string html)
    {
        var forms = Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        Assert.NotEmpty(forms);
        foreach (Match form in forms)
        {
            Assert.True(form.Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal),
                $"{page}: a form without its token: {form.Value[..Math.Min(160, form.Value.Length)]}");
        }
    }

    private static long IdFrom(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return long.Parse(MeetingUrl().Match(response.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"/meetings/(\d+)")]
    private static partial Regex MeetingUrl();

    [Fact]
    public async Task NewMeeting_RefusedInputIsShownWithWhatWasTyped_ThenPlans()
    {
        var (status, html) = await Cadre.GetHtmlAsync("/meetings/new");
        Assert.Equal(HttpStatusCode.OK, status);
        EveryPostFormCarriesItsToken("/meetings/new", html);
        Assert.Contains("马家村", html);

        using (var refused = await Cadre.PostFormAsync("/meetings/new", ("Form.Kind", "Deliberation"), ("Form.Unit", "SCH-MJC"), ("Form.Title", ""),
            ("Form.At", "2026-11-26T09:00"), ("Form.Place", "村委会二楼")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("field-error", body);
            Assert.Contains("村委会二楼", body);
        }
        using var planned = await Cadre.PostFormAsync("/meetings/new", ("Form.Kind", "Deliberation"), ("Form.Unit", "SCH-MJC"), ("Form.Title", "页面建的议事会"),
            ("Form.At", "2026-11-26T09:00"), ("Form.Place", "村委会"), ("Form.Guests[0].Role", "Member"), ("Form.Guests[0].Name", "甲"),
            ("Form.Guests[1].Role", "Member"), ("Form.Guests[1].Name", "乙"), ("Form.Guests[2].Role", "PartnerUnit"), ("Form.Guests[2].Name", ""));
        var id = IdFrom(planned);
        var meeting = await Cadre.GetMeetingAsync(id);
        Assert.Equal("页面建的议事会", meeting["title"]!.GetValue<string>());
        Assert.Equal(2, meeting["expected"]!.GetValue<int>());
        // 09:00 in Shanghai.
        Assert.Equal(new DateTime(2026, 11, 26, 1, 0, 0, DateTimeKind.Utc), meeting["heldAt"]!.GetValue<DateTime>().ToUniversalTime());

        var (listStatus, list) = await Cadre.GetHtmlAsync("/meetings?unit=SCH-MJC&status=Planned");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains("页面建的议事会", list);
        Assert.Contains("href=\"/meetings/new\"", list);
        var (_, published) = await Cadre.GetHtmlAsync("/meetings?status=Published");
        Assert.DoesNotContain("页面建的议事会", published);
        var (_, bad) = await Cadre.GetHtmlAsync("/meetings?from=not-a-date");
        Assert.Contains("field-error", bad);
    }

    [Fact]
    public async Task TheWorkspace_HoldsTheMeeting_FromTheAgendaToPublication()
    {
        var town = app.SharedClientAs("town");
        var topic = await town.TopicAsync("页面上会的议题");
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }, new { role = "Member", name = "乙" }, new { role = "Member", name = "丙" },
            new { role = "PartnerUnit", name = "张调解", post = "调解员", unit = "SCH-SFS" }])).Id();
        var page = $"/meetings/{id}";
        var (status, html) = await Cadre.GetHtmlAsync(page);
        Assert.Equal(HttpStatusCode.OK, status);
        EveryPostFormCarriesItsToken(page, html);
        Assert.Contains(topic.TrackingCode(), html);

        using (var added = await Cadre.PostFormAsync(page + "?handler=Agenda", ("Agenda.TrackingCode", topic.TrackingCode())))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }
        Assert.Equal("Deliberating", (await town.GetCaseAsync(topic.Id())).Status());
        using (var hold = await Cadre.PostFormAsync(page + "?handler=Hold", ("Hold.Present", "1"), ("Hold.Present", "2"), ("Hold.Present", "4")))
        {
            Assert.Equal(HttpStatusCode.Redirect, hold.StatusCode);
        }
        (_, html) = await Cadre.GetHtmlAsync(page);
        EveryPostFormCarriesItsToken(page, html);
        Assert.Contains("66.7%", html);
        Assert.Contains("已达法定人数", html);
        Assert.Contains("须有过半数成员参加", html);

        // Three ballots, two members present: refused next to the votes, what was typed kept, nothing recorded.
        using (var refused = await Cadre.PostFormAsync(page + "?handler=Outcome", ("Outcome.Seq", "1"), ("Outcome.Kind", "Vote"), ("Outcome.Text", "同意修路"),
            ("Outcome.For", "3"), ("Outcome.Against", "0"), ("Outcome.Abstain", "0")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("超过到会成员 2 人", body);
            Assert.Contains("同意修路", body);
        }
        Assert.Null((await Cadre.GetMeetingAsync(id)).Item(1)["outcomeKind"]);
        using (var vote = await Cadre.PostFormAsync(page + "?handler=Outcome", ("Outcome.Seq", "1"), ("Outcome.Kind", "Vote"), ("Outcome.Text", "同意修路"),
            ("Outcome.For", "2"), ("Outcome.Against", "0"), ("Outcome.Abstain", "0")))
        {
            Assert.Equal(HttpStatusCode.Redirect, vote.StatusCode);
        }
        (_, html) = await Cadre.GetHtmlAsync(page);
        Assert.Contains("data-verdict=\"passed\"", html);
        Assert.Contains("通过", html);

        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Minutes", ("Minutes.Minutes", "修路表决通过。"),
            ("Minutes.Version", (await Cadre.GetMeetingAsync(id))["version"]!.ToString()))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Confirm", ("Signed", "1"), ("Signed", "2"))).StatusCode);
        (_, html) = await Cadre.GetHtmlAsync(page);
        EveryPostFormCarriesItsToken(page, html);
        Assert.Contains("会议记录已由 马家村干部", html);
        // After confirmation: the amendment form, not the draft.
        Assert.DoesNotContain("handler=Minutes", html);
        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Amend", ("Amend.Minutes", "修路表决通过，年底完工。"),
            ("Amend.Reason", "补记"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Publish")).StatusCode);
        (_, html) = await Cadre.GetHtmlAsync(page);
        Assert.Contains("data-status=\"Published\"", html);
        Assert.Contains("补记", html);

        var (printStatus, print) = await Cadre.GetHtmlAsync(page + "/print");
        Assert.Equal(HttpStatusCode.OK, printStatus);
        foreach (var part in new[] { "会议记录", "应到/实到/比例", "列席单位及职务", "三岔司法所", "议题来源", "讨论情况", "表决结果", "签名栏", "修路表决通过，年底完工。" })
        {
            Assert.Contains(part, print);
        }

        // The case page lists the meeting it was on.
        var (_, casePage) = await town.GetHtmlAsync($"/cases/{topic.Id()}");
        Assert.Contains($"href=\"/meetings/{id}\"", casePage);

        // Another village's cadre does not see it.
        Assert.Equal(HttpStatusCode.NotFound, (await app.SharedClientAs("cadre-wjc").GetHtmlAsync(page)).Status);
    }

    [Fact]
    public async Task Bodies_AreKeptOnTheirPage_AndANewMeetingOfOneExpectsItsMembers()
    {
        var name = "页面议事会" + Guid.NewGuid().ToString("N")[..4];
        using (var created = await Cadre.PostFormAsync("/meetings/bodies?handler=Create", ("Create.Unit", "SCH-MJC"), ("Create.Kind", "DeliberationCouncil"),
            ("Create.Name", name)))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }
        var body = await Cadre.GetStringAsync("/api/v1/meetings/bodies?unit=SCH-MJC");
        var bodyId = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsArray().Single(b => b!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<long>();
        foreach (var member in new[] { "甲", "乙" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync("/meetings/bodies?handler=Member", ("Member.BodyId", bodyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Member.Name", member))).StatusCode);
        }
        using (var refused = await Cadre.PostFormAsync("/meetings/bodies?handler=Member", ("Member.BodyId", bodyId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Member.Name", "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        var (status, html) = await Cadre.GetHtmlAsync("/meetings/bodies");
        Assert.Equal(HttpStatusCode.OK, status);
        EveryPostFormCarriesItsToken("/meetings/bodies", html);
        Assert.Contains(name, html);
        var meeting = await Cadre.PlanAsync(bodyId: bodyId);
        Assert.Equal(2, meeting["expected"]!.GetValue<int>());
        Assert.Equal(name, meeting["bodyName"]!.GetValue<string>());
        // Another village's cadre cannot add to it.
        using var other = await app.SharedClientAs("cadre-wjc").PostFormAsync("/meetings/bodies?handler=Member",
            ("Member.BodyId", bodyId.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Member.Name", "外人"));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task RaisedAtTheMeeting_FromThePage_RegistersOnceAndShowsTheCode()
    {
        var id = (await Cadre.PlanAsync(guests: [new { role = "Member", name = "甲" }])).Id();
        var page = $"/meetings/{id}";
        var (_, html) = await Cadre.GetHtmlAsync(page);
        var key = Regex.Match(html, "name=\"Raised.Key\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(key);
        (string, string)[] fields = [("Raised.Key", key), ("Raised.Title", "会上反映：水渠堵了"), ("Raised.Description", "三组水渠堵塞。"),
            ("Raised.ReporterName", "赵大爷"), ("Raised.PutOnAgenda", "true")];
        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Raised", fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Cadre.PostFormAsync(page + "?handler=Raised", fields)).StatusCode);
        var meeting = await Cadre.GetMeetingAsync(id);
        Assert.Single(meeting["agenda"]!.AsArray());
        (_, html) = await Cadre.GetHtmlAsync(page);
        Assert.Contains("会上反映：水渠堵了", html);
    }
}

public sealed class MeetingPagesTests_Sqlite(SqliteApp app) : MeetingPagesTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingPagesTests_Postgres(PostgresApp app) : MeetingPagesTests(app), IClassFixture<PostgresApp>;
