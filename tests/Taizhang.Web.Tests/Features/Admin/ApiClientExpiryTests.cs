using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>API client tokens with an expiry, and when each was last used (security issue, item 6).</summary>
public abstract class ApiClientExpiryTests(TaizhangApp app)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task ATokenWithAnExpiryDate_WorksThroughThatDay_ThenFailsExactlyLikeARevokedOne()
    {
        var admin = app.ClientAs("admin-sch");
        var now = app.Clock.GetUtcNow();
        var tomorrow = DateOnly.FromDateTime(now.ToOffset(Shanghai).Date).AddDays(1);
        // Through the end of that day in Shanghai: midnight after it, 16:00 UTC.
        var expected = new DateTimeOffset(tomorrow.AddDays(1).ToDateTime(TimeOnly.MinValue), Shanghai).UtcDateTime;

        var (expiringId, expiring) = await CreateAsync(admin, tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), expected);
        var (revokedId, revoked) = await CreateAsync(admin, null, null);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(expiring));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(revoked));

        // The administrators' list shows the expiry and when each token was last used.
        var row = await RowAsync(admin, expiringId);
        Assert.Equal(expected, row["expiresAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(now.UtcDateTime, row["lastUsedAt"]!.GetValue<DateTime>().ToUniversalTime());

        using (var revoke = await admin.PostAsync($"/api/v1/admin/api-clients/{revokedId}/revoke", null))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        var revokedAnswer = await AnswerAsync(revoked);

        // Seconds before the end it works, and the server keeps the valid token in memory …
        app.Clock.SetUtcNow(new DateTimeOffset(expected).AddSeconds(-5));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(expiring));
        // … yet the moment it expires it fails, the same as the revoked token.
        app.Clock.Advance(TimeSpan.FromSeconds(6));
        var expiredAnswer = await AnswerAsync(expiring);
        Assert.Equal(revokedAnswer, expiredAnswer);
        Assert.StartsWith("401", expiredAnswer);
        using var register = await expiring.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "过期令牌登记", channel: "Hotline"));
        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Equal(expected, (await RowAsync(admin, expiringId))["expiresAt"]!.GetValue<DateTime>().ToUniversalTime());
    }

    [Fact]
    public async Task AnExpiryInstantWithItsOffset_IsKeptInUtc_AndNoExpiryMeansUntilRevoked()
    {
        var admin = app.ClientAs("admin-sch");
        var local = app.Clock.GetUtcNow().ToOffset(Shanghai).Date.AddDays(3).AddHours(18);
        var instant = new DateTimeOffset(local, Shanghai);
        var (_, token) = await CreateAsync(admin, instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), instant.UtcDateTime);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(token));

        var (id, _) = await CreateAsync(admin, null, null);
        Assert.Null((await RowAsync(admin, id))["expiresAt"]);
    }

    [Theory]
    [InlineData("tomorrow", "到期时间应为日期")]
    [InlineData("2027-06-31", "日期")]
    [InlineData("2027-06-30T18:00:00", "带时区的时间")]
    [InlineData("2020-01-01", "到期时间必须晚于现在")]
    [InlineData("2026-11-26T01:00:00Z", "到期时间必须晚于现在")]
    public async Task ABadOrPastExpiry_IsAFieldError_AndCreatesNothing(string expiresAt, string message)
    {
        var admin = app.ClientAs("admin-sch");
        var before = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/api-clients"))!.Count;
        using var response = await admin.PostAsJsonAsync("/api/v1/admin/api-clients", new
        {
            name = "到期测试-" + Guid.NewGuid().ToString("N")[..6], orgUnit = "SCH", channels = new[] { "Hotline" }, expiresAt,
        });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        var error = Assert.Single(problem.Errors()["expiresAt"]!.AsArray())!.GetValue<string>();
        Assert.Contains(message, error);
        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/api-clients"))!.Count);

        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/api-clients")
        {
            Content = JsonContent.Create(new { name = "expiry-" + Guid.NewGuid().ToString("N")[..6], orgUnit = "SCH", channels = new[] { "Hotline" }, expiresAt }),
        };
        english.Headers.AcceptLanguage.ParseAdd("en");
        using var en = await admin.SendAsync(english);
        var enError = (await en.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["expiresAt"]![0]!.GetValue<string>();
        Assert.Contains("expiry", enError, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(long Id, HttpClient Client)> CreateAsync(HttpClient admin, string? expiresAt, DateTime? expected)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/api-clients", new
        {
            name = "12345热线-" + Guid.NewGuid().ToString("N")[..6], orgUnit = "SCH", channels = new[] { "Hotline" }, expiresAt,
        });
        var body = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal(expected, body["client"]!["expiresAt"]?.GetValue<DateTime>().ToUniversalTime());
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["token"]!.GetValue<string>());
        return (body["client"]!["id"]!.GetValue<long>(), client);
    }

    private static async Task<JsonObject> RowAsync(HttpClient admin, long id) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/api-clients"))!.Single(c => c!["id"]!.GetValue<long>() == id)!.AsObject();

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/cases?pageSize=1");
        return response.StatusCode;
    }

    /// <summary>Status, headers that say why, and the problem body without its per-request ids.</summary>
    private static async Task<string> AnswerAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/cases?pageSize=1");
        var body = await response.ReadJsonAsync();
        body.Remove("traceId");
        body.Remove("requestId");
        return $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {body.ToJsonString()}";
    }
}

public sealed class ApiClientExpiryTests_Sqlite(SqliteApp app) : ApiClientExpiryTests(app), IClassFixture<SqliteApp>;

public sealed class ApiClientExpiryTests_Postgres(PostgresApp app) : ApiClientExpiryTests(app), IClassFixture<PostgresApp>;
