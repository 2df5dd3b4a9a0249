using System.Globalization;
using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Meetings;

public enum MeetingKind
{
    /// <summary>议事会: the village's (or town's) standing deliberation council.</summary>
    Deliberation,
    /// <summary>座谈会: a forum; opinions, no vote.</summary>
    Forum,
    /// <summary>集中办理会: the town works through topics still unhandled.</summary>
    ConcentratedHandling,
    /// <summary>调解会: a mediation meeting with the parties.</summary>
    Mediation,
    /// <summary>村民会议: every adult villager (or household) of the village.</summary>
    VillagersAssembly,
    /// <summary>村民代表会议.</summary>
    RepresentativesAssembly,
    /// <summary>以会代训: a meeting that is also training.</summary>
    TrainingByMeeting,
}

/// <summary>Planned → Held → MinutesConfirmed → Published; a planned meeting may be cancelled.</summary>
public enum MeetingStatus
{
    Planned,
    Held,
    /// <summary>The host and the attendees who sign confirmed the minutes; from now on only a recorded amendment changes them.</summary>
    MinutesConfirmed,
    Published,
    Cancelled,
}

/// <summary>Who sits at a meeting: the body's members vote; guests (partner units, town officials, residents) do not.</summary>
public enum ParticipantRole
{
    /// <summary>A member of the meeting's body (应到 counts them): may vote.</summary>
    Member,
    /// <summary>A partner unit's representative (司法所, 派出所 …); <see cref="MeetingParticipant.UnitId"/> names the unit.</summary>
    PartnerUnit,
    /// <summary>A town official attending, with their post (镇党委副书记 …).</summary>
    TownOfficial,
    /// <summary>A resident invited by name (a party, a petitioner).</summary>
    Resident,
}

/// <summary>Where an agenda item came from (the meeting record keeps it).</summary>
public enum AgendaSource
{
    /// <summary>群众提: raised by residents.</summary>
    Residents,
    /// <summary>成员提: suggested by a member of the body.</summary>
    Members,
    /// <summary>干部提: proposed by cadres (the party branch's or the committees' proposal).</summary>
    Cadres,
    /// <summary>上级交办: assigned from above.</summary>
    HigherLevel,
    /// <summary>会议点: pointed out at the meeting itself.</summary>
    RaisedAtMeeting,
}

/// <summary>What the meeting did with an agenda item.</summary>
public enum AgendaOutcomeKind
{
    /// <summary>村级意见: the village's opinion, in words.</summary>
    Opinion,
    /// <summary>表决: a vote, checked against the kind's quorum and majority rule.</summary>
    Vote,
    /// <summary>报镇上: reported to the town, which decides or plans.</summary>
    ReportedToTown,
    /// <summary>暂缓: deferred to a later meeting; the topic goes back to the ledger.</summary>
    Deferred,
    /// <summary>当场解决: settled at the meeting.</summary>
    ResolvedAtMeeting,
}

/// <summary>What was said about a meeting's body size (应到) and how quorum and majority are judged.</summary>
public sealed record VoteRule(string Code, string Quorum, string Majority);

/// <summary>A counted vote and what the rule of the meeting's kind made of it.</summary>
public sealed record VoteResult(int For, int Against, int Abstain, int Present, int Expected, bool Quorate, bool Passed)
{
    /// <summary>A decision is valid only when the meeting was quorate; a vote without quorum is recorded, not valid.</summary>
    public bool Valid => Quorate;
}

/// <summary>
/// The rules of the bodies that vote (村民委员会组织法 for the assemblies; the council's own rules
/// for 议事会, whose defaults are more than half present and more than half of those present).
/// Kinds without a rule do not vote.
/// </summary>
public static class MeetingRules
{
    public static VoteRule? RuleOf(MeetingKind kind) => kind switch
    {
        // More than half of the adult villagers, or two thirds of the households; more than half of those present.
        MeetingKind.VillagersAssembly => new("villagers-assembly", ">1/2 adults or >=2/3 households", ">1/2 present"),
        // Two thirds of the representatives; more than half of those present.
        MeetingKind.RepresentativesAssembly => new("representatives-assembly", ">=2/3 members", ">1/2 present"),
        MeetingKind.Deliberation => new("deliberation-council", ">1/2 members", ">1/2 present"),
        MeetingKind.Forum or MeetingKind.ConcentratedHandling or MeetingKind.Mediation or MeetingKind.TrainingByMeeting => null,
    };

    public static bool Votes(MeetingKind kind) => RuleOf(kind) is not null;

    /// <summary>
    /// Quorum: <paramref name="expected"/> is 应到 (members, or adult villagers for a villagers'
    /// assembly); a villagers' assembly is also quorate with two thirds of <paramref name="households"/>.
    /// </summary>
    public static bool IsQuorate(MeetingKind kind, int expected, int present, int? households = null, int? householdsPresent = null) => kind switch
    {
        MeetingKind.VillagersAssembly => (expected > 0 && present * 2 > expected)
            || (households is > 0 && householdsPresent is { } hp && hp * 3 >= households.Value * 2),
        MeetingKind.RepresentativesAssembly => expected > 0 && present * 3 >= expected * 2,
        MeetingKind.Deliberation => expected > 0 && present * 2 > expected,
        _ => false,
    };

    /// <summary>Counts a vote. Ballots beyond the members present are refused; the decision passes with more than half of those present.</summary>
    public static VoteResult Count(MeetingKind kind, int expected, int present, int votesFor, int against, int abstain,
        int? households = null, int? householdsPresent = null, string field = "vote")
    {
        if (!Votes(kind))
        {
            throw new DomainRuleException("meeting.no-vote", $"A {kind} meeting does not vote.",
                new Dictionary<string, string> { ["kind"] = kind.ToString() }, field: "vote");
        }
        if (votesFor < 0 || against < 0 || abstain < 0)
        {
            throw new DomainRuleException("meeting.vote-negative", "Votes cannot be negative.", field: "vote");
        }
        if (votesFor + against + abstain > present)
        {
            throw new DomainRuleException("meeting.vote-exceeds-present",
                $"{votesFor + against + abstain} ballots but only {present} members present.",
                new Dictionary<string, string>
                {
                    ["ballots"] = (votesFor + against + abstain).ToString(CultureInfo.InvariantCulture),
                    ["present"] = present.ToString(CultureInfo.InvariantCulture),
                }, field: field);
        }
        var quorate = IsQuorate(kind, expected, present, households, householdsPresent);
        return new VoteResult(votesFor, against, abstain, present, expected, quorate, quorate && votesFor * 2 > present);
    }
}

/// <summary>
/// A meeting (会议): the body that sits (its members are 应到), its guests, attendance (实到), the
/// agenda drawn from the topic ledger, each item's outcome, and the minutes, which go draft →
/// confirmed (the host and the attendees who sign, recorded) → published, and after confirmation
/// change only by a recorded amendment. Cases move on through their own events (the web layer calls
/// <c>Case.Deliberate</c> / <c>Case.RecordDeliberationOutcome</c> in the same save).
/// </summary>
public sealed class Meeting
{
    public const int TitleMaxLength = 200;
    public const int PlaceMaxLength = 200;
    public const int NameMaxLength = 50;
    public const int PostMaxLength = 100;
    public const int MinutesMaxLength = 20000;
    public const int TextMaxLength = 4000;
    public const int ReasonMaxLength = 1000;

    private readonly List<MeetingParticipant> _participants = [];
    private readonly List<AgendaItem> _agenda = [];
    private readonly List<MinutesAmendment> _amendments = [];

    private Meeting()
    {
        Title = string.Empty;
    }

    /// <summary>The demo's and old rows' constructor: a meeting already held, without its record.</summary>
    public Meeting(long townId, long orgUnitId, MeetingKind kind, string title, DateTime heldAt)
    {
        TownId = townId;
        OrgUnitId = orgUnitId;
        Kind = kind;
        Title = title;
        HeldAt = heldAt;
        Status = MeetingStatus.Held;
    }

    public static Meeting Plan(long townId, long orgUnitId, MeetingKind kind, string title, DateTime at, string? place,
        string? host, long? bodyId, int expected, int? households, string createdBy, DateTime now)
    {
        RequireText(title, TitleMaxLength, "title");
        OptionalText(place, PlaceMaxLength, "place");
        OptionalText(host, NameMaxLength, "host");
        Utc(at);
        Utc(now);
        if (expected < 0 || households < 0)
        {
            throw new DomainRuleException("meeting.expected-negative", "应到 cannot be negative.", field: "expected");
        }
        return new Meeting
        {
            TownId = townId,
            OrgUnitId = orgUnitId,
            Kind = kind,
            Title = title.Trim(),
            HeldAt = at,
            Place = Trimmed(place),
            Host = Trimmed(host),
            BodyId = bodyId,
            Expected = expected,
            Households = households,
            Status = MeetingStatus.Planned,
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Plans a meeting of <paramref name="body"/>: its active members are copied in as the members
    /// who sit (they vote), and 应到 is their number — or, for a villagers' assembly, the body's adult
    /// villagers, with its households.
    /// </summary>
    public static Meeting Plan(long townId, long orgUnitId, MeetingKind kind, string title, DateTime at, string? place,
        string? host, Body body, string createdBy, DateTime now)
    {
        if (body.TownId != townId)
        {
            throw new DomainRuleException("meeting.body-other-town", "The body belongs to another town.", field: "bodyId");
        }
        var meeting = Plan(townId, orgUnitId, kind, title, at, place, host, body.Id, body.ExpectedFor(kind),
            kind == MeetingKind.VillagersAssembly ? body.HouseholdCount : null, createdBy, now);
        foreach (var member in body.ActiveMembers)
        {
            meeting.AddParticipant(ParticipantRole.Member, member.Name, member.Post, null, member.UserId, now);
        }
        return meeting;
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }
    public long OrgUnitId { get; private set; }
    public MeetingKind Kind { get; private set; }
    public string Title { get; private set; }

    /// <summary>UTC: when the meeting is (or was) held.</summary>
    public DateTime HeldAt { get; private set; }
    public string? Place { get; private set; }

    /// <summary>主持人.</summary>
    public string? Host { get; private set; }

    /// <summary>The body that sits (a village's 议事会, its representatives); its members were copied in as participants when planned.</summary>
    public long? BodyId { get; private set; }
    public MeetingStatus Status { get; private set; }

    /// <summary>应到: the body's members, or a villagers' assembly's adult villagers.</summary>
    public int Expected { get; private set; }

    /// <summary>A villagers' assembly's households (two thirds of them present is also a quorum).</summary>
    public int? Households { get; private set; }

    /// <summary>实到: members present. For a large assembly entered as a number; otherwise the members marked present.</summary>
    public int Present { get; private set; }
    public int? HouseholdsPresent { get; private set; }

    public string? Minutes { get; private set; }
    public DateTime? MinutesConfirmedAt { get; private set; }
    public string? MinutesConfirmedBy { get; private set; }
    public DateTime? PublishedAt { get; private set; }
    public string? CancelReason { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTime? CreatedAt { get; private set; }
    public DateTime? UpdatedAt { get; private set; }

    /// <summary>Changes with every change: the concurrency token.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<MeetingParticipant> Participants => _participants;
    public IReadOnlyList<AgendaItem> Agenda => _agenda;
    public IReadOnlyList<MinutesAmendment> Amendments => _amendments;

    /// <summary>出席率: present ÷ expected, null when nothing is expected.</summary>
    public decimal? AttendanceRatio => Expected > 0 ? Math.Round((decimal)Present / Expected, 4) : null;

    public bool Quorate => MeetingRules.IsQuorate(Kind, Expected, Present, Households, HouseholdsPresent);

    public void Edit(string title, DateTime at, string? place, string? host, int expected, int? households, DateTime now)
    {
        EnsureStatus("edit", now, MeetingStatus.Planned);
        RequireText(title, TitleMaxLength, "title");
        OptionalText(place, PlaceMaxLength, "place");
        OptionalText(host, NameMaxLength, "host");
        Utc(at);
        if (expected < 0 || households < 0)
        {
            throw new DomainRuleException("meeting.expected-negative", "应到 cannot be negative.", field: "expected");
        }
        Title = title.Trim();
        HeldAt = at;
        Place = Trimmed(place);
        Host = Trimmed(host);
        Expected = expected;
        Households = households;
        Touch(now);
    }

    public MeetingParticipant AddParticipant(ParticipantRole role, string name, string? post, long? unitId, long? userId, DateTime now)
    {
        EnsureStatus("participants", now, MeetingStatus.Planned, MeetingStatus.Held);
        RequireText(name, NameMaxLength, "name");
        OptionalText(post, PostMaxLength, "post");
        if (role == ParticipantRole.PartnerUnit && unitId is null)
        {
            throw new DomainRuleException("meeting.partner-unit-required", "A partner unit's guest names the unit.", field: "unit");
        }
        var p = new MeetingParticipant(this, _participants.Count == 0 ? 1 : _participants.Max(x => x.Seq) + 1, role, name.Trim(), Trimmed(post), unitId, userId);
        _participants.Add(p);
        if (role == ParticipantRole.Member && Status == MeetingStatus.Planned && BodyId is null)
        {
            // Without a body, 应到 is the members listed.
            Expected = _participants.Count(x => x.Role == ParticipantRole.Member);
        }
        Touch(now);
        return p;
    }

    public void RemoveParticipant(int seq, DateTime now)
    {
        EnsureStatus("participants", now, MeetingStatus.Planned, MeetingStatus.Held);
        var p = _participants.FirstOrDefault(x => x.Seq == seq)
            ?? throw new DomainRuleException("meeting.unknown-participant", $"No participant {seq}.", field: "participant");
        _participants.Remove(p);
        if (p.Role == ParticipantRole.Member && Status == MeetingStatus.Planned && BodyId is null)
        {
            Expected = _participants.Count(x => x.Role == ParticipantRole.Member);
        }
        Touch(now);
    }

    /// <summary>Put an item on the agenda: a topic of the ledger (<paramref name="caseId"/>) or an item without a case.</summary>
    public AgendaItem AddAgendaItem(long? caseId, string title, AgendaSource source, DateTime now)
    {
        EnsureStatus("agenda", now, MeetingStatus.Planned, MeetingStatus.Held);
        RequireText(title, TitleMaxLength, "title");
        if (caseId is { } id && _agenda.Any(a => a.CaseId == id))
        {
            throw new DomainRuleException("meeting.agenda-duplicate", "The case is already on this agenda.", field: "caseId");
        }
        var item = new AgendaItem(this, _agenda.Count == 0 ? 1 : _agenda.Max(x => x.Seq) + 1, caseId, title.Trim(), source);
        _agenda.Add(item);
        Touch(now);
        return item;
    }

    public void RemoveAgendaItem(int seq, DateTime now)
    {
        EnsureStatus("agenda", now, MeetingStatus.Planned, MeetingStatus.Held);
        var item = Item(seq);
        if (item.OutcomeKind is not null)
        {
            throw new DomainRuleException("meeting.agenda-decided", "An item with an outcome stays on the agenda.", field: "item");
        }
        _agenda.Remove(item);
        Touch(now);
    }

    /// <summary>
    /// The meeting took place: attendance is recorded (members present by name, or a count for a
    /// large assembly). Records again while held (corrections before the minutes are confirmed).
    /// </summary>
    public void Hold(IReadOnlyCollection<int> presentSeqs, int? presentCount, int? householdsPresent, DateTime at, DateTime now)
    {
        EnsureStatus("hold", now, MeetingStatus.Planned, MeetingStatus.Held);
        Utc(at);
        if (at > now)
        {
            throw new DomainRuleException("meeting.held-in-future", "A meeting cannot be recorded as held before it takes place.", field: "heldAt");
        }
        var unknown = presentSeqs.Where(s => _participants.All(p => p.Seq != s)).ToArray();
        if (unknown.Length > 0)
        {
            throw new DomainRuleException("meeting.unknown-participant", $"No participant {unknown[0]}.", field: "present");
        }
        foreach (var p in _participants)
        {
            p.MarkPresent(presentSeqs.Contains(p.Seq));
        }
        var membersPresent = _participants.Count(p => p.Role == ParticipantRole.Member && p.Present);
        var present = presentCount ?? membersPresent;
        if (present < 0 || present < membersPresent)
        {
            throw new DomainRuleException("meeting.present-below-named", "实到 cannot be fewer than the members marked present.",
                new Dictionary<string, string> { ["named"] = membersPresent.ToString(CultureInfo.InvariantCulture) }, field: "presentCount");
        }
        if (Expected > 0 && present > Expected)
        {
            throw new DomainRuleException("meeting.present-exceeds-expected", $"实到 {present} is more than 应到 {Expected}.",
                new Dictionary<string, string>
                {
                    ["present"] = present.ToString(CultureInfo.InvariantCulture),
                    ["expected"] = Expected.ToString(CultureInfo.InvariantCulture),
                }, field: "presentCount");
        }
        if (householdsPresent is { } hp && (hp < 0 || (Households is { } h && hp > h)))
        {
            throw new DomainRuleException("meeting.households-present", "Households present must be between 0 and the households.", field: "householdsPresent");
        }
        // Attendance recorded again after a vote: the votes are counted again against it (more ballots
        // than the attendance is refused; the quorum and the majority follow the corrected attendance).
        var recounted = _agenda.Where(a => a.OutcomeKind == AgendaOutcomeKind.Vote && a.VotesFor is not null)
            .Select(a => (Item: a, Vote: MeetingRules.Count(Kind, Expected, present, a.VotesFor!.Value, a.VotesAgainst ?? 0, a.VotesAbstain ?? 0,
                Households, householdsPresent, field: presentCount is null ? "present" : "presentCount")))
            .ToList();
        foreach (var (item, vote) in recounted)
        {
            item.SetOutcome(AgendaOutcomeKind.Vote, item.OutcomeText, vote, item.DecidedAt ?? now);
        }
        Present = present;
        HouseholdsPresent = householdsPresent;
        HeldAt = at;
        Status = MeetingStatus.Held;
        Touch(now);
    }

    /// <summary>
    /// Records what the meeting did with an item. A vote is counted by the kind's rule (ballots beyond
    /// those present are refused; without quorum it is recorded as not valid). Recorded again while the
    /// minutes are a draft.
    /// </summary>
    public AgendaItem RecordOutcome(int seq, AgendaOutcomeKind kind, string? text, int? votesFor, int? against, int? abstain, DateTime now)
    {
        EnsureStatus("outcome", now, MeetingStatus.Held);
        var item = Item(seq);
        OptionalText(text, TextMaxLength, "text");
        VoteResult? vote = null;
        if (kind == AgendaOutcomeKind.Vote)
        {
            if (votesFor is null || against is null || abstain is null)
            {
                throw new DomainRuleException("meeting.vote-incomplete", "A vote needs the for, against and abstain counts.", field: "vote");
            }
            vote = MeetingRules.Count(Kind, Expected, Present, votesFor.Value, against.Value, abstain.Value, Households, HouseholdsPresent);
        }
        else if (votesFor is not null || against is not null || abstain is not null)
        {
            throw new DomainRuleException("meeting.vote-without-vote", "Ballots are given only with a vote.", field: "vote");
        }
        else if (kind is AgendaOutcomeKind.Opinion or AgendaOutcomeKind.ResolvedAtMeeting && string.IsNullOrWhiteSpace(text))
        {
            throw new DomainRuleException("field.required", "An opinion or a resolution is said in words.", field: "text");
        }
        item.SetOutcome(kind, Trimmed(text), vote, now);
        Touch(now);
        return item;
    }

    public void SaveMinutes(string? minutes, DateTime now)
    {
        if (Status is MeetingStatus.MinutesConfirmed or MeetingStatus.Published)
        {
            throw new DomainRuleException("meeting.minutes-confirmed", "Confirmed minutes change only by a recorded amendment.", field: "minutes");
        }
        EnsureStatus("minutes", now, MeetingStatus.Held);
        OptionalText(minutes, MinutesMaxLength, "minutes");
        Minutes = Trimmed(minutes);
        Touch(now);
    }

    /// <summary>
    /// The host confirms the minutes, with the attendees who sign (each recorded); every agenda item
    /// must have an outcome first.
    /// </summary>
    public void ConfirmMinutes(string confirmedBy, IReadOnlyCollection<int> signedSeqs, DateTime now)
    {
        EnsureStatus("confirm", now, MeetingStatus.Held);
        if (string.IsNullOrWhiteSpace(Minutes))
        {
            throw new DomainRuleException("meeting.minutes-empty", "There are no minutes to confirm.", field: "minutes");
        }
        var open = _agenda.FirstOrDefault(a => a.OutcomeKind is null);
        if (open is not null)
        {
            throw new DomainRuleException("meeting.agenda-open", $"Agenda item {open.Seq} has no outcome yet.",
                new Dictionary<string, string> { ["item"] = open.Seq.ToString(CultureInfo.InvariantCulture) }, field: "agenda");
        }
        foreach (var seq in signedSeqs)
        {
            var p = _participants.FirstOrDefault(x => x.Seq == seq)
                ?? throw new DomainRuleException("meeting.unknown-participant", $"No participant {seq}.", field: "signed");
            if (!p.Present)
            {
                throw new DomainRuleException("meeting.signer-absent", $"{p.Name} was not present and cannot sign.",
                    new Dictionary<string, string> { ["name"] = p.Name }, field: "signed");
            }
        }
        foreach (var p in _participants.Where(p => signedSeqs.Contains(p.Seq)))
        {
            p.Sign(now);
        }
        Status = MeetingStatus.MinutesConfirmed;
        MinutesConfirmedAt = now;
        MinutesConfirmedBy = confirmedBy;
        Touch(now);
    }

    /// <summary>After confirmation the minutes change only this way: the reason, who, when and the text before are kept.</summary>
    public MinutesAmendment AmendMinutes(string minutes, string reason, string by, DateTime now)
    {
        EnsureStatus("amend", now, MeetingStatus.MinutesConfirmed, MeetingStatus.Published);
        RequireText(minutes, MinutesMaxLength, "minutes");
        RequireText(reason, ReasonMaxLength, "reason");
        var a = new MinutesAmendment(this, _amendments.Count + 1, Minutes, minutes.Trim(), reason.Trim(), by, now);
        _amendments.Add(a);
        Minutes = minutes.Trim();
        Touch(now);
        return a;
    }

    public void Publish(DateTime now)
    {
        EnsureStatus("publish", now, MeetingStatus.MinutesConfirmed);
        Status = MeetingStatus.Published;
        PublishedAt = now;
        Touch(now);
    }

    public void Cancel(string reason, DateTime now)
    {
        EnsureStatus("cancel", now, MeetingStatus.Planned);
        RequireText(reason, ReasonMaxLength, "reason");
        CancelReason = reason.Trim();
        Status = MeetingStatus.Cancelled;
        Touch(now);
    }

    public AgendaItem Item(int seq) => _agenda.FirstOrDefault(a => a.Seq == seq)
        ?? throw new DomainRuleException("meeting.unknown-item", $"No agenda item {seq}.", field: "item");

    private void EnsureStatus(string action, DateTime now, params MeetingStatus[] allowed)
    {
        Utc(now);
        if (!allowed.Contains(Status))
        {
            throw new DomainRuleException("meeting.illegal-transition", $"Cannot {action} a meeting that is {Status}.",
                new Dictionary<string, string> { ["state"] = "Meeting" + Status, ["action"] = action });
        }
    }

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>A member of the body, or a guest, at one meeting; present and signed are recorded.</summary>
public sealed class MeetingParticipant
{
    private MeetingParticipant()
    {
        Name = string.Empty;
    }

    internal MeetingParticipant(Meeting meeting, int seq, ParticipantRole role, string name, string? post, long? unitId, long? userId)
    {
        TownId = meeting.TownId;
        Seq = seq;
        Role = role;
        Name = name;
        Post = post;
        UnitId = unitId;
        UserId = userId;
    }

    public long Id { get; private set; }
    public long MeetingId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public ParticipantRole Role { get; private set; }
    public string Name { get; private set; }

    /// <summary>职务: a guest's post, a member's role in the body.</summary>
    public string? Post { get; private set; }

    /// <summary>The partner unit a guest comes from.</summary>
    public long? UnitId { get; private set; }

    /// <summary>The account of a member or guest who has one: they see the meeting.</summary>
    public long? UserId { get; private set; }
    public bool Present { get; private set; }

    /// <summary>When they signed the minutes (签名确认), if they did.</summary>
    public DateTime? SignedAt { get; private set; }

    public bool Votes => Role == ParticipantRole.Member;

    internal void MarkPresent(bool present) => Present = present;

    internal void Sign(DateTime at) => SignedAt = at;
}

/// <summary>An item on a meeting's agenda and what the meeting did with it.</summary>
public sealed class AgendaItem
{
    private AgendaItem()
    {
        Title = string.Empty;
    }

    internal AgendaItem(Meeting meeting, int seq, long? caseId, string title, AgendaSource source)
    {
        TownId = meeting.TownId;
        Seq = seq;
        CaseId = caseId;
        Title = title;
        Source = source;
    }

    public long Id { get; private set; }
    public long MeetingId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }

    /// <summary>The topic of the ledger this item is (null for an item without a case).</summary>
    public long? CaseId { get; private set; }
    public string Title { get; private set; }
    public AgendaSource Source { get; private set; }
    public AgendaOutcomeKind? OutcomeKind { get; private set; }

    /// <summary>The opinion, decision or resolution in words.</summary>
    public string? OutcomeText { get; private set; }
    public int? VotesFor { get; private set; }
    public int? VotesAgainst { get; private set; }
    public int? VotesAbstain { get; private set; }

    /// <summary>For a vote: the meeting was quorate (a decision without quorum is recorded as not valid).</summary>
    public bool? VoteValid { get; private set; }

    /// <summary>For a vote: valid and more than half of those present for.</summary>
    public bool? Passed { get; private set; }
    public DateTime? DecidedAt { get; private set; }

    internal void SetOutcome(AgendaOutcomeKind kind, string? text, VoteResult? vote, DateTime at)
    {
        OutcomeKind = kind;
        OutcomeText = text;
        VotesFor = vote?.For;
        VotesAgainst = vote?.Against;
        VotesAbstain = vote?.Abstain;
        VoteValid = vote?.Valid;
        Passed = vote?.Passed;
        DecidedAt = at;
    }
}

/// <summary>A recorded change to confirmed minutes: what they said before, what they say now, why, who and when.</summary>
public sealed class MinutesAmendment
{
    private MinutesAmendment()
    {
        After = Reason = By = string.Empty;
    }

    internal MinutesAmendment(Meeting meeting, int seq, string? before, string after, string reason, string by, DateTime at)
    {
        TownId = meeting.TownId;
        Seq = seq;
        Before = before;
        After = after;
        Reason = reason;
        By = by;
        At = at;
    }

    public long Id { get; private set; }
    public long MeetingId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public string? Before { get; private set; }
    public string After { get; private set; }
    public string Reason { get; private set; }
    public string By { get; private set; }
    public DateTime At { get; private set; }
}
