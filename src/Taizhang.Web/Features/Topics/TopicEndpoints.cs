using Taizhang.Web.Features.Plans;

namespace Taizhang.Web.Features.Topics;

/// <summary>The topic ledger, concentrated handling, and the handling plans of the cases.</summary>
public static class TopicEndpoints
{
    public static IServiceCollection AddTopics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new TopicOptions(Math.Max(1, configuration.GetValue("Consultation:TopicWaitDays", new TopicOptions().TopicWaitDays))));
        services.AddScoped<GetPlan.Handler>();
        services.AddScoped<SavePlan.Handler>();
        services.AddScoped<ReportPlanProgress.Handler>();
        services.AddScoped<ListTopics.Handler>();
        services.AddScoped<ExportTopics.Handler>();
        services.AddScoped<GetConcentratedCandidates.Handler>();
        services.AddScoped<CreateConcentratedMeeting.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapTopicEndpoints(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/v1/cases")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Plans")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        plans.MapGet("/{id:long}/plan", GetPlan.Endpoint).WithName("GetPlan");
        plans.MapPut("/{id:long}/plan", SavePlan.Endpoint).WithName("SavePlan");
        plans.MapPost("/{id:long}/plan/steps/{n:int}/progress", ReportPlanProgress.Endpoint).WithName("ReportPlanProgress");

        var topics = app.MapGroup("/api/v1/topics")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Topics")
            .ProducesValidationProblem();
        topics.MapGet("/", ListTopics.Endpoint).WithName("ListTopics");
        topics.MapGet("/export.xlsx", ExportTopics.Endpoint).WithName("ExportTopics").RequireRateLimiting(Reports.ReportRateLimit.Policy)
            .Produces(StatusCodes.Status200OK, contentType: Cases.LedgerDownload.XlsxContentType);
        topics.MapGet("/concentrated-candidates", GetConcentratedCandidates.Endpoint).WithName("GetConcentratedCandidates");
        topics.MapPost("/concentrated-meetings", CreateConcentratedMeeting.Endpoint).WithName("CreateConcentratedMeeting")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
