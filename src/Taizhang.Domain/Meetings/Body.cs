using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Meetings;

/// <summary>The kinds of body that sit at a village's or town's meetings.</summary>
public enum BodyKind
{
    /// <summary>议事会: the standing deliberation council.</summary>
    DeliberationCouncil,
    /// <summary>村民代表会议.</summary>
    RepresentativesAssembly,
    /// <summary>村民会议: every adult villager (<see cref="Body.AdultCount"/>) or household.</summary>
    VillagersAssembly,
    /// <summary>两委: the party branch and the villagers' committee.</summary>
    TwoCommittees,
    /// <summary>党员大会.</summary>
    PartyMembers,
}

/// <summary>
/// A body that meets (a village's 议事会, its representatives …) with its membership, so that a
/// meeting's 应到 is known: planning a meeting with a body copies its active members in.
/// </summary>
public sealed class Body
{
    public const int NameMaxLength = 100;

    private readonly List<BodyMember> _members = [];

    private Body()
    {
        Name = string.Empty;
    }

    public Body(long townId, long orgUnitId, BodyKind kind, string name, int? adultCount, int? householdCount, DateTime now)
    {
        TownId = townId;
        OrgUnitId = orgUnitId;
        CreatedAt = now;
        Name = string.Empty;
        Edit(kind, name, adultCount, householdCount, now);
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }
    public long OrgUnitId { get; private set; }
    public BodyKind Kind { get; private set; }
    public string Name { get; private set; }

    /// <summary>A villagers' assembly's adult villagers (its 应到).</summary>
    public int? AdultCount { get; private set; }

    /// <summary>A villagers' assembly's households (two thirds of them present is also a quorum).</summary>
    public int? HouseholdCount { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<BodyMember> Members => _members;

    public IEnumerable<BodyMember> ActiveMembers => _members.Where(m => m.Active).OrderBy(m => m.Seq);

    /// <summary>应到 of a meeting of this body: the adult villagers of a villagers' assembly (when known), else the active members.</summary>
    public int ExpectedFor(MeetingKind kind) =>
        kind == MeetingKind.VillagersAssembly && AdultCount is { } adults ? adults : ActiveMembers.Count();

    public void Edit(BodyKind kind, string name, int? adultCount, int? householdCount, DateTime now)
    {
        RequireText(name, NameMaxLength, "name");
        if (adultCount < 0)
        {
            throw new DomainRuleException("meeting.expected-negative", "Counts cannot be negative.", field: "adultCount");
        }
        if (householdCount < 0)
        {
            throw new DomainRuleException("meeting.expected-negative", "Counts cannot be negative.", field: "householdCount");
        }
        Kind = kind;
        Name = name.Trim();
        AdultCount = adultCount;
        HouseholdCount = householdCount;
        UpdatedAt = now;
    }

    public BodyMember AddMember(string name, string? post, long? userId, DateTime now)
    {
        RequireText(name, Meeting.NameMaxLength, "name");
        OptionalText(post, Meeting.PostMaxLength, "post");
        var member = new BodyMember(TownId, _members.Count == 0 ? 1 : _members.Max(m => m.Seq) + 1, name.Trim(),
            string.IsNullOrWhiteSpace(post) ? null : post.Trim(), userId);
        _members.Add(member);
        UpdatedAt = now;
        return member;
    }

    public BodyMember EditMember(int seq, string name, string? post, long? userId, bool active, DateTime now)
    {
        var member = _members.FirstOrDefault(m => m.Seq == seq)
            ?? throw new DomainRuleException("meeting.unknown-member", $"No member {seq}.", field: "member");
        RequireText(name, Meeting.NameMaxLength, "name");
        OptionalText(post, Meeting.PostMaxLength, "post");
        member.Change(name.Trim(), string.IsNullOrWhiteSpace(post) ? null : post.Trim(), userId, active);
        UpdatedAt = now;
        return member;
    }
}

/// <summary>A member of a body: a name and post, an account when they have one (they then see the meetings they sit on); inactive members stay on record.</summary>
public sealed class BodyMember
{
    private BodyMember()
    {
        Name = string.Empty;
    }

    internal BodyMember(long townId, int seq, string name, string? post, long? userId)
    {
        TownId = townId;
        Seq = seq;
        Name = name;
        Post = post;
        UserId = userId;
        Active = true;
    }

    public long Id { get; private set; }
    public long BodyId { get; private set; }
    public long TownId { get; private set; }
    public int Seq { get; private set; }
    public string Name { get; private set; }
    public string? Post { get; private set; }
    public long? UserId { get; private set; }
    public bool Active { get; private set; }

    internal void Change(string name, string? post, long? userId, bool active)
    {
        Name = name;
        Post = post;
        UserId = userId;
        Active = active;
    }
}
