using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// 会议点: a resident's matter raised at the meeting is registered through the one intake
/// (<see cref="RegisterCase.Handler"/>: channel Meeting, linked to this meeting, under the request's
/// Idempotency-Key, so a double submit registers it once), and put on the agenda only if asked.
/// </summary>
public static class RegisterRaisedMatter
{
    public sealed record Request(string? Title, string? Description, RegisterCase.ReporterBody? Reporter, string? OrgUnit, string? Category,
        string? Urgency, bool? Anonymous = null, bool? ContactConsent = null, bool? PutOnAgenda = null);

    public sealed record Response(RegisterCase.Response Case, bool Created, MeetingDetail Meeting);

    public sealed class Handler(MeetingReader reader, MeetingScope scope, RegisterCase.Handler register, MeetingWorkbench work, OrgDirectory org)
    {
        public async Task<Response> HandleAsync(long id, Request? request, string? idempotencyKey, CancellationToken ct)
        {
            var meeting = await reader.LoadAsync(id, tracked: false, ct) ?? throw new NotFoundException("meeting");
            (await scope.GetAsync(ct)).EnsureRun(meeting);
            if (meeting.Status is not (MeetingStatus.Planned or MeetingStatus.Held))
            {
                throw new DomainRuleException("meeting.illegal-transition", $"Cannot raise a matter at a meeting that is {meeting.Status}.",
                    new Dictionary<string, string> { ["state"] = "Meeting" + meeting.Status, ["action"] = "raise" });
            }
            var r = request ?? new Request(null, null, null, null, null, null);
            var units = await org.GetAsync(ct);
            var outcome = await register.HandleAsync(new RegisterCase.Request(nameof(Channel.Meeting), r.Title, r.Description, r.Reporter,
                string.IsNullOrWhiteSpace(r.OrgUnit) ? units.Ref(meeting.OrgUnitId)?.Code : r.OrgUnit, r.Category, r.Urgency, null, null,
                meeting.Id, r.Anonymous, r.ContactConsent), idempotencyKey, ct);
            var detail = r.PutOnAgenda == true
                ? await work.ChangeAsync(id, c =>
                {
                    // A repeated submission finds its item already there.
                    if (c.Meeting.Agenda.All(a => a.CaseId != outcome.Case.Id))
                    {
                        var title = r.Title!.Trim();
                        c.Meeting.AddAgendaItem(outcome.Case.Id, title.Length <= Meeting.TitleMaxLength ? title : title[..Meeting.TitleMaxLength],
                            AgendaSource.RaisedAtMeeting, c.At);
                    }
                }, ct)
                : await reader.DetailAsync(id, ct);
            return new Response(outcome.Case, outcome.Created, detail);
        }
    }

    public static async Task<Results<Created<Response>, Ok<Response>>> Endpoint(long id, Request? request,
        [FromHeader(Name = RegisterCase.IdempotencyHeader)] string? idempotencyKey, Handler handler, CancellationToken ct)
    {
        var response = await handler.HandleAsync(id, request, idempotencyKey, ct);
        return response.Created
            ? TypedResults.Created($"/api/v1/cases/{response.Case.Id}", response)
            : TypedResults.Ok(response);
    }
}
