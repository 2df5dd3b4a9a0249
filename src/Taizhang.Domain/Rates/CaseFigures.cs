using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Rates;

/// <summary>
/// What is known of one case when a period's figures are counted: its state now, whether it was
/// resolved before its due date (<see cref="OnTime"/>), was resolved once and then reopened, and
/// has had a return visit (<see cref="Case.FollowUpCount"/> &gt; 0).
/// </summary>
public readonly record struct CaseFacts(CaseStatus Status, Outcome? Outcome, Satisfaction? Satisfaction, bool OnTime, bool Reopened, bool FollowedUp)
{
    /// <summary>Resolved before the due date: ResolvedAt &lt; DueAt (a case without a resolution is not on time).</summary>
    public static bool IsOnTime(DateTime? resolvedAt, DateTime dueAt) => resolvedAt is { } r && r < dueAt;
}

/// <summary>
/// One figure of a period's cohort, as a conjunction of conditions on the case (null: no
/// condition). The ledger turns the same conditions into its filters and the reports test each
/// case against <see cref="Counts"/>, so a figure and the ledger's list of it cannot disagree.
/// </summary>
public sealed record CaseFigure(
    string Key,
    IReadOnlyList<CaseStatus>? Statuses = null,
    IReadOnlyList<Outcome>? Outcomes = null,
    IReadOnlyList<Satisfaction>? Satisfactions = null,
    bool? OnTime = null,
    bool? ResolvedOnce = null,
    bool? FollowedUp = null)
{
    public bool Counts(CaseFacts c) =>
        (Statuses is null || Statuses.Contains(c.Status))
        && (Outcomes is null || (c.Outcome is { } o && Outcomes.Contains(o)))
        && (Satisfactions is null || (c.Satisfaction is { } s && Satisfactions.Contains(s)))
        && (OnTime is not { } onTime || (IsHandledNow(c.Status) && c.OnTime == onTime))
        && (ResolvedOnce is not { } once || IsResolvedOnce(c.Status, c.Reopened) == once)
        && (FollowedUp is not { } visited || c.FollowedUp == visited);

    /// <summary>Resolved now (办结, with or without the return visit).</summary>
    public static bool IsHandledNow(CaseStatus status) => CaseFigures.Handled.Statuses!.Contains(status);

    /// <summary>
    /// Resolved at least once: resolved now, or reopened — a case is reopened only from a result
    /// (an unsatisfied return visit, or a reopening of a resolved or closed case).
    /// </summary>
    public static bool IsResolvedOnce(CaseStatus status, bool reopened) => reopened || IsHandledNow(status);
}

/// <summary>A rate: numerator ÷ denominator, both figures of the same cohort.</summary>
public sealed record RateDefinition(string Key, CaseFigure Numerator, CaseFigure Denominator);

/// <summary>
/// The figures and rates a town reports (PRODUCT.md "Rates"), defined once. The board, the
/// monthly report and the ledger's links all derive from these.
/// </summary>
public static class CaseFigures
{
    public static readonly CaseFigure Registered = new("registered");

    /// <summary>受理: everything but 不予受理 and 已合并.</summary>
    public static readonly CaseFigure Accepted = new("accepted",
        Statuses: Enum.GetValues<CaseStatus>().Where(s => s is not (CaseStatus.Rejected or CaseStatus.Merged)).ToArray());

    /// <summary>办结: resolved now, whether or not followed up yet.</summary>
    public static readonly CaseFigure Handled = new("handled", Statuses: [CaseStatus.Resolved, CaseStatus.FollowedUp]);

    public static readonly CaseFigure Solved = Handled with { Key = "solved", Outcomes = [Outcome.Solved] };

    /// <summary>Resolved before the due date.</summary>
    public static readonly CaseFigure OnTime = Handled with { Key = "on-time", OnTime = true };

    /// <summary>
    /// Resolved at least once: resolved now, or reopened after a result. A case that an unsatisfied
    /// return visit reopened was resolved and followed up, and counts for the follow-up rate.
    /// </summary>
    public static readonly CaseFigure ResolvedOnce = new("resolved-once", ResolvedOnce: true);

    /// <summary>
    /// 回访: at least one return visit was recorded. A visit stays counted when its case is reopened
    /// (an unsatisfied verdict does that) or resolved again: it happened, whatever came after.
    /// </summary>
    public static readonly CaseFigure FollowedUp = new("followed-up", FollowedUp: true);

    /// <summary>
    /// 满意: the standing verdict is satisfied or basically satisfied — the latest visit's, as long as
    /// the case was not reopened or resolved again since (that clears it until the next visit).
    /// </summary>
    public static readonly CaseFigure Satisfied = new("satisfied", Satisfactions: [Satisfaction.Satisfied, Satisfaction.BasicallySatisfied]);

    public static readonly IReadOnlyList<CaseFigure> All = [Registered, Accepted, Handled, Solved, OnTime, ResolvedOnce, FollowedUp, Satisfied];

    public static readonly RateDefinition HandlingRate = new("handling", Handled, Accepted);
    public static readonly RateDefinition ResolutionRate = new("resolution", Solved, Handled);
    public static readonly RateDefinition OnTimeRate = new("on-time", OnTime, Handled);
    public static readonly RateDefinition FollowUpRate = new("follow-up", FollowedUp, ResolvedOnce);
    public static readonly RateDefinition SatisfactionRate = new("satisfaction", Satisfied, FollowedUp);

    public static readonly IReadOnlyList<RateDefinition> Rates = [HandlingRate, ResolutionRate, OnTimeRate, FollowUpRate, SatisfactionRate];
}
