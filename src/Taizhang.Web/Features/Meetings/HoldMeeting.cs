using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>The meeting took place: who was present (by participant number, or a count for a large assembly) and when.</summary>
public static class HoldMeeting
{
    public sealed record Request(IReadOnlyList<int>? Present, int? PresentCount, int? HouseholdsPresent, DateTimeOffset? HeldAt);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, c =>
            {
                var r = request ?? new Request(null, null, null, null);
                c.Meeting.Hold(r.Present ?? [], r.PresentCount, r.HouseholdsPresent, r.HeldAt?.UtcDateTime ?? c.At, c.At);
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
