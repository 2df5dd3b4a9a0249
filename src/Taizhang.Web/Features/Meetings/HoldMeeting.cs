using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// The meeting took place: who was present (by participant number, or a count for a large assembly) and
/// when. Recorded again (a correction before the minutes are confirmed), it recounts the votes already
/// recorded; a vote whose validity or result the new attendance changes is recorded again on its case, so
/// the timeline never keeps a verdict the meeting's record no longer has.
/// </summary>
public static class HoldMeeting
{
    public sealed record Request(IReadOnlyList<int>? Present, int? PresentCount, int? HouseholdsPresent, DateTimeOffset? HeldAt);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, async c =>
            {
                var r = request ?? new Request(null, null, null, null);
                var before = c.Meeting.Agenda.Where(a => a.OutcomeKind == AgendaOutcomeKind.Vote)
                    .ToDictionary(a => a.Seq, a => (a.VoteValid, a.Passed));
                c.Meeting.Hold(r.Present ?? [], r.PresentCount, r.HouseholdsPresent, r.HeldAt?.UtcDateTime ?? c.At, c.At);
                foreach (var item in c.Meeting.Agenda.Where(a => before.TryGetValue(a.Seq, out var was) && was != (a.VoteValid, a.Passed)))
                {
                    if (item.CaseId is { } caseId && await c.CaseAsync(caseId, ct) is { } topic
                        && topic.AvailableActions.Contains(CaseAction.DeliberationOutcome))
                    {
                        topic.RecordDeliberationOutcome(c.Meeting.Id, item.Seq, DeliberationOutcomeKind.Vote, item.OutcomeText,
                            item.VotesFor, item.VotesAgainst, item.VotesAbstain, item.VoteValid, item.Passed, c.By, c.At);
                    }
                }
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
