using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// 议定: what the meeting did with an agenda item — an opinion, a vote (counted by the kind's rule),
/// reported to the town, deferred, or resolved at the meeting. The linked case records the outcome
/// (and a resolution at the meeting resolves it) in the same save.
/// </summary>
public static class RecordOutcome
{
    public sealed record Request(string? Kind, string? Text, int? For, int? Against, int? Abstain);

    public sealed class Handler(MeetingWorkbench work)
    {
        public Task<MeetingDetail> HandleAsync(long id, int seq, Request? request, CancellationToken ct) =>
            work.ChangeAsync(id, async c =>
            {
                var r = request ?? new Request(null, null, null, null, null);
                var kind = RequestParsing.Enum<AgendaOutcomeKind>(c.Errors, c.Texts, "kind", r.Kind, required: true);
                c.CheckText("text", r.Text);
                c.Errors.ThrowIfAny();
                var item = c.Meeting.RecordOutcome(seq, kind!.Value, r.Text, r.For, r.Against, r.Abstain, c.At);
                if (item.CaseId is not { } caseId || await c.CaseAsync(caseId, ct) is not { } topic)
                {
                    return;
                }
                // A matter registered at the meeting that is not a topic yet, or a case that has moved on
                // (resolved elsewhere), keeps the outcome on the meeting's record only.
                if (topic.AvailableActions.Contains(CaseAction.DeliberationOutcome))
                {
                    topic.RecordDeliberationOutcome(c.Meeting.Id, seq, Enum.Parse<DeliberationOutcomeKind>(kind.Value.ToString()), item.OutcomeText,
                        item.VotesFor, item.VotesAgainst, item.VotesAbstain, item.VoteValid, item.Passed, c.By, c.At);
                }
                if (kind == AgendaOutcomeKind.ResolvedAtMeeting && topic.AvailableActions.Contains(CaseAction.Resolve))
                {
                    topic.Resolve(Outcome.Solved, item.OutcomeText!, c.By, c.At);
                }
            }, ct);
    }

    public static async Task<Ok<MeetingDetail>> Endpoint(long id, int seq, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, seq, request, ct));
}
