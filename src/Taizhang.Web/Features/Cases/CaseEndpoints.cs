using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

public static class CaseEndpoints
{
    public static IServiceCollection AddCaseFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(IntakeOptions.Section).Get<IntakeOptions>() ?? new IntakeOptions());
        services.AddSingleton<IntakeWriter>();
        services.AddSingleton<CaseIds>();
        services.AddSingleton<Residents.RatingCodes>();
        services.AddSingleton(new ListCases.Options(configuration.GetValue("Ledger:SearchIdsInline", new ListCases.Options().SearchIdsInline),
            configuration.GetValue("Ledger:SearchCountLimit", new ListCases.Options().SearchCountLimit)));
        services.AddHostedService(sp => sp.GetRequiredService<IntakeWriter>());
        services.AddSingleton<SearchIndexBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<SearchIndexBackfill>());
        services.AddHealthChecks().AddCheck<IntakeHealthCheck>("intake", tags: [Infrastructure.HealthEndpoints.Ready]);
        services.AddScoped<CaseReader>();
        services.AddScoped<CaseWorkbench>();
        services.AddScoped<RegisterCase.Handler>();
        services.AddScoped<ListCases.Handler>();
        services.AddScoped<LedgerCounts>();
        services.AddScoped<GetTriageQueue.Handler>();
        services.AddScoped<SuggestDuplicates.Handler>();
        services.AddScoped<GetCaseWorkspace.Handler>();
        services.AddScoped<GetIntakeChoices.Handler>();
        services.AddScoped<GetLedgerChoices.Handler>();
        services.AddScoped<FindCallerHistory.Handler>();
        services.AddSingleton(new FindCallerHistory.Options(configuration.GetValue("RateLimits:CallerLookupsPerMinute", new FindCallerHistory.Options().PerMinute)));
        services.AddSingleton<FindCallerHistory.Limiter>();
        services.AddSingleton<FindCallerHistory.PhoneHasher>();
        services.AddScoped<TrackCase.Handler>();
        services.AddScoped<TriageCase.Handler>();
        services.AddScoped<AssignCase.Handler>();
        services.AddScoped<StartCase.Handler>();
        services.AddScoped<ReturnCase.Handler>();
        services.AddScoped<TransferCase.Handler>();
        services.AddScoped<ResolveCase.Handler>();
        services.AddScoped<FollowUpCase.Handler>();
        services.AddScoped<ReopenCase.Handler>();
        services.AddScoped<RejectCase.Handler>();
        services.AddScoped<MergeCase.Handler>();
        services.AddScoped<DeliberateCase.Handler>();
        services.AddScoped<PlanCase.Handler>();
        services.AddScoped<AddReporter.Handler>();
        services.AddScoped<RevealPersonalData.Handler>();
        services.AddScoped<SaveView.Handler>();
        services.AddScoped<ListViews.Handler>();
        services.AddScoped<DeleteView.Handler>();
        services.AddScoped<ExportLedger.Handler>();
        services.AddSingleton(new ExportLedger.Options(
            configuration.GetValue("Export:MaxRows", new ExportLedger.Options().MaxRows),
            configuration.GetValue("Export:PrintMaxRows", new ExportLedger.Options().PrintMaxRows)));
        return services;
    }

    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Cases")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cases.MapPost("/", RegisterCase.Endpoint).WithName("RegisterCase");
        cases.MapGet("/", ListCases.Endpoint).WithName("ListCases");
        cases.MapPost("/similar", SuggestDuplicates.Endpoint).WithName("SimilarCases");
        cases.MapGet("/export.xlsx", ExportLedger.XlsxEndpoint).WithName("ExportLedgerXlsx")
            .Produces(StatusCodes.Status200OK, contentType: LedgerDownload.XlsxContentType);
        cases.MapGet("/export.csv", ExportLedger.CsvEndpoint).WithName("ExportLedgerCsv")
            .Produces(StatusCodes.Status200OK, contentType: LedgerDownload.CsvContentType);
        cases.MapGet("/{id:long}", GetCase.Endpoint).WithName("GetCase");
        cases.MapPost("/{id:long}/triage", TriageCase.Endpoint).WithName("TriageCase");
        cases.MapPost("/{id:long}/assign", AssignCase.Endpoint).WithName("AssignCase");
        cases.MapPost("/{id:long}/start", StartCase.Endpoint).WithName("StartCase");
        cases.MapPost("/{id:long}/return", ReturnCase.Endpoint).WithName("ReturnCase");
        cases.MapPost("/{id:long}/transfer", TransferCase.Endpoint).WithName("TransferCase");
        cases.MapPost("/{id:long}/resolve", ResolveCase.Endpoint).WithName("ResolveCase");
        cases.MapPost("/{id:long}/follow-up", FollowUpCase.Endpoint).WithName("FollowUpCase");
        cases.MapPost("/{id:long}/reopen", ReopenCase.Endpoint).WithName("ReopenCase");
        cases.MapPost("/{id:long}/reject", RejectCase.Endpoint).WithName("RejectCase");
        cases.MapPost("/{id:long}/merge", MergeCase.Endpoint).WithName("MergeCase");
        cases.MapPost("/{id:long}/deliberate", DeliberateCase.Endpoint).WithName("DeliberateCase");
        cases.MapPost("/{id:long}/plan", PlanCase.Endpoint).WithName("PlanCase");
        cases.MapPost("/{id:long}/reporters", AddReporter.Endpoint).WithName("AddReporter");
        cases.MapPost("/{id:long}/personal-data", RevealPersonalData.Endpoint).WithName("RevealPersonalData");

        var views = app.MapGroup("/api/v1/saved-views").RequireAuthorization(Accounts.Policies.SignedIn).WithTags("Saved views");
        views.MapGet("/", ListViews.Endpoint).WithName("ListSavedViews");
        views.MapPost("/", SaveView.Endpoint).WithName("SaveView").ProducesValidationProblem();
        views.MapDelete("/{id:long}", DeleteView.Endpoint).WithName("DeleteSavedView").ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/track/{code}", TrackCase.Endpoint)
            .WithTags("Public")
            .WithName("TrackCase")
            .AllowAnonymous()
            .RequireRateLimiting(ApiSetup.TrackingRateLimit);
        return app;
    }
}
