using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Taizhang.Web.Features.Cases;

/// <summary>Registrations that wait in the writer's queue beyond Intake:StuckAfterSeconds mean the writer is stuck.</summary>
public sealed class IntakeHealthCheck(IntakeWriter writer, IntakeOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var status = writer.GetStatus();
        var data = new Dictionary<string, object>
        {
            ["queued"] = status.Queued, ["oldestWaitSeconds"] = status.OldestWait.TotalSeconds, ["journalBacklog"] = writer.JournalBacklog,
        };
        if (writer.JournalProblem(TimeSpan.FromSeconds(options.StuckAfterSeconds)) is { } problem)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(problem, data: data));
        }
        return Task.FromResult(!status.Accepting
            ? HealthCheckResult.Unhealthy("The intake writer has stopped.", data: data)
            : status.OldestWait > TimeSpan.FromSeconds(options.StuckAfterSeconds)
                ? HealthCheckResult.Unhealthy($"A registration has waited {status.OldestWait.TotalSeconds:F0} s to be committed.", data: data)
                : HealthCheckResult.Healthy(data: data));
    }
}
