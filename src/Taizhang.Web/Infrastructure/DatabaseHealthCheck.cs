using Microsoft.Extensions.Diagnostics.HealthChecks;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>/health answers Unhealthy when the database cannot be reached.</summary>
public sealed class DatabaseHealthCheck(TaizhangDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
}
