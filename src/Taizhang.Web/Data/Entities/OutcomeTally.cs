namespace Taizhang.Web.Data;

/// <summary>
/// 成效: a quantity of one outcome measure recorded for a case (with its RecordMeasures event, in the
/// same save) or for a meeting. The reports sum these by key; the case's event stays the record of truth.
/// </summary>
public sealed class OutcomeTally
{
    public long Id { get; set; }
    public long TownId { get; set; }

    /// <summary>The case's unit (where it was registered) or the meeting's: the scope of the reports.</summary>
    public long OrgUnitId { get; set; }
    public long? CaseId { get; set; }
    public long? MeetingId { get; set; }
    public string MeasureKey { get; set; } = string.Empty;
    public int Quantity { get; set; }

    /// <summary>UTC.</summary>
    public DateTime RecordedAt { get; set; }
    public string RecordedBy { get; set; } = string.Empty;
}
