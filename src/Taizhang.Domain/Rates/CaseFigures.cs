using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Rates;

/// <summary>
/// What is known of one case when a period's figures are counted (now, or as of the period's end:
/// <see cref="CaseHistory"/>): its state, whether it was resolved before its due date
/// (<see cref="OnTime"/>), was resolved once and then reopened, has had a return visit
/// (<see cref="Case.FollowUpCount"/> &gt; 0), was handed back (退回) by a unit, was ever given to a
/// unit, had its reporter contacted within the response window, and whether the resident said at the
/// last return visit that the matter is solved (the 12345 scheme's resolution).
/// </summary>
public readonly record struct CaseFacts(CaseStatus Status, Outcome? Outcome, Satisfaction? Satisfaction, bool OnTime, bool Reopened, bool FollowedUp,
    bool Returned = false, bool AssignedOnce = false, bool Responded = false, bool? ResolvedByResident = null)
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
    bool? FollowedUp = null,
    bool? Reopened = null,
    bool? Returned = null,
    bool? AssignedOnce = null,
    bool? Responded = null,
    bool? ResolvedByResident = null)
{
    public bool Counts(CaseFacts c) =>
        (Reopened is not { } reopened || c.Reopened == reopened)
        && (Returned is not { } returned || c.Returned == returned)
        && (AssignedOnce is not { } assigned || c.AssignedOnce == assigned)
        && (Responded is not { } responded || c.Responded == responded)
        && (ResolvedByResident is not { } solved || (c.ResolvedByResident ?? false) == solved)
        &&
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

    /// <summary>满意 only (the 12345 scheme weighs 基本满意 apart).</summary>
    public static readonly CaseFigure FullySatisfied = new("fully-satisfied", Satisfactions: [Satisfaction.Satisfied]);

    public static readonly CaseFigure BasicallySatisfied = new("basically-satisfied", Satisfactions: [Satisfaction.BasicallySatisfied]);

    /// <summary>响应: an accepted case whose reporter was first contacted within the response window.</summary>
    public static readonly CaseFigure Responded = Accepted with { Key = "responded", Responded = true };

    /// <summary>Given to a responsible unit at least once (交办), whether it still has it or handed it back.</summary>
    public static readonly CaseFigure AssignedOnce = new("assigned-once", AssignedOnce: true);

    /// <summary>退回 at least once by a unit.</summary>
    public static readonly CaseFigure Returned = new("returned", Returned: true);

    /// <summary>重办: reopened after a result (by an unsatisfied return visit or a reopening).</summary>
    public static readonly CaseFigure Redone = new("redone", Reopened: true);

    /// <summary>12345 有效回访 with contact in time: followed up, and the reporter was contacted within the window.</summary>
    public static readonly CaseFigure FollowedUpResponded = FollowedUp with { Key = "followed-up-responded", Responded = true };

    /// <summary>12345 解决: followed up, and at the last visit the resident said the matter is solved.</summary>
    public static readonly CaseFigure ResidentSolved = FollowedUp with { Key = "resident-solved", ResolvedByResident = true };

    public static readonly IReadOnlyList<CaseFigure> All =
        [Registered, Accepted, Handled, Solved, OnTime, ResolvedOnce, FollowedUp, Satisfied,
         FullySatisfied, BasicallySatisfied, Responded, AssignedOnce, Returned, Redone, FollowedUpResponded, ResidentSolved];

    public static readonly RateDefinition HandlingRate = new("handling", Handled, Accepted);
    public static readonly RateDefinition ResolutionRate = new("resolution", Solved, Handled);
    public static readonly RateDefinition OnTimeRate = new("on-time", OnTime, Handled);
    public static readonly RateDefinition FollowUpRate = new("follow-up", FollowedUp, ResolvedOnce);
    public static readonly RateDefinition SatisfactionRate = new("satisfaction", Satisfied, FollowedUp);

    public static readonly RateDefinition ResponseRate = new("response", Responded, Accepted);
    public static readonly RateDefinition ReturnRate = new("return", Returned, AssignedOnce);
    public static readonly RateDefinition RedoRate = new("redo", Redone, ResolvedOnce);

    /// <summary>The board's five headline rates.</summary>
    public static readonly IReadOnlyList<RateDefinition> Rates = [HandlingRate, ResolutionRate, OnTimeRate, FollowUpRate, SatisfactionRate];

    /// <summary>Every rate of PRODUCT.md "Rates" (the mediation rates are in <see cref="ConsultationFigures"/>), in its order.</summary>
    public static readonly IReadOnlyList<RateDefinition> AllRates =
        [HandlingRate, ResolutionRate, OnTimeRate, SatisfactionRate, FollowUpRate, ResponseRate, ReturnRate, RedoRate];

    public static CaseFigure ByKey(string key) => All.FirstOrDefault(f => f.Key == key)
        ?? throw new ArgumentOutOfRangeException(nameof(key), key, "Not a case figure.");
}
