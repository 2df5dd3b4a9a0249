using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Disclosures;

/// <summary>What the public may know of the meeting that decided: its name and date, 应到/实到 and the vote's counts. No names.</summary>
public sealed record MeetingFacts(long Id, string Title, MeetingKind Kind, DateTime HeldAt, int Expected, int Present,
    AgendaOutcomeKind? Outcome, int? VotesFor, int? VotesAgainst, int? VotesAbstain, bool? Valid, bool? Passed);

/// <summary>A disclosure as staff see it.</summary>
public sealed record DisclosureView(
    long Id, string Kind, UnitRef Unit, long? CaseId, string? CaseTrackingCode, long? MeetingId, int? AgendaItemSeq,
    string Title, string Body, DateTime PublishedAt, DateOnly From, DateOnly Until, string PublishedBy,
    DateTime? WithdrawnAt, string? WithdrawReason, bool Open, int Objections, int OpenObjections, MeetingFacts? Meeting);

/// <summary>A disclosure as the public page shows it: the wording, the dates, the meeting's facts; nobody's name.</summary>
public sealed record PublicDisclosure(long Id, string Kind, string Title, string Body, DateTime PublishedAt, DateOnly From, DateOnly Until,
    bool Current, MeetingFacts? Meeting);

/// <summary>Reads disclosures into views (no entities leave here).</summary>
public sealed class DisclosureReader(TaizhangDb db, OrgDirectory org)
{
    private sealed record Row(Disclosure D, string? Code, int Objections, int OpenObjections);

    public async Task<DisclosureView> OneAsync(long id, DateOnly today, CancellationToken ct) =>
        (await ListAsync(db.Set<Disclosure>().Where(d => d.Id == id), today, ct)).SingleOrDefault() ?? throw new NotFoundException("disclosure");

    public async Task<IReadOnlyList<DisclosureView>> ListAsync(IQueryable<Disclosure> query, DateOnly today, CancellationToken ct)
    {
        var rows = await query.AsNoTracking()
            .Select(d => new Row(d,
                d.CaseId == null ? null : db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.TrackingCode).FirstOrDefault(),
                db.Set<DisclosureObjection>().Count(o => o.DisclosureId == d.Id),
                db.Set<DisclosureObjection>().Count(o => o.DisclosureId == d.Id && o.Status == ObjectionStatus.Recorded)))
            .ToListAsync(ct);
        var meetings = await MeetingsAsync(rows.Select(r => r.D), ct);
        var units = await org.GetAsync(ct);
        return rows.Select(r => new DisclosureView(
            r.D.Id, r.D.Kind.ToString(), units.Ref(r.D.OrgUnitId) ?? new UnitRef("?", "?"), r.D.CaseId, r.Code, r.D.MeetingId, r.D.AgendaItemSeq,
            r.D.Title, r.D.Body, r.D.PublishedAt, r.D.From, r.D.Until, r.D.PublishedBy, r.D.WithdrawnAt, r.D.WithdrawReason,
            r.D.IsOpen(today), r.Objections, r.OpenObjections, Facts(r.D, meetings))).ToList();
    }

    /// <summary>A unit's public notice board: the disclosures not withdrawn, current ones first, then the archive (newest first).</summary>
    public async Task<IReadOnlyList<PublicDisclosure>> PublicAsync(long unitId, DateOnly today, int max, CancellationToken ct)
    {
        var list = await db.Set<Disclosure>().AsNoTracking()
            .Where(d => d.OrgUnitId == unitId && d.WithdrawnAt == null && d.From <= today)
            .OrderByDescending(d => d.PublishedAt).ThenByDescending(d => d.Id)
            .Take(max)
            .ToListAsync(ct);
        var meetings = await MeetingsAsync(list, ct);
        return list
            .Select(d => new PublicDisclosure(d.Id, d.Kind.ToString(), d.Title, d.Body, d.PublishedAt, d.From, d.Until, d.IsOpen(today), Facts(d, meetings)))
            .OrderByDescending(p => p.Current)
            .ToList();
    }

    private sealed record MeetingRow(long Id, string Title, MeetingKind Kind, DateTime HeldAt, int Expected, int Present);

    private sealed record ItemRow(long MeetingId, int Seq, AgendaOutcomeKind? Outcome, int? For, int? Against, int? Abstain, bool? Valid, bool? Passed);

    private async Task<(Dictionary<long, MeetingRow> Meetings, Dictionary<(long, int), ItemRow> Items)> MeetingsAsync(IEnumerable<Disclosure> list, CancellationToken ct)
    {
        var ids = list.Where(d => d.MeetingId is not null).Select(d => d.MeetingId!.Value).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return ([], []);
        }
        var meetings = await db.Meetings.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new MeetingRow(m.Id, m.Title, m.Kind, m.HeldAt, m.Expected, m.Present)).ToDictionaryAsync(m => m.Id, ct);
        var items = await db.Meetings.AsNoTracking().Where(m => ids.Contains(m.Id)).SelectMany(m => m.Agenda)
            .Select(a => new ItemRow(a.MeetingId, a.Seq, a.OutcomeKind, a.VotesFor, a.VotesAgainst, a.VotesAbstain, a.VoteValid, a.Passed))
            .ToListAsync(ct);
        return (meetings, items.ToDictionary(i => (i.MeetingId, i.Seq)));
    }

    private static MeetingFacts? Facts(Disclosure d, (Dictionary<long, MeetingRow> Meetings, Dictionary<(long, int), ItemRow> Items) all)
    {
        if (d.MeetingId is not { } id || !all.Meetings.TryGetValue(id, out var m))
        {
            return null;
        }
        var item = d.AgendaItemSeq is { } seq && all.Items.TryGetValue((id, seq), out var i) ? i : null;
        // The meeting's name is the staff's text, not checked for numbers when it was typed: none reaches the public.
        return new MeetingFacts(m.Id, Disclosure.WithoutPhones(m.Title), m.Kind, m.HeldAt, m.Expected, m.Present, item?.Outcome,
            item?.For, item?.Against, item?.Abstain, item?.Valid, item?.Passed);
    }

    /// <summary>
    /// The notice board a unit's matters go on: a village's or community's, or the town's; a group (组)
    /// posts on its village's board.
    /// </summary>
    public static UnitInfo BoardOf(UnitInfo unit, OrgDirectory.Snapshot units)
    {
        var u = unit;
        while (u.Kind is not (OrgUnitKind.Village or OrgUnitKind.Community or OrgUnitKind.Town)
               && u.ParentId is { } parent && units.UnitsById.TryGetValue(parent, out var up))
        {
            u = up;
        }
        return u;
    }
}
