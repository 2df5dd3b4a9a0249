namespace Taizhang.Web.Data;

/// <summary>
/// A unit that took part in a case without being its responsible unit (a partner unit at a mediation
/// session): it keeps reading the case after the case moved on (<c>CaseAccess</c>), but does not handle it.
/// One row per unit and case; <see cref="Reason"/> says how it first took part.
/// </summary>
public sealed class CaseParticipant
{
    public const int ReasonMaxLength = 50;

    /// <summary>The reason a mediation session gives.</summary>
    public const string MediationSession = "mediation-session";

    public long Id { get; set; }
    public long CaseId { get; set; }
    public long TownId { get; set; }
    public long UnitId { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTime AddedAt { get; set; }
}
