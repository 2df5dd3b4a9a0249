using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

public static class MeetingEndpoints
{
    public static IServiceCollection AddMeetings(this IServiceCollection services)
    {
        services.AddScoped<MeetingScope>();
        services.AddScoped<MeetingReader>();
        services.AddScoped<MeetingWorkbench>();
        services.AddScoped<ListMeetings.Handler>();
        services.AddScoped<PlanMeeting.Handler>();
        services.AddScoped<EditMeeting.Handler>();
        services.AddScoped<AddParticipant.Handler>();
        services.AddScoped<RemoveParticipant.Handler>();
        services.AddScoped<AddAgendaItem.Handler>();
        services.AddScoped<RegisterRaisedMatter.Handler>();
        services.AddScoped<HoldMeeting.Handler>();
        services.AddScoped<RecordOutcome.Handler>();
        services.AddScoped<SaveMinutes.Handler>();
        services.AddScoped<ConfirmMinutes.Handler>();
        services.AddScoped<AmendMinutes.Handler>();
        services.AddScoped<PublishMeeting.Handler>();
        services.AddScoped<CancelMeeting.Handler>();
        services.AddScoped<ListBodies.Handler>();
        services.AddScoped<SaveBody.Handler>();
        services.AddScoped<SaveBodyMember.Handler>();
        services.AddScoped<AddMeetingAttachment.Handler>();
        services.AddScoped<GetMeetingAttachment.Handler>();
        services.AddScoped<ListCaseMeetings.Handler>();
        services.AddScoped<GetMeetingChoices.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapMeetingEndpoints(this IEndpointRouteBuilder app)
    {
        var meetings = app.MapGroup("/api/v1/meetings")
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .WithTags("Meetings")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        meetings.MapGet("/", ListMeetings.Endpoint).WithName("ListMeetings");
        meetings.MapPost("/", PlanMeeting.Endpoint).WithName("PlanMeeting");
        meetings.MapGet("/{id:long}", GetMeeting.Endpoint).WithName("GetMeeting");
        meetings.MapPut("/{id:long}", EditMeeting.Endpoint).WithName("EditMeeting");
        meetings.MapPost("/{id:long}/participants", AddParticipant.Endpoint).WithName("AddMeetingParticipant");
        meetings.MapDelete("/{id:long}/participants/{seq:int}", RemoveParticipant.Endpoint).WithName("RemoveMeetingParticipant");
        meetings.MapPost("/{id:long}/agenda", AddAgendaItem.Endpoint).WithName("AddAgendaItem");
        meetings.MapPost("/{id:long}/raised", RegisterRaisedMatter.Endpoint).WithName("RegisterRaisedMatter");
        meetings.MapPost("/{id:long}/hold", HoldMeeting.Endpoint).WithName("HoldMeeting");
        meetings.MapPost("/{id:long}/agenda/{seq:int}/outcome", RecordOutcome.Endpoint).WithName("RecordAgendaOutcome");
        meetings.MapPut("/{id:long}/minutes", SaveMinutes.Endpoint).WithName("SaveMinutes");
        meetings.MapPost("/{id:long}/confirm", ConfirmMinutes.Endpoint).WithName("ConfirmMinutes");
        meetings.MapPost("/{id:long}/amendments", AmendMinutes.Endpoint).WithName("AmendMinutes");
        meetings.MapPost("/{id:long}/publish", PublishMeeting.Endpoint).WithName("PublishMeeting");
        meetings.MapPost("/{id:long}/cancel", CancelMeeting.Endpoint).WithName("CancelMeeting");
        meetings.MapPost("/{id:long}/attachments", AddMeetingAttachment.Endpoint).WithName("AddMeetingAttachment")
            .WithMetadata(new UploadEndpoint())
            .WithDescription("multipart/form-data: file (required; as a case's attachment). 201 with the attachment.")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        meetings.MapGet("/{id:long}/attachments/{attachmentId:long}", GetMeetingAttachment.Endpoint).WithName("GetMeetingAttachment")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        meetings.MapGet("/bodies", ListBodies.Endpoint).WithName("ListMeetingBodies");
        meetings.MapPost("/bodies", SaveBody.CreateEndpoint).WithName("CreateMeetingBody");
        meetings.MapPut("/bodies/{id:long}", SaveBody.UpdateEndpoint).WithName("UpdateMeetingBody");
        meetings.MapPost("/bodies/{id:long}/members", SaveBodyMember.AddEndpoint).WithName("AddMeetingBodyMember");
        meetings.MapPut("/bodies/{id:long}/members/{seq:int}", SaveBodyMember.UpdateEndpoint).WithName("UpdateMeetingBodyMember");
        // The download where the meeting page links to it: a person's browser gets the error page, not JSON.
        app.MapGet("/meetings/{id:long}/attachments/{attachmentId:long}", GetMeetingAttachment.Endpoint)
            .RequireAuthorization(Accounts.Policies.SignedIn)
            .ExcludeFromDescription();
        return app;
    }
}
