using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// What a unit was told about a case: the 督办's note (its level and deadline are on the case row) or the
/// last 催办 / 通报's note. <paramref name="Automatic"/>: sent by the deadline watch, without a note.
/// </summary>
public sealed record DeadlineInstruction(CaseAction Action, DateTime At, string? Note, bool Automatic);

/// <summary>
/// The instructions behind the board's and the task list's 督办 and 被催办 rows: the note is only in the
/// case's events (the supervision's level and deadline, and the reminder counts, are on the row), so the few
/// listed cases' latest Supervise, Remind and Notify events are read in one query.
/// </summary>
public sealed class DeadlineInstructions(TaizhangDb db, Accounts.CurrentUser user)
{
    private static readonly CaseAction[] Actions = [CaseAction.Supervise, CaseAction.Remind, CaseAction.Notify];

    /// <summary>The listed cases with their latest supervision note and latest reminder or notice (cases already read in scope).</summary>
    public async Task<IReadOnlyList<CaseSummary>> WithInstructionsAsync(IReadOnlyList<CaseSummary> cases, CancellationToken ct)
    {
        var ids = cases.Where(c => c.Supervision is not null || c.Reminders + c.Notices > 0).Select(c => c.Id).ToList();
        if (ids.Count == 0)
        {
            return cases;
        }
        var events = await db.CaseEvents.AsNoTracking()
            .Where(e => ids.Contains(e.CaseId) && Actions.Contains(e.Action))
            .Select(e => new { e.CaseId, e.Sequence, e.Action, e.At, e.Reason, e.Payload })
            .ToListAsync(ct);
        // Notes are free text: phone numbers typed into them masked, and the codes of cases the reader may not see hidden, as
        // the timeline shows them (on the pages and in the API alike).
        var refs = await CaseReferences.ForTextsAsync(db, await user.AccessAsync(ct), events.Select(e => e.Reason), ct);
        var latest = events.GroupBy(e => e.CaseId).ToDictionary(g => g.Key, g =>
        (
            Supervision: g.Where(e => e.Action == CaseAction.Supervise).MaxBy(e => e.Sequence),
            Reminder: g.Where(e => e.Action != CaseAction.Supervise).MaxBy(e => e.Sequence)
        ));
        return cases.Select(c => latest.TryGetValue(c.Id, out var l)
            ? c with
            {
                SupervisionNote = c.Supervision is not null && l.Supervision is { } s ? new DeadlineInstruction(s.Action, s.At, refs.MaskText(s.Reason), false) : null,
                LastReminder = l.Reminder is { } r ? new DeadlineInstruction(r.Action, r.At, refs.MaskText(r.Reason), IsAutomatic(r.Payload)) : null,
            }
            : c).ToList();
    }

    private static bool IsAutomatic(string? payload)
    {
        if (payload is null)
        {
            return false;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.TryGetProperty("automatic", out var a) && a.ValueKind == JsonValueKind.True;
    }
}
