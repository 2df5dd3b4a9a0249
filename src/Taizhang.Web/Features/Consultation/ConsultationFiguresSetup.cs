using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Features.Consultation;

/// <summary>成效 and the consultation figures: outcome measures (list, recording) and the consultation report.</summary>
public static class ConsultationFiguresSetup
{
    public static IServiceCollection AddConsultationFigures(this IServiceCollection services) => services
        .AddScoped<OutcomeMeasures.Handler>()
        .AddScoped<RecordMeasures.CaseHandler>()
        .AddScoped<RecordMeasures.MeetingHandler>()
        .AddScoped<ConsultationReport.Handler>();

    public static IEndpointRouteBuilder MapConsultationFigureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/cases/{id:long}/measures", RecordMeasures.CaseEndpoint)
            .RequireAuthorization(Policies.SignedIn).WithTags("Cases").WithName("RecordCaseMeasures").ProducesValidationProblem();
        app.MapPost("/api/v1/meetings/{id:long}/measures", RecordMeasures.MeetingEndpoint)
            .RequireAuthorization(Policies.SignedIn).WithTags("Meetings").WithName("RecordMeetingMeasures").ProducesValidationProblem();
        app.MapGet("/api/v1/outcome-measures", OutcomeMeasures.GetEndpoint)
            .RequireAuthorization(Policies.SignedIn).WithTags("Reports").WithName("ListOutcomeMeasures");
        app.MapPut("/api/v1/admin/outcome-measures", OutcomeMeasures.PutEndpoint)
            .RequireAuthorization(Policies.Administrator).WithTags("Administration").WithName("PutOutcomeMeasures").ProducesValidationProblem();
        app.MapGet("/api/v1/reports/consultation", ConsultationReport.Endpoint)
            .RequireAuthorization(Policies.SignedIn).RequireRateLimiting(Reports.ReportRateLimit.Policy).WithTags("Reports").WithName("ConsultationReport").ProducesValidationProblem();
        return app;
    }
}
