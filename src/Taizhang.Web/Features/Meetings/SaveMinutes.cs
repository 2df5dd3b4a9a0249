using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>The minutes' draft while the meeting is held; after confirmation only an amendment changes them.</summary>
public static class SaveMinutes
{
    public sealed record Request(string? Minutes);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct, int? version = null) =>
            work.ChangeAsync(id, c =>
            {
                c.CheckText("minutes", request?.Minutes);
                c.Errors.ThrowIfAny();
                c.Meeting.SaveMinutes(request?.Minutes, c.At);
            }, ct, version);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, HttpRequest http, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct, MeetingWorkbench.IfMatch(http)));
}
