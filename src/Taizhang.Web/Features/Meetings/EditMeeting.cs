using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

/// <summary>Changes a planned meeting's title, time, place, host, and 应到 when it has no body.</summary>
public static class EditMeeting
{
    public sealed record Request(string? Title, DateTimeOffset? At, string? Place, string? Host, int? Expected, int? Households);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct, int? version = null) =>
            work.ChangeAsync(id, c =>
            {
                var r = request ?? new Request(null, null, null, null, null, null);
                var title = RequestParsing.Text(c.Errors, c.Texts, "title", r.Title, Meeting.TitleMaxLength, required: true);
                var place = RequestParsing.Text(c.Errors, c.Texts, "place", r.Place, Meeting.PlaceMaxLength, required: false);
                var host = RequestParsing.Text(c.Errors, c.Texts, "host", r.Host, Meeting.NameMaxLength, required: false);
                if (r.At is null)
                {
                    c.Errors.Add("at", c.Texts["field.required"]);
                }
                c.Errors.ThrowIfAny();
                var m = c.Meeting;
                m.Edit(title!, r.At!.Value.UtcDateTime, place, host, m.BodyId is null ? r.Expected ?? m.Expected : m.Expected,
                    m.BodyId is null ? r.Households ?? m.Households : m.Households, c.At);
            }, ct, version);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, HttpRequest http, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct, MeetingWorkbench.IfMatch(http)));
}
