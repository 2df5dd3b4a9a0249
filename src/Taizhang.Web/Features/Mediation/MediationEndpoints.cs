namespace Taizhang.Web.Features.Mediation;

/// <summary>人民调解 on a dispute case: /api/v1/cases/{id}/mediation.</summary>
public static class MediationEndpoints
{
    public static IServiceCollection AddMediationFeatures(this IServiceCollection services)
    {
        services.AddScoped<MediationReader>();
        services.AddScoped<MediationWork>();
        services.AddScoped<AcceptMediation.Handler>();
        services.AddScoped<AddMediationParty.Handler>();
        services.AddScoped<GiveMediationNotice.Handler>();
        services.AddScoped<RecordMediationSession.Handler>();
        services.AddScoped<MakeMediationAgreement.Handler>();
        services.AddScoped<ExtendMediation.Handler>();
        services.AddScoped<RecordMediationPerformance.Handler>();
        services.AddScoped<ApplyJudicialConfirmation.Handler>();
        services.AddScoped<RecordMediationOutcome.Handler>();
        services.AddScoped<RevealMediationParties.Handler>();
        services.AddScoped<GetMediationPage.Handler>();
        services.AddScoped<MediationSummary>();
        return services;
    }

    public static IEndpointRouteBuilder MapMediationEndpoints(this IEndpointRouteBuilder app)
    {
        var m = app.MapGroup("/api/v1/cases/{id:long}/mediation")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Mediation")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        m.MapGet("/", GetMediation.Endpoint).WithName("GetMediation");
        m.MapPost("/", AcceptMediation.Endpoint).WithName("AcceptMediation");
        m.MapPost("/parties", AddMediationParty.Endpoint).WithName("AddMediationParty");
        m.MapPost("/notice", GiveMediationNotice.Endpoint).WithName("GiveMediationNotice");
        m.MapPost("/sessions", RecordMediationSession.Endpoint).WithName("RecordMediationSession");
        m.MapPost("/agreement", MakeMediationAgreement.Endpoint).WithName("MakeMediationAgreement");
        m.MapPost("/extension", ExtendMediation.Endpoint).WithName("ExtendMediation");
        m.MapPost("/performance", RecordMediationPerformance.Endpoint).WithName("RecordMediationPerformance");
        m.MapPost("/judicial-confirmation", ApplyJudicialConfirmation.Endpoint).WithName("ApplyJudicialConfirmation");
        m.MapPost("/outcome", RecordMediationOutcome.Endpoint).WithName("RecordMediationOutcome");
        m.MapPost("/personal-data", RevealMediationParties.Endpoint).WithName("RevealMediationParties");
        return app;
    }
}
