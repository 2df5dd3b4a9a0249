using System.Net;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// /health/live: the process answers (no database; a restart is the cure when it fails).
/// /health/ready: the database answers, every migration is applied, and the intake writer is not
/// stuck (send traffic here only when it passes). /health: all checks, as before.
/// Probes on the same host need no account; from elsewhere they need one like everything else.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks /health/ready runs; features add theirs with it.</summary>
    public const string Ready = "ready";

    public static IServiceCollection AddTaizhangHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        LocalOrSignedIn(app.MapHealthChecks("/health"));
        LocalOrSignedIn(app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }));
        LocalOrSignedIn(app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }));
        return app;
    }

    private static void LocalOrSignedIn(IEndpointConventionBuilder endpoint) =>
        endpoint.RequireAuthorization(p => p.RequireAssertion(ctx =>
            ctx.User.Identity?.IsAuthenticated == true
            || (ctx.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip))));
}

/// <summary>A database behind the code (a deployment that skipped migrating) is not ready.</summary>
public sealed class MigrationsHealthCheck(TaizhangDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending.Count} migrations are not applied.");
    }
}
