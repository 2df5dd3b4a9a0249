using System.Globalization;
using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Mediation;

/// <summary>纠纷类型.</summary>
public enum DisputeType
{
    /// <summary>婚姻家庭.</summary>
    MarriageFamily,
    /// <summary>邻里.</summary>
    Neighbour,
    /// <summary>土地/宅基地.</summary>
    Land,
    /// <summary>损害赔偿.</summary>
    Damages,
    /// <summary>劳务/合同.</summary>
    Labour,
    /// <summary>其他.</summary>
    Other,
}

/// <summary>纠纷来源: how the dispute came to the committee.</summary>
public enum MediationSource
{
    /// <summary>当事人申请.</summary>
    PartyApplication,
    /// <summary>主动调解.</summary>
    CommitteeInitiated,
    /// <summary>公安移交.</summary>
    PoliceTransfer,
    /// <summary>法院委托.</summary>
    CourtEntrustment,
    /// <summary>政府转交.</summary>
    GovernmentReferral,
}

/// <summary>风险等级 as practice grades it: red is the most serious.</summary>
public enum RiskGrade
{
    Yellow,
    Orange,
    Red,
}

public enum PartyRole
{
    /// <summary>申请人.</summary>
    Applicant,
    /// <summary>被申请人.</summary>
    Respondent,
    /// <summary>其他当事人 (a third party).</summary>
    Other,
}

/// <summary>How something was given or made: 书面 or 口头.</summary>
public enum RecordForm
{
    Written,
    Oral,
}

/// <summary>Whether the agreement was carried out, as a follow-up found it.</summary>
public enum Performance
{
    /// <summary>已全部履行.</summary>
    Full,
    /// <summary>部分履行.</summary>
    Partial,
    /// <summary>未履行: the party is chased.</summary>
    None,
}

/// <summary>调解结果.</summary>
public enum MediationOutcome
{
    /// <summary>调解成功.</summary>
    Settled,
    /// <summary>部分达成.</summary>
    PartlySettled,
    /// <summary>调解不成.</summary>
    NotSettled,
    /// <summary>引导通过其他途径解决 (court, arbitration, administrative route).</summary>
    Referred,
}

/// <summary>Where a referred dispute was sent.</summary>
public enum ReferralRoute
{
    /// <summary>诉讼.</summary>
    Court,
    /// <summary>仲裁.</summary>
    Arbitration,
    /// <summary>行政途径.</summary>
    Administrative,
}

/// <summary>A party as intake records it. Names, phones and ID numbers are personal data.</summary>
public sealed record PartyInput(PartyRole Role, string Name, string? Phone, string? IdType, string? IdNumber, string? Address);

/// <summary>The agreement's contents (调解协议书).</summary>
public sealed record AgreementInput(RecordForm Form, string? Facts, string? Disputes, string? Responsibilities, string Terms,
    string? PerformanceManner, string? PerformancePlace, DateOnly? PerformanceDeadline, DateOnly SignedOn);

/// <summary>
/// 人民调解卷宗: the people's mediation of one dispute case — intake register, the parties, the notice of
/// rights and duties, the sessions, the agreement (调解协议书, written or oral), the time limit and its
/// extensions, performance follow-ups, judicial confirmation and the outcome. Dates are local calendar
/// dates (Asia/Shanghai) as the paper record has them; <c>today</c> is the local date now. The web
/// layer records each step on the case as well (<c>Case.RecordMediation</c>, without names).
/// </summary>
public sealed class MediationFile
{
    public const int NameMaxLength = 50;
    public const int PhoneMaxLength = 20;
    public const int PostMaxLength = 100;
    public const int AddressMaxLength = 200;
    public const int IdMaxLength = 40;
    public const int TextMaxLength = 4000;
    public const int ShortTextMaxLength = 1000;

    /// <summary>A mediation normally closes within 30 days of acceptance.</summary>
    public const int TimeLimitDays = 30;

    /// <summary>Judicial confirmation is applied for within 30 days of the agreement taking effect.</summary>
    public const int JudicialConfirmationDays = 30;

    private readonly List<MediationParty> _parties = [];
    private readonly List<MediationSession> _sessions = [];
    private readonly List<MediationExtension> _extensions = [];
    private readonly List<MediationFollowUp> _followUps = [];

    private MediationFile()
    {
        Summary = Mediators = LeaderName = string.Empty;
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }
    public long CaseId { get; private set; }

    public DisputeType DisputeType { get; private set; }
    public MediationSource Source { get; private set; }
    public string Summary { get; private set; }

    /// <summary>涉及金额 (yuan).</summary>
    public decimal? AmountInvolved { get; private set; }

    /// <summary>涉及人数.</summary>
    public int PeopleInvolved { get; private set; }
    public RiskGrade RiskGrade { get; private set; }

    /// <summary>包案领导 and their post.</summary>
    public string LeaderName { get; private set; }
    public string? LeaderPost { get; private set; }

    /// <summary>调解员, as one line of names (、 between them).</summary>
    public string Mediators { get; private set; }
    public DateOnly AcceptedOn { get; private set; }

    /// <summary>调解期限: 30 days from acceptance, later only by an extension both parties consented to.</summary>
    public DateOnly Deadline { get; private set; }

    /// <summary>权利义务告知书: when it was given and how.</summary>
    public DateOnly? NoticeGivenOn { get; private set; }
    public RecordForm? NoticeForm { get; private set; }

    public RecordForm? AgreementForm { get; private set; }
    public string? AgreementFacts { get; private set; }
    public string? AgreementDisputes { get; private set; }
    public string? AgreementResponsibilities { get; private set; }
    public string? AgreementTerms { get; private set; }
    public string? PerformanceManner { get; private set; }
    public string? PerformancePlace { get; private set; }
    public DateOnly? PerformanceDeadline { get; private set; }
    public DateOnly? AgreementSignedOn { get; private set; }

    /// <summary>The first follow-up that found the agreement fully performed: a settled mediation closes on this date.</summary>
    public DateOnly? PerformanceCompletedOn { get; private set; }

    public DateOnly? JudicialAppliedOn { get; private set; }
    public string? JudicialCourt { get; private set; }
    public string? JudicialResult { get; private set; }

    public MediationOutcome? Outcome { get; private set; }
    public ReferralRoute? ReferredTo { get; private set; }
    public string? OutcomeNote { get; private set; }
    public DateOnly? OutcomeOn { get; private set; }

    /// <summary>结案日期: for a settled (or partly settled) mediation the day performance completed; otherwise the outcome's day.</summary>
    public DateOnly? ClosedOn { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Changes with every change: the concurrency token.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<MediationParty> Parties => _parties;
    public IReadOnlyList<MediationSession> Sessions => _sessions;
    public IReadOnlyList<MediationExtension> Extensions => _extensions;
    public IReadOnlyList<MediationFollowUp> FollowUps => _followUps;

    public bool HasAgreement => AgreementSignedOn is not null;

    /// <summary>Days left until the time limit (negative when past it); null once an outcome is recorded.</summary>
    public int? DaysLeft(DateOnly today) => Outcome is null ? Deadline.DayNumber - today.DayNumber : null;

    /// <summary>The latest follow-up found a party not (fully) performing: to chase (督促履行).</summary>
    public bool NeedsChasing => HasAgreement && PerformanceCompletedOn is null && _followUps.Count > 0 && _followUps[^1].Performance != Performance.Full;

    /// <summary>受理登记.</summary>
    public static MediationFile Accept(long townId, long caseId, DisputeType type, MediationSource source, string summary, decimal? amount,
        int peopleInvolved, RiskGrade risk, string leaderName, string? leaderPost, DateOnly acceptedOn, string mediators,
        IReadOnlyList<PartyInput> parties, DateOnly today, DateTime now)
    {
        Utc(now);
        RequireText(summary, TextMaxLength, "summary");
        RequireText(leaderName, NameMaxLength, "leaderName");
        OptionalText(leaderPost, PostMaxLength, "leaderPost");
        RequireText(mediators, PostMaxLength, "mediators");
        NotFuture(acceptedOn, today, "acceptedOn");
        if (amount < 0)
        {
            throw new DomainRuleException("mediation.amount-negative", "The amount involved cannot be negative.", field: "amount");
        }
        if (peopleInvolved < 0)
        {
            throw new DomainRuleException("mediation.people-negative", "The number of people involved cannot be negative.", field: "peopleInvolved");
        }
        var file = new MediationFile
        {
            TownId = townId,
            CaseId = caseId,
            DisputeType = type,
            Source = source,
            Summary = summary.Trim(),
            AmountInvolved = amount,
            PeopleInvolved = peopleInvolved,
            RiskGrade = risk,
            LeaderName = leaderName.Trim(),
            LeaderPost = Trimmed(leaderPost),
            Mediators = mediators.Trim(),
            AcceptedOn = acceptedOn,
            Deadline = acceptedOn.AddDays(TimeLimitDays),
            CreatedAt = now,
            UpdatedAt = now,
        };
        for (var i = 0; i < parties.Count; i++)
        {
            file.AddPartyCore(parties[i], $"parties[{i}]");
        }
        return file;
    }

    /// <summary>A party joins the record (a respondent named after intake, a third party).</summary>
    public MediationParty AddParty(PartyInput party, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        if (HasAgreement)
        {
            throw new DomainRuleException("mediation.parties-after-agreement", "The agreement names its parties: none can be added after it.", field: "name");
        }
        var p = AddPartyCore(party, null);
        Touch(now);
        return p;
    }

    private MediationParty AddPartyCore(PartyInput party, string? prefix)
    {
        string F(string f) => prefix is null ? f : prefix + "." + f;
        RequireText(party.Name, NameMaxLength, F("name"));
        OptionalText(party.Phone, PhoneMaxLength, F("phone"));
        OptionalText(party.IdType, NameMaxLength, F("idType"));
        OptionalText(party.IdNumber, IdMaxLength, F("idNumber"));
        OptionalText(party.Address, AddressMaxLength, F("address"));
        if (_parties.Count >= 20)
        {
            throw new DomainRuleException("mediation.too-many-parties", "At most 20 parties.", field: F("name"));
        }
        var p = new MediationParty(this, _parties.Count + 1, party.Role, party.Name.Trim(), Trimmed(party.Phone), Trimmed(party.IdType),
            Trimmed(party.IdNumber), Trimmed(party.Address));
        _parties.Add(p);
        return p;
    }

    /// <summary>告知当事人权利义务 (书面 or 口头).</summary>
    public void GiveNotice(DateOnly on, RecordForm form, DateOnly today, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        NotBeforeAcceptance(on, "givenOn");
        NotFuture(on, today, "givenOn");
        NoticeGivenOn = on;
        NoticeForm = form;
        Touch(now);
    }

    /// <summary>调解记录: one sitting with the parties.</summary>
    public MediationSession RecordSession(DateOnly on, string mediators, IReadOnlyCollection<long> unitIds, string? partiesPresent,
        string record, string? outcome, DateOnly today, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        if (on < AcceptedOn)
        {
            throw new DomainRuleException("mediation.session-before-acceptance", "A session cannot be held before the dispute was accepted.",
                new Dictionary<string, string> { ["acceptedOn"] = AcceptedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, field: "heldOn");
        }
        NotFuture(on, today, "heldOn");
        RequireText(mediators, PostMaxLength, "mediators");
        OptionalText(partiesPresent, ShortTextMaxLength, "partiesPresent");
        RequireText(record, TextMaxLength, "record");
        OptionalText(outcome, ShortTextMaxLength, "outcome");
        if (unitIds.Count > 20)
        {
            throw new DomainRuleException("mediation.too-many-units", "At most 20 participating units.", field: "units");
        }
        var s = new MediationSession(this, _sessions.Count + 1, on, mediators.Trim(), unitIds.Distinct().ToList(), Trimmed(partiesPresent),
            record.Trim(), Trimmed(outcome));
        _sessions.Add(s);
        Touch(now);
        return s;
    }

    /// <summary>调解协议: written (协议书) or oral (口头协议, recorded by the mediator). Needs the parties on both sides and a session.</summary>
    public void MakeAgreement(AgreementInput a, DateOnly today, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        if (HasAgreement)
        {
            throw new DomainRuleException("mediation.agreement-exists", "The agreement is already recorded.", field: "terms");
        }
        if (!_parties.Any(p => p.Role == PartyRole.Applicant) || !_parties.Any(p => p.Role == PartyRole.Respondent))
        {
            throw new DomainRuleException("mediation.parties-missing", "An agreement needs at least one applicant and one respondent.", field: "parties");
        }
        if (_sessions.Count == 0)
        {
            throw new DomainRuleException("mediation.no-session", "An agreement is reached in a mediation session: record one first.", field: "signedOn");
        }
        var firstSession = _sessions.Min(s => s.HeldOn);
        if (a.SignedOn < firstSession)
        {
            throw new DomainRuleException("mediation.agreement-before-session", "The agreement cannot be dated before the first session.",
                new Dictionary<string, string> { ["date"] = firstSession.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, field: "signedOn");
        }
        NotFuture(a.SignedOn, today, "signedOn");
        RequireText(a.Terms, TextMaxLength, "terms");
        if (a.Form == RecordForm.Written)
        {
            // The written agreement states the facts and the points in dispute (人民调解法 第二十九条).
            RequireText(a.Facts, TextMaxLength, "facts");
            RequireText(a.Disputes, TextMaxLength, "disputes");
        }
        OptionalText(a.Facts, TextMaxLength, "facts");
        OptionalText(a.Disputes, TextMaxLength, "disputes");
        OptionalText(a.Responsibilities, TextMaxLength, "responsibilities");
        OptionalText(a.PerformanceManner, ShortTextMaxLength, "performanceManner");
        OptionalText(a.PerformancePlace, AddressMaxLength, "performancePlace");
        if (a.PerformanceDeadline < a.SignedOn)
        {
            throw new DomainRuleException("mediation.performance-deadline-before-agreement", "Performance cannot be due before the agreement.", field: "performanceDeadline");
        }
        AgreementForm = a.Form;
        AgreementFacts = Trimmed(a.Facts);
        AgreementDisputes = Trimmed(a.Disputes);
        AgreementResponsibilities = Trimmed(a.Responsibilities);
        AgreementTerms = a.Terms.Trim();
        PerformanceManner = Trimmed(a.PerformanceManner);
        PerformancePlace = Trimmed(a.PerformancePlace);
        PerformanceDeadline = a.PerformanceDeadline;
        AgreementSignedOn = a.SignedOn;
        Touch(now);
    }

    /// <summary>延长调解期限: only with both parties' consent (recorded), and only before the limit has passed.</summary>
    public MediationExtension Extend(DateOnly newDeadline, string reason, bool partiesConsent, DateOnly today, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        if (!partiesConsent)
        {
            throw new DomainRuleException("mediation.extension-needs-consent", "The time limit is extended only with both parties' consent.", field: "partiesConsent");
        }
        if (today > Deadline)
        {
            throw new DomainRuleException("mediation.extension-after-limit", "The time limit has passed: it can no longer be extended.",
                new Dictionary<string, string> { ["deadline"] = Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, field: "newDeadline");
        }
        if (newDeadline <= Deadline)
        {
            throw new DomainRuleException("mediation.extension-not-later", "The new time limit must be later than the current one.",
                new Dictionary<string, string> { ["deadline"] = Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, field: "newDeadline");
        }
        RequireText(reason, ShortTextMaxLength, "reason");
        var e = new MediationExtension(this, _extensions.Count + 1, Deadline, newDeadline, reason.Trim(), today);
        _extensions.Add(e);
        Deadline = newDeadline;
        Touch(now);
        return e;
    }

    /// <summary>
    /// 履行回访: whether the agreement was performed. The first full performance is the closing date
    /// of a settled mediation; a party not performing is flagged to chase.
    /// </summary>
    public MediationFollowUp RecordPerformance(DateOnly on, Performance performance, int? partySeq, string? note, DateOnly today, DateTime now)
    {
        Utc(now);
        RequireAgreement("performance");
        if (Outcome is MediationOutcome.NotSettled or MediationOutcome.Referred)
        {
            throw new DomainRuleException("mediation.closed", "The mediation is closed.", field: "performance");
        }
        if (on < AgreementSignedOn!.Value)
        {
            throw new DomainRuleException("mediation.performance-before-agreement", "A follow-up cannot be dated before the agreement.", field: "on");
        }
        NotFuture(on, today, "on");
        OptionalText(note, ShortTextMaxLength, "note");
        if (partySeq is { } seq && _parties.All(p => p.Seq != seq))
        {
            throw new DomainRuleException("mediation.unknown-party", $"No party {seq}.", field: "party");
        }
        if (performance == Performance.Full && partySeq is not null)
        {
            throw new DomainRuleException("mediation.party-performed", "Name a party only when they have not performed.", field: "party");
        }
        var f = new MediationFollowUp(this, _followUps.Count + 1, on, performance, partySeq, Trimmed(note));
        _followUps.Add(f);
        if (performance == Performance.Full && PerformanceCompletedOn is null)
        {
            PerformanceCompletedOn = on;
            if (Outcome is MediationOutcome.Settled or MediationOutcome.PartlySettled)
            {
                ClosedOn = on;
            }
        }
        Touch(now);
        return f;
    }

    /// <summary>申请司法确认: within 30 days of the (written) agreement.</summary>
    public void ApplyJudicialConfirmation(DateOnly appliedOn, string court, string? result, DateOnly today, DateTime now)
    {
        Utc(now);
        RequireAgreement("judicialConfirmation");
        if (AgreementForm != RecordForm.Written)
        {
            throw new DomainRuleException("mediation.judicial-needs-written", "Judicial confirmation is applied for on a written agreement.", field: "appliedOn");
        }
        if (appliedOn < AgreementSignedOn!.Value)
        {
            throw new DomainRuleException("mediation.judicial-before-agreement", "Judicial confirmation cannot be applied for before the agreement.", field: "appliedOn");
        }
        if (appliedOn.DayNumber - AgreementSignedOn.Value.DayNumber > JudicialConfirmationDays)
        {
            throw new DomainRuleException("mediation.judicial-too-late", "Judicial confirmation is applied for within 30 days of the agreement.",
                new Dictionary<string, string>
                {
                    ["signedOn"] = AgreementSignedOn.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["lastDay"] = AgreementSignedOn.Value.AddDays(JudicialConfirmationDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, field: "appliedOn");
        }
        NotFuture(appliedOn, today, "appliedOn");
        RequireText(court, PostMaxLength, "court");
        OptionalText(result, ShortTextMaxLength, "result");
        JudicialAppliedOn = appliedOn;
        JudicialCourt = court.Trim();
        JudicialResult = Trimmed(result);
        Touch(now);
    }

    /// <summary>
    /// 调解结果. Settled and partly settled need an agreement and close on the day performance
    /// completed (at once if it already has, otherwise with the follow-up that finds it so); not settled
    /// and referred close on <paramref name="on"/>. A referral names its route.
    /// </summary>
    public void RecordOutcome(MediationOutcome outcome, ReferralRoute? referredTo, string? note, DateOnly on, DateOnly today, DateTime now)
    {
        Utc(now);
        EnsureOpen();
        NotBeforeAcceptance(on, "on");
        NotFuture(on, today, "on");
        OptionalText(note, ShortTextMaxLength, "note");
        if (outcome is MediationOutcome.Settled or MediationOutcome.PartlySettled && !HasAgreement)
        {
            throw new DomainRuleException("mediation.settled-needs-agreement", "A settled mediation has an agreement: record it first.", field: "outcome");
        }
        if (outcome == MediationOutcome.Referred && referredTo is null)
        {
            throw new DomainRuleException("mediation.referral-route", "Say where the dispute was referred: court, arbitration or an administrative route.", field: "referredTo");
        }
        if (outcome != MediationOutcome.Referred && referredTo is not null)
        {
            throw new DomainRuleException("mediation.referral-without-referred", "Only a referred dispute names a route.", field: "referredTo");
        }
        Outcome = outcome;
        ReferredTo = referredTo;
        OutcomeNote = Trimmed(note);
        OutcomeOn = on;
        ClosedOn = outcome is MediationOutcome.Settled or MediationOutcome.PartlySettled ? PerformanceCompletedOn : on;
        Touch(now);
    }

    /// <summary>
    /// Whether the case may now be resolved from this mediation: settled (or partly) and performed, or
    /// not settled / referred. Refuses with the reason otherwise.
    /// </summary>
    public void EnsureCanResolveCase()
    {
        if (Outcome is null)
        {
            throw new DomainRuleException("mediation.resolve-without-outcome", "Record the mediation's outcome before resolving the case.", field: "resolveCase");
        }
        if (Outcome is MediationOutcome.Settled or MediationOutcome.PartlySettled && ClosedOn is null)
        {
            throw new DomainRuleException("mediation.resolve-before-performance", "A settled mediation resolves the case once performance is confirmed complete.", field: "resolveCase");
        }
    }

    private void RequireAgreement(string field)
    {
        if (!HasAgreement)
        {
            throw new DomainRuleException("mediation.no-agreement", "There is no agreement yet.", field: field);
        }
    }

    private void EnsureOpen()
    {
        if (Outcome is not null)
        {
            throw new DomainRuleException("mediation.closed", "The mediation has its outcome: only performance and judicial confirmation are recorded now.");
        }
    }

    private void NotBeforeAcceptance(DateOnly on, string field)
    {
        if (on < AcceptedOn)
        {
            throw new DomainRuleException("mediation.before-acceptance", "The date is before the dispute was accepted.",
                new Dictionary<string, string> { ["acceptedOn"] = AcceptedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, field: field);
        }
    }

    private static void NotFuture(DateOnly on, DateOnly today, string field)
    {
        if (on > today)
        {
            throw new DomainRuleException("mediation.date-in-future", "The date is in the future.", field: field);
        }
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>当事人. Name, phone, ID and address are personal data: masked unless revealed, never logged.</summary>
public sealed class MediationParty
{
    private MediationParty()
    {
        Name = string.Empty;
    }

    internal MediationParty(MediationFile file, int seq, PartyRole role, string name, string? phone, string? idType, string? idNumber, string? address)
    {
        TownId = file.TownId;
        Seq = seq;
        Role = role;
        Name = name;
        Phone = phone;
        IdType = idType;
        IdNumber = idNumber;
        Address = address;
    }

    public long Id { get; private set; }
    public long MediationId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public PartyRole Role { get; private set; }
    public string Name { get; private set; }
    public string? Phone { get; private set; }

    /// <summary>证件类型 (居民身份证 …) and number, optional.</summary>
    public string? IdType { get; private set; }
    public string? IdNumber { get; private set; }
    public string? Address { get; private set; }
}

/// <summary>调解记录: one session.</summary>
public sealed class MediationSession
{
    private MediationSession()
    {
        Mediators = Record = string.Empty;
        UnitIds = [];
    }

    internal MediationSession(MediationFile file, int seq, DateOnly heldOn, string mediators, List<long> unitIds, string? partiesPresent, string record, string? outcome)
    {
        TownId = file.TownId;
        Seq = seq;
        HeldOn = heldOn;
        Mediators = mediators;
        UnitIds = unitIds;
        PartiesPresent = partiesPresent;
        Record = record;
        Outcome = outcome;
    }

    public long Id { get; private set; }
    public long MediationId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public DateOnly HeldOn { get; private set; }
    public string Mediators { get; private set; }

    /// <summary>参与单位: the org units that took part (司法所, 派出所 …).</summary>
    public List<long> UnitIds { get; private set; }

    /// <summary>到场当事人, in words (may name them: personal data).</summary>
    public string? PartiesPresent { get; private set; }
    public string Record { get; private set; }
    public string? Outcome { get; private set; }
}

/// <summary>A recorded extension of the time limit, with both parties' consent.</summary>
public sealed class MediationExtension
{
    private MediationExtension()
    {
        Reason = string.Empty;
    }

    internal MediationExtension(MediationFile file, int seq, DateOnly previousDeadline, DateOnly newDeadline, string reason, DateOnly recordedOn)
    {
        TownId = file.TownId;
        Seq = seq;
        PreviousDeadline = previousDeadline;
        NewDeadline = newDeadline;
        Reason = reason;
        PartiesConsented = true;
        RecordedOn = recordedOn;
    }

    public long Id { get; private set; }
    public long MediationId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public DateOnly PreviousDeadline { get; private set; }
    public DateOnly NewDeadline { get; private set; }
    public string Reason { get; private set; }
    public bool PartiesConsented { get; private set; }
    public DateOnly RecordedOn { get; private set; }
}

/// <summary>履行回访: what a follow-up found.</summary>
public sealed class MediationFollowUp
{
    private MediationFollowUp()
    {
    }

    internal MediationFollowUp(MediationFile file, int seq, DateOnly on, Performance performance, int? partySeq, string? note)
    {
        TownId = file.TownId;
        Seq = seq;
        On = on;
        Performance = performance;
        DefaultingPartySeq = partySeq;
        Note = note;
    }

    public long Id { get; private set; }
    public long MediationId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public DateOnly On { get; private set; }
    public Performance Performance { get; private set; }

    /// <summary>The party who has not performed (to chase), when one is named.</summary>
    public int? DefaultingPartySeq { get; private set; }
    public string? Note { get; private set; }
}
