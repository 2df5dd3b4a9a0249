using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Meetings;

/// <summary>Small helpers over the meetings API, so tests read as the meeting they hold.</summary>
public static class MeetingApi
{
    public static async Task<JsonObject> OkAsync(this HttpClient client, HttpMethod method, string url, object? body = null,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.SendJsonAsync(method, url, body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {response.StatusCode}: {json}");
        return json;
    }

    public static Task<JsonObject> PostOkAsync(this HttpClient client, string url, object? body = null) => client.OkAsync(HttpMethod.Post, url, body);

    public static Task<JsonObject> GetMeetingAsync(this HttpClient client, long id) => client.OkAsync(HttpMethod.Get, $"/api/v1/meetings/{id}");

    /// <summary>The meeting's whole answer as text: a refusal must leave it exactly as it was.</summary>
    public static async Task<string> MeetingTextAsync(this HttpClient client, long id) => (await client.GetMeetingAsync(id)).ToJsonString();

    public static async Task<JsonObject> BodyAsync(this HttpClient client, string unit, int members, long? memberUserId = null)
    {
        var body = await client.OkAsync(HttpMethod.Post, "/api/v1/meetings/bodies", new { unit, kind = "DeliberationCouncil", name = "议事会" },
            HttpStatusCode.Created);
        var id = body.Id();
        for (var i = 1; i <= members; i++)
        {
            body = await client.PostOkAsync($"/api/v1/meetings/bodies/{id}/members",
                new { name = $"成员{i}", post = i == 1 ? "会长" : "成员", userId = i == members ? memberUserId : null });
        }
        return body;
    }

    public static Task<JsonObject> PlanAsync(this HttpClient client, string unit = "SCH-MJC", string kind = "Deliberation", long? bodyId = null,
        object[]? guests = null, int? expected = null) =>
        client.OkAsync(HttpMethod.Post, "/api/v1/meetings", new
        {
            kind, unit, title = "马家村十一月议事会", at = TaizhangApp.Start.AddHours(-2), place = "村委会会议室", host = "马书记", bodyId,
            guests = guests ?? [], expected,
        }, HttpStatusCode.Created);

    /// <summary>A topic of the ledger: registered and triaged to the topic track by the town office.</summary>
    public static async Task<JsonObject> TopicAsync(this HttpClient town, string title = "村道硬化", string unit = "SCH-MJC")
    {
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: title, orgUnit: unit));
        var c = await town.DoAsync(id, "triage", new { track = "Topic", urgency = "Low" });
        Assert.Equal("Ledgered", c.Status());
        return c;
    }

    public static int[] Seqs(this JsonObject meeting, string role = "Member") => meeting["participants"]!.AsArray()
        .Where(p => p!["role"]!.GetValue<string>() == role).Select(p => p!["seq"]!.GetValue<int>()).ToArray();

    public static JsonObject Item(this JsonObject meeting, int seq) =>
        meeting["agenda"]!.AsArray().Single(a => a!["seq"]!.GetValue<int>() == seq)!.AsObject();
}
