namespace Taizhang.Domain.Cases;

/// <summary>
/// One entry of a case's timeline. Appended by the transition that caused it and never
/// updated or deleted: the event log is the audit trail and the source of reported figures.
/// </summary>
public sealed class CaseEvent
{
    private CaseEvent()
    {
        ActorId = ActorName = string.Empty;
    }

    internal CaseEvent(Case @case, int sequence, Actor actor, DateTime at, CaseAction action,
        CaseStatus? from, CaseStatus to, string? reason, string? payload)
    {
        Case = @case;
        TownId = @case.TownId;
        Sequence = sequence;
        ActorKind = actor.Kind;
        ActorId = actor.Id;
        ActorName = actor.Name;
        At = at;
        Action = action;
        FromStatus = from;
        ToStatus = to;
        Reason = reason;
        Payload = payload;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public Case? Case { get; private set; }
    public long TownId { get; private set; }

    /// <summary>1, 2, 3 … within the case; with CaseId unique, so concurrent writers cannot interleave.</summary>
    public int Sequence { get; private set; }

    public ActorKind ActorKind { get; private set; }
    public string ActorId { get; private set; }
    public string ActorName { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; private set; }

    public CaseAction Action { get; private set; }
    public CaseStatus? FromStatus { get; private set; }
    public CaseStatus ToStatus { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>JSON object with the action's details (unit ids, outcome, satisfaction …).</summary>
    public string? Payload { get; private set; }
}
