using System.Net;
using System.Net.Http.Json;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// What the desk (登记事项) needs from POST /api/v1/cases, the same for every client: an anonymous
/// report, the channels a person may enter, and a meeting's item naming its meeting.
/// </summary>
public abstract class DeskRegistrationTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    [Fact]
    public async Task Register_Anonymous_KeepsAPhoneWithoutAName_AndTheCaseSaysSo()
    {
        var phone = "1380020" + Random.Shared.Next(1000, 9999);

        var created = await _town.RegisterAsync(new
        {
            channel = "WalkIn", title = "匿名反映噪音扰民", description = "夜间施工噪音大。", orgUnit = "SCH-MJC",
            anonymous = true, reporter = new { phone },
        });

        var c = await _town.GetCaseAsync(created.Id());
        Assert.True(c["anonymous"]!.GetValue<bool>());
        var reporter = Assert.Single(c["reporters"]!.AsArray())!;
        Assert.Equal("", reporter["name"]!.GetValue<string>());
        Assert.Equal(phone[..3] + "****" + phone[^4..], reporter["phone"]!.GetValue<string>());
        Assert.True(c.Events()[0]!["payload"]!["anonymous"]!.GetValue<bool>());
        using var revealed = await _town.PostAsync($"/api/v1/cases/{created.Id()}/personal-data", null);
        var unmasked = await revealed.ReadJsonAsync();
        Assert.Equal(phone, unmasked["reporters"]![0]!["phone"]!.GetValue<string>());
        Assert.Equal("", unmasked["reporters"]![0]!["name"]!.GetValue<string>());

        var named = await _town.GetCaseAsync(await _town.RegisterIdAsync(CaseApi.NewCase(title: "署名反映")));
        Assert.False(named["anonymous"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Register_ANameOnAnAnonymousReport_OrAPhoneWithoutANameOnANamedOne_Is400OnTheName()
    {
        var before = (await _town.ListAsync()).Total();

        using var named = await _town.PostAsJsonAsync("/api/v1/cases", new
        {
            channel = "WalkIn", title = "t", description = "d", orgUnit = "SCH-MJC", anonymous = true, reporter = new { name = "张三", phone = "13800000000" },
        });
        using var unnamed = await _town.PostAsJsonAsync("/api/v1/cases", new
        {
            channel = "WalkIn", title = "t", description = "d", orgUnit = "SCH-MJC", reporter = new { phone = "13800000000" },
        });

        Assert.Contains("匿名", (await named.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["reporter.name"]![0]!.GetValue<string>());
        Assert.True((await unnamed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("reporter.name"));
        Assert.Equal(before, (await _town.ListAsync()).Total());
    }

    [Theory]
    [InlineData("WeChat")]
    [InlineData("Web")]
    [InlineData("Open311")]
    public async Task Register_ByAPerson_OnAPublicOrIntegrationChannel_Is400_AnIntegrationMay(string channel)
    {
        using var person = await _town.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "人工登记 " + channel, channel: channel));
        var (integration, _) = await app.IntegrationAsync("SCH", channel);
        using var system = await integration.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "接口登记 " + channel, channel: channel));

        var errors = (await person.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors();
        Assert.Contains("WalkIn", errors["channel"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, system.StatusCode);
    }

    [Fact]
    public async Task Register_AMeetingsItem_NamesAMeetingOfTheCallersUnits()
    {
        var cadre = app.SharedClientAs("cadre");
        var mine = await MeetingAsync("SCH-MJC", "马家村议事会");
        var theirs = await MeetingAsync("SCH-WJC", "王家村议事会");
        object Item(long? meetingId) => new { channel = "Meeting", title = "会议点的事", description = "d", orgUnit = "SCH-MJC", meetingId };

        using var without = await cadre.PostAsJsonAsync("/api/v1/cases", Item(null));
        using var elsewhere = await cadre.PostAsJsonAsync("/api/v1/cases", Item(theirs));
        var created = await cadre.RegisterAsync(Item(mine));

        Assert.True((await without.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("meetingId"));
        Assert.True((await elsewhere.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("meetingId"));
        Assert.Equal(mine, (await cadre.GetCaseAsync(created.Id()))["meetingId"]!.GetValue<long>());
        // The town's staff reach both villages' meetings.
        await _town.RegisterAsync(new { channel = "Meeting", title = "王家村会上的事", description = "d", orgUnit = "SCH-WJC", meetingId = theirs });
    }

    [Fact]
    public async Task HotlineNameFill_PassesOverAnAnonymousReport_ToTheNameGivenBefore()
    {
        var phone = "1380021" + Random.Shared.Next(1000, 9999);
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        await _town.RegisterAsync(CaseApi.NewCase(title: "署名的来电", phone: phone, reporterName: "赵春梅"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        await _town.RegisterAsync(new { channel = "Hotline", title = "匿名的来电", description = "d", orgUnit = "SCH-MJC", anonymous = true, reporter = new { phone } });

        using var response = await app.SharedClientAs("operator").PostFormAsync("/hotline/callers", ("phone", phone));

        var fragment = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-total=\"2\"", fragment);
        Assert.Contains("data-caller-name=\"赵春梅\"", fragment);
    }

    private async Task<long> MeetingAsync(string unit, string title)
    {
        var townId = await app.UnitIdAsync("SCH");
        var unitId = await app.UnitIdAsync(unit);
        return await app.WithDbAsync(async db =>
        {
            var m = new Meeting(townId, unitId, MeetingKind.Deliberation, title, TaizhangApp.Start.AddDays(-1).UtcDateTime);
            db.Meetings.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
    }
}

public sealed class DeskRegistrationTests_Sqlite(SqliteApp app) : DeskRegistrationTests(app), IClassFixture<SqliteApp>;

public sealed class DeskRegistrationTests_Postgres(PostgresApp app) : DeskRegistrationTests(app), IClassFixture<PostgresApp>;
