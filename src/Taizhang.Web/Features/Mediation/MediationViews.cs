using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Mediation;

/// <summary>A party as the caller may see them: names to those who may reveal the case's personal data, phones and ID numbers only when revealed.</summary>
public sealed record PartyView(int Seq, PartyRole Role, string Name, string? Phone, string? IdType, string? IdNumber, string? Address, bool Masked);

public sealed record SessionView(int Seq, DateOnly HeldOn, string Mediators, IReadOnlyList<UnitRef> Units, string? PartiesPresent, string Record, string? Outcome);

public sealed record ExtensionView(int Seq, DateOnly PreviousDeadline, DateOnly NewDeadline, string Reason, bool PartiesConsented, DateOnly RecordedOn);

public sealed record FollowUpView(int Seq, DateOnly On, Performance Performance, int? DefaultingParty, string? Note);

public sealed record AgreementView(RecordForm Form, string? Facts, string? Disputes, string? Responsibilities, string Terms,
    string? PerformanceManner, string? PerformancePlace, DateOnly? PerformanceDeadline, DateOnly SignedOn);

public sealed record JudicialConfirmationView(DateOnly AppliedOn, string Court, string? Result);

/// <summary>人民调解卷宗 as the API and the pages show it.</summary>
public sealed record MediationView(
    long Id,
    long CaseId,
    string TrackingCode,
    string CaseTitle,
    CaseStatus CaseStatus,
    DisputeType DisputeType,
    MediationSource Source,
    string Summary,
    decimal? AmountInvolved,
    int PeopleInvolved,
    RiskGrade RiskGrade,
    string LeaderName,
    string? LeaderPost,
    string Mediators,
    DateOnly AcceptedOn,
    DateOnly Deadline,
    int? DaysLeft,
    bool Overdue,
    DateOnly? NoticeGivenOn,
    RecordForm? NoticeForm,
    IReadOnlyList<PartyView> Parties,
    IReadOnlyList<SessionView> Sessions,
    AgreementView? Agreement,
    IReadOnlyList<ExtensionView> Extensions,
    IReadOnlyList<FollowUpView> FollowUps,
    bool NeedsChasing,
    DateOnly? PerformanceCompletedOn,
    JudicialConfirmationView? JudicialConfirmation,
    DateOnly? JudicialConfirmationLastDay,
    MediationOutcome? Outcome,
    ReferralRoute? ReferredTo,
    string? OutcomeNote,
    DateOnly? OutcomeOn,
    DateOnly? ClosedOn,
    bool PartiesMasked);

/// <summary>Reads a case's mediation for the caller: in scope (or a participant of the case), with personal data masked unless revealed.</summary>
public sealed class MediationReader(TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentUser user)
{
    /// <summary>The case as far as the mediation needs it, or 404 when the caller may not read it.</summary>
    public async Task<(long Id, string TrackingCode, string Title, CaseStatus Status, long? CategoryId, long OrgUnitId, long? AssigneeUnitId)> CaseAsync(long caseId, CancellationToken ct)
    {
        var c = await db.Cases.AsNoTracking().Where(x => x.Id == caseId)
            .Select(x => new { x.Id, x.TrackingCode, x.Title, x.Status, x.CategoryId, x.OrgUnitId, x.AssigneeUnitId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("case");
        var access = await user.AccessAsync(ct);
        if (!await access.CanSeeAsync(c.Id, c.OrgUnitId, c.AssigneeUnitId, ct))
        {
            throw new NotFoundException("case");
        }
        return (c.Id, c.TrackingCode, c.Title, c.Status, c.CategoryId, c.OrgUnitId, c.AssigneeUnitId);
    }

    /// <summary>Whether the caller may see the parties unmasked (the case's RevealPersonalData, where the case is).</summary>
    public async Task<bool> MayRevealAsync(long orgUnitId, long? assigneeUnitId, CancellationToken ct) =>
        (await user.AccessAsync(ct)).Can(Permission.RevealPersonalData, orgUnitId, assigneeUnitId);

    /// <summary>The mediation, or null when the case has none. <paramref name="reveal"/>: phones and ID numbers too (the caller recorded the viewing).</summary>
    public async Task<MediationView?> ReadAsync(long caseId, CancellationToken ct, bool reveal = false)
    {
        var c = await CaseAsync(caseId, ct);
        var m = await db.Mediations.AsNoTracking()
            .Include(x => x.Parties).Include(x => x.Sessions).Include(x => x.Extensions).Include(x => x.FollowUps)
            .AsSplitQuery()
            .FirstOrDefaultAsync(x => x.CaseId == caseId, ct);
        if (m is null)
        {
            return null;
        }
        var mayReveal = await MayRevealAsync(c.OrgUnitId, c.AssigneeUnitId, ct);
        reveal = reveal && mayReveal;
        var showNames = mayReveal;
        var units = await org.GetAsync(ct);
        var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
        var daysLeft = m.DaysLeft(today);
        // The file's free text (the dispute's summary, what was said, the agreement's facts and terms) names the
        // parties as a rule and no check can find the names in it: it is shown only to those who see the names.
        string? Said(string? text) => showNames || text is null ? text : Hidden;
        return new MediationView(
            m.Id, c.Id, c.TrackingCode, c.Title, c.Status, m.DisputeType, m.Source, Said(m.Summary)!, m.AmountInvolved, m.PeopleInvolved, m.RiskGrade,
            m.LeaderName, m.LeaderPost, m.Mediators, m.AcceptedOn, m.Deadline, daysLeft, daysLeft < 0, m.NoticeGivenOn, m.NoticeForm,
            m.Parties.OrderBy(p => p.Seq).Select(p => new PartyView(p.Seq, p.Role,
                showNames ? p.Name : PersonalData.MaskName(p.Name),
                reveal ? p.Phone : PersonalData.MaskPhone(p.Phone),
                p.IdType,
                p.IdNumber is null ? null : reveal ? p.IdNumber : MaskId(p.IdNumber),
                showNames ? p.Address : p.Address is null ? null : "****",
                Masked: !reveal)).ToList(),
            m.Sessions.OrderBy(s => s.Seq).Select(s => new SessionView(s.Seq, s.HeldOn, s.Mediators,
                s.UnitIds.Select(u => units.Ref(u)).OfType<UnitRef>().ToList(),
                // Who was present is said in words, often by name: shown to those who see the names.
                showNames ? s.PartiesPresent : s.PartiesPresent is null ? null : "****",
                Said(s.Record)!, Said(s.Outcome))).ToList(),
            m.AgreementSignedOn is { } signed
                ? new AgreementView(m.AgreementForm!.Value, Said(m.AgreementFacts), Said(m.AgreementDisputes), Said(m.AgreementResponsibilities),
                    Said(m.AgreementTerms)!,
                    m.PerformanceManner, m.PerformancePlace, m.PerformanceDeadline, signed)
                : null,
            m.Extensions.OrderBy(e => e.Seq).Select(e => new ExtensionView(e.Seq, e.PreviousDeadline, e.NewDeadline, e.Reason, e.PartiesConsented, e.RecordedOn)).ToList(),
            m.FollowUps.OrderBy(f => f.Seq).Select(f => new FollowUpView(f.Seq, f.On, f.Performance, f.DefaultingPartySeq, Said(f.Note))).ToList(),
            m.NeedsChasing, m.PerformanceCompletedOn,
            m.JudicialAppliedOn is { } applied ? new JudicialConfirmationView(applied, m.JudicialCourt!, m.JudicialResult) : null,
            m.AgreementSignedOn?.AddDays(MediationFile.JudicialConfirmationDays),
            m.Outcome, m.ReferredTo, Said(m.OutcomeNote), m.OutcomeOn, m.ClosedOn, PartiesMasked: !reveal);
    }

    /// <summary>What a reader who does not see the parties' names reads in place of the file's free text.</summary>
    public const string Hidden = "****";

    /// <summary>620102199001011234 → 6201**********1234.</summary>
    public static string MaskId(string id) => id.Length <= 8 ? "****" : id[..4] + new string('*', id.Length - 8) + id[^4..];
}
