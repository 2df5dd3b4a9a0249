using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// 上会: a topic of the ledger (by id or tracking code) goes on the agenda, and the case goes into
/// deliberation (its Deliberate event) in the same save; or an item without a case, by its title.
/// The case must be of the meeting's town and visible to the caller, and able to go before a meeting.
/// </summary>
public static class AddAgendaItem
{
    public sealed record Request(long? CaseId, string? TrackingCode, string? Title, string? Source);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, async c =>
            {
                var r = request ?? new Request(null, null, null, null);
                var title = RequestParsing.Text(c.Errors, c.Texts, "title", r.Title, Meeting.TitleMaxLength, required: false);
                var source = RequestParsing.Enum<AgendaSource>(c.Errors, c.Texts, "source", r.Source);
                var field = r.CaseId is null && !string.IsNullOrWhiteSpace(r.TrackingCode) ? "trackingCode" : "caseId";
                Case? topic = null;
                if (r.CaseId is not null || !string.IsNullOrWhiteSpace(r.TrackingCode))
                {
                    topic = await FindTopicAsync(c, r, field, ct);
                }
                else if (title is null && !c.Errors.Any)
                {
                    c.Errors.Add("title", c.Texts["meetings.error.agenda-needs-case-or-title"]);
                }
                c.Errors.ThrowIfAny();
                if (topic is not null)
                {
                    if (c.Meeting.Agenda.Any(a => a.CaseId == topic.Id))
                    {
                        c.Errors.Add(field, c.Texts["rule.meeting.agenda-duplicate"]);
                        c.Errors.ThrowIfAny();
                    }
                    c.Meeting.AddAgendaItem(topic.Id, title ?? Shorten(topic.Title), source ?? SourceOf(topic), c.At);
                    topic.Deliberate(c.Meeting.Id, c.By, c.At);
                }
                else
                {
                    c.Meeting.AddAgendaItem(null, title!, source ?? AgendaSource.Cadres, c.At);
                }
            }, ct);

        private static async Task<Case?> FindTopicAsync(MeetingChange c, Request r, string field, CancellationToken ct)
        {
            long? caseId = r.CaseId;
            if (caseId is null)
            {
                var code = TrackingCodes.Normalize(r.TrackingCode);
                caseId = code is null ? null : await c.Db.CaseIdOfAsync(code, ct);
            }
            // A case of another town, or one the caller may not read, is not found: the same message either way.
            var visible = caseId is { } cid && await c.Access.Cases.Visible(c.Db.Cases.AsNoTracking())
                .AnyAsync(x => x.Id == cid && x.TownId == c.Meeting.TownId, ct);
            if (!visible)
            {
                c.Errors.Add(field, c.Texts["meetings.error.case-not-found"]);
                return null;
            }
            var topic = await c.CaseAsync(caseId!.Value, ct);
            if (topic is null || !topic.AvailableActions.Contains(CaseAction.Deliberate))
            {
                c.Errors.Add(field, c.Texts["meetings.error.case-not-deliberable"]);
                return null;
            }
            return topic;
        }

        private static AgendaSource SourceOf(Case topic) => topic.Channel switch
        {
            Channel.Meeting => AgendaSource.RaisedAtMeeting,
            Channel.HigherLevel or Channel.Petition or Channel.LivelihoodPlatform => AgendaSource.HigherLevel,
            _ => AgendaSource.Residents,
        };

        private static string Shorten(string title) => title.Length <= Meeting.TitleMaxLength ? title : title[..Meeting.TitleMaxLength];
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
