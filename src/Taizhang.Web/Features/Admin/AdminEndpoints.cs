namespace Taizhang.Web.Features.Admin;

public static class AdminEndpoints
{
    public static IServiceCollection AddAdminFeatures(this IServiceCollection services)
    {
        services.AddScoped<AdminScope>();
        services.AddScoped<ManageUsers.Handler>();
        services.AddScoped<ManageApiClients.Handler>();
        services.AddScoped<ManageOrganisation.Handler>();
        services.AddScoped<ManageCalendar.Handler>();
        services.AddScoped<AdminAudit.Handler>();
        services.AddScoped<VerifyEventChain.Handler>();
        services.AddScoped<AdminOverview.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var reference = app.MapGroup("/api/v1").WithTags("Organisation").RequireAuthorization(Accounts.Policies.SignedIn);
        reference.MapGet("/org-units", ManageOrganisation.UnitsEndpoint).WithName("ListOrgUnits");
        reference.MapGet("/categories", ManageOrganisation.CategoriesEndpoint).WithName("ListCategories");

        // Administrators only, before any handler runs; each handler still checks the scope of the change.
        var admin = app.MapGroup("/api/v1/admin")
            .RequireAuthorization(Accounts.Policies.Administrator)
            .WithTags("Administration")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/users", ManageUsers.ListEndpoint).WithName("ListUsers");
        admin.MapPost("/users", ManageUsers.CreateEndpoint).WithName("CreateUser");
        admin.MapGet("/users/post-choices", ManageUsers.ChoicesEndpoint).WithName("ListPostChoices");
        admin.MapGet("/users/{id:long}", ManageUsers.GetEndpoint).WithName("GetUser");
        admin.MapPut("/users/{id:long}", ManageUsers.UpdateEndpoint).WithName("UpdateUser");
        admin.MapPost("/users/{id:long}/password", ManageUsers.PasswordEndpoint).WithName("SetUserPassword");
        admin.MapPost("/users/{id:long}/unlock", ManageUsers.UnlockEndpoint).WithName("UnlockUser");
        admin.MapPost("/users/{id:long}/posts", ManageUsers.AddPostEndpoint).WithName("AddUserPost");
        admin.MapDelete("/users/{id:long}/posts/{postId:long}", ManageUsers.RemovePostEndpoint).WithName("RemoveUserPost");

        admin.MapGet("/summary", AdminOverview.Endpoint).WithName("GetAdminSummary");
        admin.MapGet("/org-units", ManageOrganisation.AreaEndpoint).WithName("ListAdministeredOrgUnits");
        admin.MapPost("/org-units", ManageOrganisation.CreateUnitEndpoint).WithName("CreateOrgUnit");
        admin.MapPut("/org-units/{code}", ManageOrganisation.RenameUnitEndpoint).WithName("RenameOrgUnit");
        admin.MapPost("/categories", ManageOrganisation.CreateCategoryEndpoint).WithName("CreateCategory");
        admin.MapPut("/categories/{code}", ManageOrganisation.UpdateCategoryEndpoint).WithName("UpdateCategory");

        admin.MapGet("/calendar/{year:int}", ManageCalendar.GetYearEndpoint).WithName("GetHolidayCalendarYear");
        admin.MapPut("/calendar/{year:int}", ManageCalendar.PutYearEndpoint).WithName("PutHolidayCalendarYear");
        admin.MapPut("/service-levels", ManageCalendar.PutServiceLevelsEndpoint).WithName("PutServiceLevels");

        admin.MapGet("/audit", AdminAudit.ListEndpoint).WithName("ListAdminEvents");
        admin.MapGet("/verify", VerifyEventChain.Endpoint).WithName("VerifyEventChain");

        admin.MapGet("/api-clients", ManageApiClients.ListEndpoint).WithName("ListApiClients");
        admin.MapPost("/api-clients", ManageApiClients.CreateEndpoint).WithName("CreateApiClient");
        admin.MapPost("/api-clients/{id:long}/revoke", ManageApiClients.RevokeEndpoint).WithName("RevokeApiClient");
        return app;
    }
}
