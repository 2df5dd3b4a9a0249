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

    /// <summary>Posts an action; a body that is already <see cref="HttpContent"/> (a multipart upload) is sent as it is, anything else as JSON.</summary>
    public static Task<HttpResponseMessage> ActAsync(this HttpClient client, long id, string action, object? body = null) =>
        client.PostAsync($"/api/v1/cases/{id}/{action}", body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body),
        });

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
    public static long Id(this JsonObject c) => c["id"]!.GetValue<long>();

    public static string TrackingCode(this JsonObject c) => c["trackingCode"]!.GetValue<string>();

    /// <summary>The code of the case's responsible unit, or null when it has none.</summary>
    public static string? AssigneeCode(this JsonObject c) => c["assigneeUnit"]?["code"]?.GetValue<string>();

    public static JsonObject LastEvent(this JsonObject c) => c.Events()[^1]!.AsObject();

    /// <summary>The field errors of a validation problem.</summary>
    public static JsonObject Errors(this JsonObject problem) => problem["errors"]!.AsObject();

    /// <summary>The case's status and timeline length, to check that a refused request wrote nothing.</summary>
    public static async Task<(string Status, int Events)> SnapshotAsync(this HttpClient client, long id)
    {
        var c = await client.GetCaseAsync(id);
        return (c.Status(), c.Events().Count);
    }

    /// <summary>Asserts that the case still has the given status and number of events.</summary>
    public static async Task AssertUnchangedAsync(this HttpClient client, long id, (string Status, int Events) before)
    {
        var after = await client.SnapshotAsync(id);
        Assert.Equal(before, after);
    }

    /// <summary>Posts an action with a JSON body and asserts a 400 validation problem naming the field; returns the problem.</summary>
    public static async Task<JsonObject> AssertFieldErrorAsync(this HttpClient client, long id, string action, object? body, string field)
    {
        using var response = await client.ActAsync(id, action, body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey(field), $"{action}: no error for {field}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Errors()[field]![0]!.GetValue<string>()));
        return problem;
    }

    /// <summary>The database id of an org unit (event payloads carry ids, not codes).</summary>
    public static Task<long> UnitIdAsync(this TaizhangApp app, string code) =>
        app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.OrgUnits.Where(u => u.Code == code).Select(u => u.Id)));

    /// <summary>GET /api/v1/track/{code}: the public tracking view, without any actor header.</summary>
    public static Task<HttpResponseMessage> TrackAsync(this HttpClient client, string code) =>
        client.GetAsync($"/api/v1/track/{Uri.EscapeDataString(code)}");

    /// <summary>GET /api/v1/cases with a query string (without the "?"); asserts 200 and returns the page.</summary>
    public static async Task<JsonObject> ListAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/v1/cases" + (query.Length == 0 ? "" : "?" + query));
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"list {query}: {response.StatusCode}: {json}");
        return json;
    }

    /// <summary>The case ids on a ledger page.</summary>
    public static long[] ItemIds(this JsonObject page) =>
        page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();

    /// <summary>The total a ledger page reports.</summary>
    public static int Total(this JsonObject page) => page["total"]!.GetValue<int>();

    /// <summary>The actions the case's current state allows, as named in the API.</summary>
    public static string[] AllowedActionNames(this JsonObject c) =>
        c["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    /// <summary>Sends a request with an optional JSON body and returns the response.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        return client.SendAsync(request);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TaizhangApp, System.Collections.Concurrent.ConcurrentDictionary<string, HttpClient>> SignedIn = new();

    /// <summary>
    /// One signed-in client per person per app, reused: signing in hashes a password, which is
    /// slow on purpose. Do not sign a shared client out; use <see cref="TaizhangApp.ClientAs"/> for that.
    /// </summary>
    public static HttpClient SharedClientAs(this TaizhangApp app, string who = "town") =>
        SignedIn.GetValue(app, _ => new()).GetOrAdd(who, w => app.ClientAs(w));
}
