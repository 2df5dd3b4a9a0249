using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>A planned meeting is called off, with the reason.</summary>
public static class CancelMeeting
{
    public sealed record Request(string? Reason);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, c =>
            {
                c.CheckText("reason", request?.Reason);
                c.Errors.ThrowIfAny();
                c.Meeting.Cancel(request?.Reason ?? "", c.At);
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
