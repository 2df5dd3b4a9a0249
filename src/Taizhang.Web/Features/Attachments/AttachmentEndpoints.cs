using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Attachments;

public static class AttachmentEndpoints
{
    public static IServiceCollection AddAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAttachmentStore(configuration);
        services.AddScoped<AttachmentIntake>();
        services.AddScoped<AttachmentWriter>();
        services.AddScoped<AddAttachment.Handler>();
        services.AddScoped<ListAttachments.Handler>();
        services.AddScoped<GetAttachment.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        var store = app.ServiceProvider.GetRequiredService<AttachmentStore>();
        store.RemoveStaleTemporaryFiles(app.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        var cases = app.MapGroup("/api/v1/cases/{id:long}/attachments")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Attachments")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The form is read by the handler (after the scope check), not bound: the antiforgery check for
        // cookies is the API's own (UseApiAntiforgery), as for every other API write.
        cases.MapPost("/", AddAttachment.Endpoint).WithName("AddAttachment")
            .WithMetadata(new UploadEndpoint())
            // Not .Accepts(multipart): another content type would be a bare 415 saying "JSON expected"; the handler says what to send.
            .WithDescription("multipart/form-data: file (required; JPEG, PNG, WebP, PDF, .docx, .xlsx, .pptx, by content; at most Attachments:MaxBytes), "
                + "kind (optional: Registration, Handling or Evidence; without it, the case's state decides). 201 with the attachment.")
            .DisableAntiforgery()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        cases.MapGet("/", ListAttachments.Endpoint).WithName("ListAttachments");
        cases.MapGet("/{attachmentId:long}", GetAttachment.Endpoint).WithName("GetAttachment")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        // The same download where the case page links to it: a person's browser gets the error page, not JSON.
        app.MapGet("/cases/{id:long}/attachments/{attachmentId:long}", GetAttachment.Endpoint)
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .ExcludeFromDescription();
        return app;
    }
}
