using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Features.Reports.Snapshots;

public static class SnapshotEndpoints
{
    public static IServiceCollection AddReportSnapshots(this IServiceCollection services) => services
        .AddSingleton<SnapshotSeal>()
        .AddSingleton<SnapshotComputer>()
        .AddScoped<VerifySnapshot.Verifier>()
        .AddScoped<VerifySnapshot.Handler>()
        .AddScoped<FreezeSnapshot.Handler>()
        .AddScoped<ListSnapshots.Handler>()
        .AddScoped<SnapshotStore>();

    public static IEndpointRouteBuilder MapReportSnapshotEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports/snapshots").RequireAuthorization(Policies.SignedIn)
            .RequireRateLimiting(ReportRateLimit.Policy).WithTags("Reports");
        group.MapGet("", ListSnapshots.Endpoint).WithName("ListReportSnapshots").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("", FreezeSnapshot.Endpoint).WithName("FreezeReportSnapshot").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{town}/{month}", ListSnapshots.GetEndpoint).WithName("GetReportSnapshot").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{town}/{month}/verify", VerifySnapshot.Endpoint).WithName("VerifyReportSnapshot").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
