namespace Taizhang.Web.Data;

/// <summary>
/// An attempt to rate a case on the public tracking page, kept while it counts against the case's
/// daily limit (<c>Features/Residents/RateCase</c>): a row is written before the 评价码 is checked and
/// removed when the code was right, so what remains are the wrong codes (and attempts refused while
/// locked). In the database, so that a restart or another node does not forgive them.
/// </summary>
public sealed class RatingAttempt
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The case's town (the distribution key, docs/SCALING.md).</summary>
    public long TownId { get; set; }

    public DateTime At { get; set; }
}
