using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Meetings;

/// <summary>修正: confirmed minutes change only by a recorded amendment (the text before and after, why, who, when).</summary>
public static class AmendMinutes
{
    public sealed record Request(string? Minutes, string? Reason);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, c =>
            {
                c.CheckText("minutes", request?.Minutes);
                c.CheckText("reason", request?.Reason);
                c.Errors.ThrowIfAny();
                c.Meeting.AmendMinutes(request?.Minutes ?? "", request?.Reason ?? "", c.By.Name, c.At);
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
