namespace Taizhang.Web.Data;

/// <summary>
/// 月报封存: one town's closed month, frozen. The figures as they stood at the month's end (the
/// grouped facts of the month's cohort and their totals), the SHA-256 of the events behind them,
/// and an HMAC over both (<see cref="Features.Reports.Snapshots.SnapshotSeal"/>), so a later change
/// to the event log, to a case, or to this row is found by <c>verify</c>. Written once, never updated.
/// </summary>
public sealed class ReportSnapshot
{
    public long Id { get; set; }

    /// <summary>The town (an org unit of kind Town): a snapshot is per town per month.</summary>
    public long TownId { get; set; }

    /// <summary>yyyy-MM, the Shanghai calendar month.</summary>
    public string Month { get; set; } = string.Empty;

    /// <summary>The figures as canonical JSON: the grouped fact rows and the totals by figure (<see cref="Features.Reports.Snapshots.SnapshotFigures"/>).</summary>
    public string FiguresJson { get; set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 over the cohort's events at or before the month's end.</summary>
    public string EventsHash { get; set; } = string.Empty;

    public int EventCount { get; set; }

    public int CaseCount { get; set; }

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>The actor id (user:ID) of who froze it.</summary>
    public string CreatedBy { get; set; } = string.Empty;

    public string CreatedByName { get; set; } = string.Empty;

    /// <summary>Lower-case hex HMAC-SHA256 over the fields above (all but the name), keyed by <c>Reports:SnapshotKey</c>.</summary>
    public string Signature { get; set; } = string.Empty;
}
