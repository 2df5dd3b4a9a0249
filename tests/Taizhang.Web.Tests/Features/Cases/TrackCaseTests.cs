using System.Net;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>查询进度: what anyone with a tracking code sees — progress, never people or internal notes.</summary>
public abstract class TrackCaseTests(TaizhangApp app)
{
    private const string ReporterName = "王秀英";
    private const string ReporterPhone = "13698765432";
    private const string StaffName = "受理员赵六";

    [Fact]
    public async Task Track_RegisteredCase_ShowsStatusDatesAndTimeline_WithoutAnyHeader()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var registered = await app.ClientAs(StaffName).RegisterAsync(NewCase("进村道路塌方"));
        var code = registered.TrackingCode();

        var publicClient = app.CreateClient();
        using var response = await publicClient.TrackAsync(code);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(code, json["trackingCode"]!.GetValue<string>());
        Assert.Equal("Registered", json["status"]!.GetValue<string>());
        Assert.Equal("Hotline", json["channel"]!.GetValue<string>());
        Assert.Equal("马家村", json["orgUnit"]!.GetValue<string>());
        Assert.Equal(TaizhangApp.Start.UtcDateTime, json["registeredAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("2026-12-07", json["dueDate"]!.GetValue<string>());
        Assert.Null(json["resolvedAt"]);
        Assert.Null(json["mergedIntoTrackingCode"]);
        var timeline = json["timeline"]!.AsArray();
        var register = Assert.Single(timeline)!;
        Assert.Equal("Register", register["action"]!.GetValue<string>());
        Assert.Equal("Registered", register["status"]!.GetValue<string>());
        Assert.Equal(TaizhangApp.Start.UtcDateTime, register["at"]!.GetValue<DateTime>().ToUniversalTime());

        AssertNothingPrivate(text, "进村道路塌方，已经一个多星期了，晚上出行不便。");
    }

    [Fact]
    public async Task Track_WorkedCase_ShowsProgressButNoPeopleNoInternalReasons()
    {
        var staff = app.ClientAs(StaffName);
        var id = await staff.RegisterIdAsync(NewCase("自来水浑浊"));
        var detail = await staff.GetCaseAsync(id);
        await staff.DoAsync(id, "triage", new { track = "Direct", urgency = "High", category = "water", assigneeUnit = "SCH-MJC" });
        await staff.DoAsync(id, "start");
        await staff.DoAsync(id, "return", new { reason = "内部意见：村干部认为应由镇里处理" });
        await staff.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        await staff.DoAsync(id, "transfer", new { toUnit = "SCH-NYZ", reason = "内部转办说明：水站归农业服务中心" });
        await staff.DoAsync(id, "resolve", new { outcome = "Solved", result = "内部办理记录：已清洗水池" });
        await staff.DoAsync(id, "follow-up", new { satisfaction = "BasicallySatisfied", note = "内部回访备注：态度一般" });

        using var response = await app.CreateClient().TrackAsync(detail.TrackingCode());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!.AsObject();

        Assert.Equal("FollowedUp", json["status"]!.GetValue<string>());
        Assert.Equal("Solved", json["outcome"]!.GetValue<string>());
        Assert.NotNull(json["resolvedAt"]);
        Assert.Equal("饮水安全", json["category"]!.GetValue<string>());
        var timeline = json["timeline"]!.AsArray();
        var actions = timeline.Select(e => e!["action"]!.GetValue<string>()).ToArray();
        Assert.DoesNotContain("Return", actions);
        Assert.Equal(["Register", "Triage", "Assign", "Start", "Triage", "Assign", "Transfer", "Resolve", "FollowUp"], actions);
        Assert.Equal("马家村", timeline[2]!["unit"]!.GetValue<string>());
        Assert.Equal("王家村", timeline[5]!["unit"]!.GetValue<string>());
        Assert.Equal("镇农业服务中心", timeline[6]!["unit"]!.GetValue<string>());
        Assert.Equal("Solved", timeline[7]!["detail"]!.GetValue<string>());
        Assert.Equal("BasicallySatisfied", timeline[8]!["detail"]!.GetValue<string>());

        AssertNothingPrivate(text, detail["description"]!.GetValue<string>());
        foreach (var secret in new[] { "内部意见", "村干部认为应由镇里处理", "内部转办说明", "内部办理记录", "内部回访备注" })
        {
            Assert.DoesNotContain(secret, AllStrings(json));
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Track_AcceptsLowerCaseAndCodeWithoutDash()
    {
        var code = (await app.ClientAs().RegisterAsync(NewCase("查询码格式"))).TrackingCode();
        var client = app.CreateClient();
        foreach (var typed in new[] { code.ToLowerInvariant(), code.Replace("-", string.Empty, StringComparison.Ordinal), code.ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal), " " + code[..4] + " " + code[5..] })
        {
            using var response = await client.TrackAsync(typed);
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{typed}: {response.StatusCode}: {json}");
            Assert.Equal(code, json["trackingCode"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Track_UnknownOrMalformedCode_Is404Problem()
    {
        var code = (await app.ClientAs().RegisterAsync(NewCase("存在的事项"))).TrackingCode();
        var client = app.CreateClient();
        // A well-formed code that differs from the real one in one character.
        var other = (code[0] == '2' ? '3' : '2') + code[1..];
        foreach (var typed in new[] { other, "abc", "0000-0000", "OOOO-IIII", code + "2", code[..8], "ABCD-EFGH-JKMN", "中文查询码" })
        {
            using var response = await client.TrackAsync(typed);
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
            Assert.Null(problem["trackingCode"]);
        }
    }

    [Fact]
    public async Task Track_RejectedCase_ShowsTheRejectionReason()
    {
        var staff = app.ClientAs(StaffName);
        var id = await staff.RegisterIdAsync(NewCase("要求报销私人车辆维修费"));
        var rejected = await staff.DoAsync(id, "reject", new { reason = "不属于政府职责范围，建议通过保险理赔" });
        Assert.Equal("要求报销私人车辆维修费，已经一个多星期了，晚上出行不便。", rejected["description"]!.GetValue<string>());

        using var response = await app.CreateClient().TrackAsync(rejected.TrackingCode());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Rejected", json["status"]!.GetValue<string>());
        var reject = json["timeline"]!.AsArray().Last()!;
        Assert.Equal("Reject", reject["action"]!.GetValue<string>());
        Assert.Equal("Rejected", reject["status"]!.GetValue<string>());
        Assert.Equal("不属于政府职责范围，建议通过保险理赔", reject["detail"]!.GetValue<string>());
        AssertNothingPrivate(text, rejected["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Track_MergedCase_SaysMerged_ButNeverGivesTheSurvivorsCode()
    {
        var staff = app.ClientAs(StaffName);
        var survivor = await staff.RegisterAsync(CaseApi.NewCase(title: "河堤护栏损坏", reporterName: "刘德福", phone: "13511112222"));
        var merged = await staff.RegisterAsync(NewCase("河堤栏杆坏了"));
        await staff.DoAsync(merged.Id(), "merge", new { into = survivor.Id(), reason = "内部合并说明" });

        using var response = await app.CreateClient().TrackAsync(merged.TrackingCode());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Merged", json["status"]!.GetValue<string>());
        // The survivor's code would show whoever holds this one another resident's case.
        Assert.DoesNotContain(survivor.TrackingCode(), text, StringComparison.Ordinal);
        Assert.False(json.ContainsKey("mergedIntoTrackingCode"));
        var merge = json["timeline"]!.AsArray().Last()!;
        Assert.Equal("Merge", merge["action"]!.GetValue<string>());
        Assert.Null(merge["detail"]);
        Assert.DoesNotContain("内部合并说明", text, StringComparison.Ordinal);

        // The survivor's public view names neither its own reporter nor the one who came with the merge.
        using var survivorResponse = await app.CreateClient().TrackAsync(survivor.TrackingCode());
        var survivorText = await survivorResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, survivorResponse.StatusCode);
        AssertNothingPrivate(survivorText, "河堤护栏损坏，已经一个多星期了");
        Assert.DoesNotContain("刘德福", survivorText, StringComparison.Ordinal);
        Assert.DoesNotContain("13511112222", survivorText, StringComparison.Ordinal);
        Assert.DoesNotContain("内部合并说明", survivorText, StringComparison.Ordinal);
    }

    private static object NewCase(string title) => CaseApi.NewCase(title: title, reporterName: ReporterName, phone: ReporterPhone);

    /// <summary>Checks the raw text and every decoded string value, so that escaping cannot hide a leak.</summary>
    private static void AssertNothingPrivate(string text, string description)
    {
        var strings = AllStrings(JsonNode.Parse(text)!);
        foreach (var secret in new[] { ReporterName, ReporterPhone, "1369876", description, StaffName, "dev:" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, strings, StringComparison.Ordinal);
        }
    }

    private static string AllStrings(JsonNode node) => node switch
    {
        JsonObject o => string.Join("\n", o.Select(p => p.Key + "\n" + (p.Value is null ? string.Empty : AllStrings(p.Value)))),
        JsonArray a => string.Join("\n", a.Select(v => v is null ? string.Empty : AllStrings(v))),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}

public sealed class TrackCaseTests_Sqlite(SqliteApp app) : TrackCaseTests(app), IClassFixture<SqliteApp>;

public sealed class TrackCaseTests_Postgres(PostgresApp app) : TrackCaseTests(app), IClassFixture<PostgresApp>;
