using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Meetings;

/// <summary>The meetings a case was on (its agenda items), for the case page: those the caller sees, newest first.</summary>
public static class ListCaseMeetings
{
    public sealed record Row(long MeetingId, string Title, MeetingKind Kind, MeetingStatus Status, DateTime HeldAt, int Seq,
        AgendaOutcomeKind? OutcomeKind, string? Verdict);

    public sealed class Handler(TaizhangDb db, MeetingScope scope)
    {
        public async Task<IReadOnlyList<Row>> HandleAsync(long caseId, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            var rows = await access.Visible(db.Meetings.AsNoTracking(), db.Set<MeetingParticipant>().AsNoTracking())
                .SelectMany(m => m.Agenda.Where(a => a.CaseId == caseId), (m, a) => new
                {
                    m.Id, m.Title, m.Kind, m.Status, m.HeldAt, a.Seq, a.OutcomeKind, a.VoteValid, a.Passed,
                })
                .OrderByDescending(r => r.HeldAt).Take(50).ToListAsync(ct);
            return rows.Select(r => new Row(r.Id, r.Title, r.Kind, r.Status, r.HeldAt, r.Seq, r.OutcomeKind,
                r.OutcomeKind != AgendaOutcomeKind.Vote ? null : r.VoteValid != true ? "invalid" : r.Passed == true ? "passed" : "failed")).ToList();
        }
    }
}
