namespace Taizhang.Domain.Meetings;

public enum MeetingKind
{
    /// <summary>议事会.</summary>
    Deliberation,
    /// <summary>座谈会.</summary>
    Forum,
    /// <summary>集中办理会.</summary>
    ConcentratedHandling,
}

/// <summary>
/// A meeting that cases can come from or be deliberated in. Only what cases reference for now;
/// attendees, agenda and minutes come with the meetings work.
/// </summary>
public sealed class Meeting
{
    private Meeting()
    {
        Title = string.Empty;
    }

    public Meeting(long townId, long orgUnitId, MeetingKind kind, string title, DateTime heldAt)
    {
        TownId = townId;
        OrgUnitId = orgUnitId;
        Kind = kind;
        Title = title;
        HeldAt = heldAt;
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }
    public long OrgUnitId { get; private set; }
    public MeetingKind Kind { get; private set; }
    public string Title { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime HeldAt { get; private set; }
}
