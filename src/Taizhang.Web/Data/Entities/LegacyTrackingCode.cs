namespace Taizhang.Web.Data;

/// <summary>
/// A tracking code drawn at random before codes were derived from case ids (TrackingCodes.FromId):
/// residents hold them, so they keep working. Filled once by the migration that introduced derived codes
/// (every case it found); empty on an installation that started after it. A look-up tries the derived code
/// first and comes here when that finds nothing.
/// </summary>
public sealed class LegacyTrackingCode
{
    public string Code { get; set; } = string.Empty;
    public long TownId { get; set; }
    public long CaseId { get; set; }
}
