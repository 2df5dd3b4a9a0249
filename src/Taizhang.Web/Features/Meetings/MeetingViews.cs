using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

public sealed record MeetingSummary(long Id, string Title, MeetingKind Kind, MeetingStatus Status, UnitRef? Unit, DateTime HeldAt,
    string? Place, string? Host, int Expected, int Present, decimal? Ratio, int AgendaItems);

public sealed record ParticipantView(int Seq, ParticipantRole Role, string Name, string? Post, UnitRef? Unit, long? UserId, bool Present,
    DateTime? SignedAt, bool Votes);

/// <param name="Verdict">For a vote: passed, failed, or invalid (without quorum).</param>
public sealed record AgendaItemView(int Seq, long? CaseId, string? TrackingCode, CaseStatus? CaseStatus, string Title, AgendaSource Source,
    AgendaOutcomeKind? OutcomeKind, string? OutcomeText, int? VotesFor, int? VotesAgainst, int? VotesAbstain, bool? VoteValid, bool? Passed,
    string? Verdict, string? VerdictText, DateTime? DecidedAt);

/// <param name="Text">The rule in words (quorum and majority), in the caller's language.</param>
public sealed record RuleView(string Code, string Quorum, string Majority, string Text);

public sealed record AmendmentView(int Seq, string? Before, string After, string Reason, string By, DateTime At);

public sealed record MeetingAttachmentView(long Id, string FileName, string ContentType, long Size, string Url, string? ThumbnailUrl,
    string AddedBy, DateTime AddedAt);

/// <param name="CanRun">Whether the caller runs this meeting (may change it).</param>
public sealed record MeetingDetail(long Id, string Title, MeetingKind Kind, MeetingStatus Status, UnitRef? Unit, UnitRef? Town, DateTime HeldAt,
    string? Place, string? Host, long? BodyId, string? BodyName, int Expected, int? Households, int Present, int? HouseholdsPresent,
    decimal? Ratio, bool Quorate, bool Votes, RuleView? Rule, string? Minutes, DateTime? MinutesConfirmedAt, string? MinutesConfirmedBy,
    DateTime? PublishedAt, string? CancelReason, string? CreatedBy, DateTime? CreatedAt, int Version,
    IReadOnlyList<ParticipantView> Participants, IReadOnlyList<AgendaItemView> Agenda, IReadOnlyList<AmendmentView> Amendments,
    IReadOnlyList<MeetingAttachmentView> Attachments, bool CanRun);

/// <summary>A disclosure made from an agenda item: its notice board (the unit's code) and period.</summary>
public sealed record ItemDisclosure(long Id, string? UnitCode, DateOnly From, DateOnly Until);

/// <summary>Reads a meeting as the caller may see it (404 otherwise).</summary>
public sealed class MeetingReader(TaizhangDb db, OrgDirectory org, MeetingScope scope, Texts texts)
{
    public Task<Meeting?> LoadAsync(long id, bool tracked, CancellationToken ct)
    {
        var q = db.Meetings.Include(m => m.Participants).Include(m => m.Agenda).Include(m => m.Amendments).AsSplitQuery();
        return (tracked ? q : q.AsNoTracking()).FirstOrDefaultAsync(m => m.Id == id, ct);
    }

    /// <summary>
    /// The disclosures (not withdrawn) made from this meeting's agenda items, by item: the meeting page
    /// shows "公示中/已公示" with the notice board's link instead of offering to disclose the item again.
    /// Call after <see cref="DetailAsync"/> (which checks the caller may see the meeting).
    /// </summary>
    public async Task<IReadOnlyDictionary<int, ItemDisclosure>> DisclosuresAsync(long id, CancellationToken ct)
    {
        var rows = await db.Set<Taizhang.Domain.Disclosures.Disclosure>().AsNoTracking()
            .Where(d => d.MeetingId == id && d.AgendaItemSeq != null && d.WithdrawnAt == null)
            .OrderBy(d => d.Id)
            .Select(d => new { Seq = d.AgendaItemSeq!.Value, d.Id, d.OrgUnitId, d.From, d.Until })
            .ToListAsync(ct);
        var units = await org.GetAsync(ct);
        var result = new Dictionary<int, ItemDisclosure>();
        foreach (var r in rows)
        {
            result[r.Seq] = new ItemDisclosure(r.Id, units.Ref(r.OrgUnitId)?.Code, r.From, r.Until);
        }
        return result;
    }

    public async Task<MeetingDetail> DetailAsync(long id, CancellationToken ct)
    {
        var m = await LoadAsync(id, tracked: false, ct) ?? throw new NotFoundException("meeting");
        var access = await scope.GetAsync(ct);
        if (!access.CanSee(m))
        {
            throw new NotFoundException("meeting");
        }
        var units = await org.GetAsync(ct);
        var caseIds = m.Agenda.Where(a => a.CaseId is not null).Select(a => a.CaseId!.Value).ToArray();
        // Only the cases the reader may read give their id, code and state (an invited partner unit or a listed
        // member reads the agenda's titles, not the tracking codes of cases outside their reach).
        var cases = caseIds.Length == 0 ? [] : await access.Cases.Visible(db.Cases.AsNoTracking()).Where(c => caseIds.Contains(c.Id))
            .Select(c => new { c.Id, c.TrackingCode, c.Status }).ToDictionaryAsync(c => c.Id, ct);
        var bodyName = m.BodyId is { } bodyId
            ? await db.Set<Body>().AsNoTracking().Where(b => b.Id == bodyId).Select(b => b.Name).FirstOrDefaultAsync(ct)
            : null;
        var attachments = await db.Set<MeetingAttachment>().AsNoTracking().Where(a => a.MeetingId == id).OrderBy(a => a.Id).ToListAsync(ct);
        return new MeetingDetail(m.Id, m.Title, m.Kind, m.Status, units.Ref(m.OrgUnitId), units.Ref(m.TownId), m.HeldAt, m.Place, m.Host,
            m.BodyId, bodyName, m.Expected, m.Households, m.Present, m.HouseholdsPresent, m.AttendanceRatio, m.Quorate,
            MeetingRules.Votes(m.Kind), Rule(m.Kind), m.Minutes, m.MinutesConfirmedAt, m.MinutesConfirmedBy, m.PublishedAt, m.CancelReason,
            m.CreatedBy, m.CreatedAt, m.Version,
            m.Participants.OrderBy(p => p.Seq).Select(p => new ParticipantView(p.Seq, p.Role, p.Name, p.Post, units.Ref(p.UnitId), p.UserId,
                p.Present, p.SignedAt, p.Votes)).ToList(),
            m.Agenda.OrderBy(a => a.Seq).Select(a =>
            {
                var c = a.CaseId is { } cid && cases.TryGetValue(cid, out var found) ? found : null;
                var verdict = Verdict(a);
                return new AgendaItemView(a.Seq, c is null ? null : a.CaseId, c?.TrackingCode, c?.Status, a.Title, a.Source, a.OutcomeKind, a.OutcomeText,
                    a.VotesFor, a.VotesAgainst, a.VotesAbstain, a.VoteValid, a.Passed, verdict,
                    verdict is null ? null : texts["meetings.verdict." + verdict], a.DecidedAt);
            }).ToList(),
            m.Amendments.OrderBy(a => a.Seq).Select(a => new AmendmentView(a.Seq, a.Before, a.After, a.Reason, a.By, a.At)).ToList(),
            attachments.Select(a => Attachment(a)).ToList(),
            access.CanRun(m.OrgUnitId));
    }

    public Task<long> TownIdAsync(long id, CancellationToken ct) =>
        db.Meetings.AsNoTracking().Where(m => m.Id == id).Select(m => m.TownId).FirstAsync(ct);

    public RuleView? Rule(MeetingKind kind) => MeetingRules.RuleOf(kind) is { } r
        ? new RuleView(r.Code, r.Quorum, r.Majority, texts["meetings.rule." + r.Code])
        : null;

    public static string? Verdict(AgendaItem a) => a.OutcomeKind != AgendaOutcomeKind.Vote ? null
        : a.VoteValid != true ? "invalid"
        : a.Passed == true ? "passed" : "failed";

    public static MeetingAttachmentView Attachment(MeetingAttachment a)
    {
        var url = $"/api/v1/meetings/{a.MeetingId}/attachments/{a.Id}";
        return new MeetingAttachmentView(a.Id, a.FileName, a.ContentType, a.Size, url, a.ThumbnailSha256 is null ? null : url + "?thumbnail=true",
            a.AddedByName, a.AddedAt);
    }
}
