namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// 延期、挂起、催办、通报、督办 and 联系群众 over the API: each a case action under
/// /api/v1/cases/{id}/…, through the case workbench (scope 404, permission 403, state 409, one save).
/// </summary>
public static class DeadlineEndpoints
{
    public static IServiceCollection AddDeadlines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(DeadlineOptions.Section).Get<DeadlineOptions>() ?? new DeadlineOptions());
        services.AddScoped<RequestExtension.Handler>();
        services.AddScoped<DecideExtension.Handler>();
        services.AddScoped<RequestSuspension.Handler>();
        services.AddScoped<DecideSuspension.Handler>();
        services.AddScoped<ResumeCase.Handler>();
        services.AddScoped<RemindCase.Handler>();
        services.AddScoped<NotifyCase.Handler>();
        services.AddScoped<SuperviseCase.Handler>();
        services.AddScoped<ContactReporter.Handler>();
        services.AddScoped<DeadlineInstructions>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeadlineEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Deadlines")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cases.MapPost("/{id:long}/request-extension", RequestExtension.Endpoint).WithName("RequestExtension");
        cases.MapPost("/{id:long}/decide-extension", DecideExtension.Endpoint).WithName("DecideExtension");
        cases.MapPost("/{id:long}/request-suspension", RequestSuspension.Endpoint).WithName("RequestSuspension");
        cases.MapPost("/{id:long}/decide-suspension", DecideSuspension.Endpoint).WithName("DecideSuspension");
        cases.MapPost("/{id:long}/resume", ResumeCase.Endpoint).WithName("ResumeCase");
        cases.MapPost("/{id:long}/remind", RemindCase.Endpoint).WithName("RemindCase");
        cases.MapPost("/{id:long}/notify", NotifyCase.Endpoint).WithName("NotifyCase");
        cases.MapPost("/{id:long}/supervise", SuperviseCase.Endpoint).WithName("SuperviseCase");
        cases.MapPost("/{id:long}/contact", ContactReporter.Endpoint).WithName("ContactReporter");
        return app;
    }
}
