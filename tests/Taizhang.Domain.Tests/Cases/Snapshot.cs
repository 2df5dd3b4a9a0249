using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Everything a refused operation must leave as it was.</summary>
internal sealed record Snapshot(
    CaseStatus Status,
    int Events,
    int EventCount,
    DateTime UpdatedAt,
    DateTime DueAt,
    long? AssigneeUnitId,
    Track? Track,
    Urgency Urgency,
    int Reporters,
    int ReopenCount,
    DateTime? ResolvedAt,
    DateTime? ClosedAt)
{
    public static Snapshot Of(Case c) => new(
        c.Status, c.Events.Count, c.EventCount, c.UpdatedAt, c.DueAt, c.AssigneeUnitId, c.Track, c.Urgency,
        c.Reporters.Count, c.ReopenCount, c.ResolvedAt, c.ClosedAt);
}
