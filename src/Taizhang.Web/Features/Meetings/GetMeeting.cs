using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>A meeting with everything on its record: participants, agenda with outcomes and verdicts, minutes, amendments, attachments.</summary>
public static class GetMeeting
{
    public static async Task<Ok<MeetingDetail>> Endpoint(long id, MeetingReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.DetailAsync(id, ct));
}
