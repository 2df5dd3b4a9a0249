using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>签字确认: the signed-in person confirms the minutes with the attendees who sign (each recorded).</summary>
public static class ConfirmMinutes
{
    public sealed record Request(IReadOnlyList<int>? Signed);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, c => c.Meeting.ConfirmMinutes(c.By.Name, request?.Signed ?? [], c.At), ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
