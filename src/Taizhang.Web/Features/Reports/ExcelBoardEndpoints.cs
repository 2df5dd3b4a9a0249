using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>The report's Excel export and the board's change events (issue 16, items 7 and 8).</summary>
public static class ExcelBoardEndpoints
{
    public static IServiceCollection AddReportExportAndBoardEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ExportReport.Handler>();
        // Open boards are told of changes at most once per interval (seconds), and at most so many listen at once.
        services.AddSingleton(new CaseChangeSignal(
            TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Board:EventIntervalSeconds", 3.0), 0.1, 600)),
            Math.Max(1, configuration.GetValue("Board:MaxEventStreams", 500))));
        services.AddSingleton<CaseChangeInterceptor>();
        // The one hook on the saving path, on whichever provider is configured (the other's is never built).
        services.ConfigureDbContext<SqliteTaizhangDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<CaseChangeInterceptor>()),
            ServiceLifetime.Singleton);
        services.ConfigureDbContext<PostgresTaizhangDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<CaseChangeInterceptor>()),
            ServiceLifetime.Singleton);
        // Each town's closed-period figures computed before anyone asks (on the node that runs the jobs).
        services.AddSingleton<ClosedPeriodWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<ClosedPeriodWarmup>());
        services.AddHealthChecks().AddCheck<ClosedPeriodWarmupHealthCheck>("figures");
        return services;
    }

    public static IEndpointRouteBuilder MapReportExportAndBoardEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/export.xlsx", ExportReport.Endpoint)
            .RequireAuthorization(Accounts.Policies.SignedIn).RequireRateLimiting(ReportRateLimit.Policy).WithTags("Reports").WithName("ExportReport")
            .Produces(StatusCodes.Status200OK, contentType: Cases.LedgerDownload.XlsxContentType).ProducesValidationProblem();
        // Authorized like the board (signed in; the board shows each caller their own scope). The stream
        // carries no data, only "changed", so it tells nobody anything about another scope's cases.
        app.MapGet("/board/events", BoardEvents.Endpoint)
            .RequireAuthorization(Accounts.Policies.SignedIn).ExcludeFromDescription();
        return app;
    }
}
