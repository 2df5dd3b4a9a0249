using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>Adds a member or a guest (a partner unit's representative, a town official, a resident) to a planned or held meeting.</summary>
public static class AddParticipant
{
    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, PlanMeeting.GuestBody? request, CancellationToken ct) =>
            work.ChangeAsync(id, async c =>
            {
                var parsed = await Guests.ParseAsync(c.Db, c.Units, c.Texts, c.Errors, [request ?? new PlanMeeting.GuestBody(null, null, null, null, null)],
                    c.Meeting.TownId, ct, prefix: "");
                c.Errors.ThrowIfAny();
                var g = parsed[0];
                c.Meeting.AddParticipant(g.Role, g.Name, g.Post, g.UnitId, g.UserId, c.At);
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, PlanMeeting.GuestBody? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
