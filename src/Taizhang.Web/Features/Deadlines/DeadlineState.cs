using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// A case's deadline practice as the case page and the API show it: the request waiting for a
/// decision, the suspension in force with its reason, the supervision, the reminders and notices.
/// Dates are the local calendar days (the last day to act).
/// </summary>
/// <param name="ExtensionRequestedDate">延期 asked for and not yet decided: the date asked for.</param>
/// <param name="SuspensionRequested">挂起 asked for and not yet decided (its reason is <paramref name="SuspensionReason"/>).</param>
/// <param name="SuspendedAt">Since when the clock is stopped; null when it runs.</param>
/// <param name="SuspendedDays">Whole days the clock stood still over the suspensions that ended.</param>
/// <param name="SupervisionDate">The supervision's deadline (local day).</param>
public sealed record DeadlineState(
    DateOnly? ExtensionRequestedDate,
    int ExtensionCount,
    bool SuspensionRequested,
    DateTime? SuspensionRequestedAt,
    string? SuspensionReason,
    DateTime? SuspendedAt,
    int SuspensionCount,
    double SuspendedDays,
    int ReminderCount,
    DateTime? LastRemindedAt,
    int NoticeCount,
    SupervisionLevel? SupervisionLevel,
    DateOnly? SupervisionDate,
    int ReturnCount,
    DateTime? ContactedAt,
    bool ContactedInTime,
    bool? ResolvedByResident)
{
    public bool Suspended => SuspendedAt is not null;

    /// <summary>The extension asked for is longer than <c>Deadlines:MaxExtensionDays</c>: only a leader approves it.</summary>
    public bool ExtensionNeedsLeader { get; init; }

    /// <summary>The reader works in the responsible unit and is not a leader for the case: its requests are approved above them.</summary>
    public bool OwnUnitNeedsLeader { get; init; }

    /// <summary>
    /// Only a leader approves the request (the domain's rule: <c>Case.DecideExtension</c>, <c>DecideSuspension</c>): a second
    /// extension or suspension of the case, or an extension longer than the office grants alone.
    /// </summary>
    public static bool ApprovalNeedsLeader(bool extension, int extensionCount, int suspensionCount, bool longExtension) =>
        (extension ? extensionCount : suspensionCount) >= 1 || (extension && longExtension);

    /// <summary>A request waits for a decision (延期 or 挂起): the unit cannot ask for another meanwhile.</summary>
    public bool RequestPending => ExtensionRequestedDate is not null || SuspensionRequested;

    public static DeadlineState Of(Case c, Func<DateTime, DateOnly> dueDate) => new(
        c.ExtensionRequestedDueAt is { } asked ? dueDate(asked) : null,
        c.ExtensionCount,
        c.SuspensionRequestedAt is not null,
        c.SuspensionRequestedAt,
        c.SuspensionReason,
        c.SuspendedAt,
        c.SuspensionCount,
        Math.Round(c.SuspendedSeconds / 86400.0, 1),
        c.ReminderCount,
        c.LastRemindedAt,
        c.NoticeCount,
        c.SupervisionLevel,
        c.SupervisionDueAt is { } supervised ? dueDate(supervised) : null,
        c.ReturnCount,
        c.ContactedAt,
        c.ContactedInTime,
        c.ResolvedByResident);
}
