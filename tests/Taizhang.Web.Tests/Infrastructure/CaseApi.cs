using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Small helpers over the HTTP API, so tests read as the workflow they check.</summary>
public static class CaseApi
{
    public static object NewCase(
        string title = "村口路灯不亮",
        string orgUnit = "SCH-MJC",
        string channel = "Hotline",
        string? urgency = null,
        string? category = null,
        string? externalRef = null,
        string reporterName = "张桂兰",
        string? phone = "13912345678") => new
    {
        channel,
        title,
        description = title + "，已经一个多星期了，晚上出行不便。",
        reporter = new { name = reporterName, phone },
        orgUnit,
        category,
        urgency,
        externalRef,
    };

    public static async Task<JsonObject> RegisterAsync(this HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await client.SendAsync(request);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {json}");
        return json;
    }

    public static async Task<long> RegisterIdAsync(this HttpClient client, object? body = null) =>
        (await client.RegisterAsync(body ?? NewCase()))["id"]!.GetValue<long>();

    public static async Task<JsonObject> GetCaseAsync(this HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/api/v1/cases/{id}");
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {json}");
        return json;
    }

    public static Task<HttpResponseMessage> ActAsync(this HttpClient client, long id, string action, object? body = null) =>
        client.PostAsync($"/api/v1/cases/{id}/{action}", body is null ? null : JsonContent.Create(body));

    /// <summary>Performs an action that must succeed and returns the case afterwards.</summary>
    public static async Task<JsonObject> DoAsync(this HttpClient client, long id, string action, object? body = null)
    {
        using var response = await client.ActAsync(id, action, body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {response.StatusCode}: {json}");
        return json;
    }

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts an RFC 9457 answer with the given status and type; returns it.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var json = await response.ReadJsonAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {json}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:taizhang:problem:" + type, json["type"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["title"]?.GetValue<string>()));
        return json;
    }

    public static string Status(this JsonObject c) => c["status"]!.GetValue<string>();

    public static JsonArray Events(this JsonObject c) => c["events"]!.AsArray();

    public static string[] EventActions(this JsonObject c) =>
        c.Events().Select(e => e!["action"]!.GetValue<string>()).ToArray();

    public static JsonElement ToElement(this JsonNode node) => JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
}
