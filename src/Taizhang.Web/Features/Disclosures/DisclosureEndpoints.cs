namespace Taizhang.Web.Features.Disclosures;

/// <summary>公示 (public disclosure): the staff's API under /api/v1/disclosures and the case's and meeting's routes, and the public notice board.</summary>
public static class DisclosureEndpoints
{
    public static IServiceCollection AddDisclosures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DisclosureOptions.From(configuration));
        services.AddSingleton<ObjectionLimiter>();
        services.AddSingleton<SubmitObjection.Replays>();
        services.AddScoped<DisclosureReader>();
        services.AddScoped<PublishDisclosure.Handler>();
        services.AddScoped<ManageDisclosures.Handler>();
        services.AddScoped<PublicNoticeBoard.Handler>();
        services.AddScoped<SubmitObjection.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapDisclosureEndpoints(this IEndpointRouteBuilder app)
    {
        var signedIn = Accounts.Policies.SignedIn;
        app.MapPost("/api/v1/cases/{id:long}/disclosures", PublishDisclosure.CaseEndpoint)
            .RequireAuthorization(signedIn).WithTags("Cases").WithName("DiscloseCase")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapPost("/api/v1/meetings/{id:long}/agenda/{seq:int}/disclosures", PublishDisclosure.MeetingEndpoint)
            .RequireAuthorization(signedIn).WithTags("Disclosures").WithName("DiscloseMeetingDecision")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var group = app.MapGroup("/api/v1/disclosures").RequireAuthorization(signedIn).WithTags("Disclosures")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", ManageDisclosures.ListEndpoint).WithName("ListDisclosures");
        group.MapGet("/{id:long}", ManageDisclosures.GetEndpoint).WithName("GetDisclosure");
        group.MapPost("/{id:long}/withdraw", ManageDisclosures.WithdrawEndpoint).WithName("WithdrawDisclosure");
        group.MapGet("/{id:long}/objections", ManageDisclosures.ObjectionsEndpoint).WithName("ListDisclosureObjections");
        group.MapPost("/{id:long}/objections/personal-data", (long id, ManageDisclosures.Handler h, CancellationToken ct) =>
            ManageDisclosures.ObjectionsEndpoint(id, true, h, ct)).WithName("RevealObjectionContacts");
        group.MapPost("/objections/{id:long}/answer", ManageDisclosures.AnswerEndpoint).WithName("AnswerObjection");

        var open = app.MapGroup("/api/v1/public/disclosures").WithTags("Public").AllowAnonymous();
        open.MapGet("/{unitCode}", PublicNoticeBoard.Endpoint).WithName("PublicDisclosures").ProducesProblem(StatusCodes.Status404NotFound);
        open.MapPost("/{id:long}/objections", SubmitObjection.Endpoint).WithName("SubmitObjection")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }
}
