using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// The reports are the app's most expensive reads: a custom period or a village is counted from its cohort,
/// a snapshot's verify recounts the event log, an export builds a workbook. One account (a person, or an
/// integration's token) may run <c>RateLimits:ReportsConcurrentPerAccount</c> of them at once (2) with
/// <c>RateLimits:ReportsQueuedPerAccount</c> more waiting (4); beyond that the answer is 429 (a concurrency limit: no Retry-After),
/// so that one script looping over periods cannot take the server's cores from everyone else's ledger.
/// Partitioned by the signed-in account (the rate limiter runs after authentication), else by client address.
/// </summary>
public static class ReportRateLimit
{
    public const string Policy = "reports";

    public static IServiceCollection AddReportRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var concurrent = configuration.GetValue("RateLimits:ReportsConcurrentPerAccount", 2);
        var queued = configuration.GetValue("RateLimits:ReportsQueuedPerAccount", 4);
        if (concurrent < 1 || queued < 0)
        {
            throw new InvalidOperationException("RateLimits:ReportsConcurrentPerAccount must be positive and RateLimits:ReportsQueuedPerAccount not negative.");
        }
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(Policy, http => RateLimitPartition.GetConcurrencyLimiter(
            PartitionOf(http),
            _ => new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = queued, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })));
        return services;
    }

    /// <summary>The account (user or API client) the request is signed in as, or its client address.</summary>
    public static string PartitionOf(HttpContext http) =>
        http.User.FindFirstValue(ApiTokens.ClientIdClaim) is { } client ? "client:" + client
        : http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user ? "user:" + user
        : "address:" + ClientAddress.Of(http);
}
