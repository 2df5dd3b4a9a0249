using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>Takes a participant off a planned or held meeting.</summary>
public static class RemoveParticipant
{
    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, int seq, CancellationToken ct) =>
            work.ChangeAsync(id, c => c.Meeting.RemoveParticipant(seq, c.At), ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, int seq, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, seq, ct));
}
