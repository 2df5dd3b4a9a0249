using System.Net;
using Microsoft.AspNetCore.Hosting;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// The reports' limit per account (RateLimits:ReportsConcurrentPerAccount / ReportsQueuedPerAccount): one account's
/// reports beyond it are refused with 429 (problem+json on the API, the error page on a page), another account's go on.
/// </summary>
public abstract class ReportRateLimitTests(TaizhangApp app)
{
    [Fact]
    public async Task OneAccountsReportsBeyondItsLimit_AreRefused_WhileAnotherAccountsAreAnswered()
    {
        using var limited = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("RateLimits:ReportsConcurrentPerAccount", "1");
            b.UseSetting("RateLimits:ReportsQueuedPerAccount", "0");
        });
        var leader = app.ClientOf(limited, "leader");
        var town = app.ClientOf(limited, "town");
        // Signed in (one request each, nothing else running).
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await town.GetAsync("/api/v1/reports")).StatusCode);

        var urls = new[]
        {
            "/api/v1/reports?period=year", "/api/v1/reports/export.xlsx?period=year", "/reports?period=year", "/api/v1/reports/consultation",
            "/board?period=year", "/api/v1/topics/export.xlsx",
        };
        var refused = new List<HttpResponseMessage>();
        for (var round = 0; round < 5 && refused.Count == 0; round++)
        {
            // Twelve of the leader's at once, and one of the town's beside them.
            var flood = Enumerable.Range(0, 12).Select(i => leader.GetAsync(urls[i % urls.Length])).ToList();
            var other = town.GetAsync("/api/v1/reports?period=year");
            var responses = await Task.WhenAll(flood);
            Assert.Equal(HttpStatusCode.OK, (await other).StatusCode);
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            refused.AddRange(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        }
        Assert.NotEmpty(refused);
        // The API says why, as a problem; once the others are done the leader is answered again.
        if (refused.FirstOrDefault(r => r.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) is { } api)
        {
            await api.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        }
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/v1/reports?period=year")).StatusCode);
    }
}

public sealed class ReportRateLimitTests_Sqlite(SqliteApp app) : ReportRateLimitTests(app), IClassFixture<SqliteApp>;

public sealed class ReportRateLimitTests_Postgres(PostgresApp app) : ReportRateLimitTests(app), IClassFixture<PostgresApp>;
