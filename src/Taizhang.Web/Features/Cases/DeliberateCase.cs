using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>协商议事: a topic of the ledger goes before a meeting.</summary>
public static class DeliberateCase
{
    public sealed record Request(long? MeetingId);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Deliberate, async c =>
            {
                if (request.MeetingId is { } meetingId
                    && !await c.Db.Meetings.AnyAsync(m => m.Id == meetingId && m.TownId == c.Case.TownId, ct))
                {
                    c.Errors.Add("meetingId", c.Texts.Format("field.unknown-meeting", meetingId));
                }
                c.Errors.ThrowIfAny();
                c.Case.Deliberate(request.MeetingId, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
