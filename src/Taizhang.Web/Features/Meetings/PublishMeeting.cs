using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>公布: confirmed minutes are published (the disclosure's pages read published meetings).</summary>
public static class PublishMeeting
{
    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, CancellationToken ct) =>
            work.ChangeAsync(id, c => c.Meeting.Publish(c.At), ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}
