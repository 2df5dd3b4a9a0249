namespace Taizhang.Domain.Cases;

/// <summary>
/// The queues of the lifecycle: where a case waits and whose turn it is. Every status belongs to
/// exactly one stage (<see cref="Lifecycle.StageOf"/> is an exhaustive switch: a new status does
/// not build until it is given one), so no case can sit where no one looks.
/// </summary>
public enum CaseStage
{
    /// <summary>待分流: registered, handed back (退回) or reopened; the town office triages it.</summary>
    AwaitingTriage,
    /// <summary>待交办: triaged to the direct track without a unit; the town office assigns it.</summary>
    AwaitingAssignment,
    /// <summary>议题协商: a topic in the topic ledger, waiting for or in deliberation.</summary>
    Deliberation,
    /// <summary>办理中: a responsible unit (or a plan) has it.</summary>
    InHandling,
    /// <summary>待回访: resolved; the return visit asks the resident.</summary>
    AwaitingFollowUp,
    /// <summary>已结案: followed up, rejected or merged.</summary>
    Closed,
}

/// <summary>The lifecycle's vocabulary, said once: stages, open, due soon.</summary>
public static class Lifecycle
{
    /// <summary>"Due soon": open and due within this window, not yet overdue (amber everywhere).</summary>
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(24);

    public static CaseStage StageOf(CaseStatus status) => status switch
    {
        CaseStatus.Registered or CaseStatus.Returned or CaseStatus.Reopened => CaseStage.AwaitingTriage,
        CaseStatus.Triaged => CaseStage.AwaitingAssignment,
        CaseStatus.Ledgered or CaseStatus.Deliberating => CaseStage.Deliberation,
        // A plan waits for its unit to start (or for the office to name one): in handling, as an assigned case.
        CaseStatus.Assigned or CaseStatus.InProgress or CaseStatus.Planned => CaseStage.InHandling,
        CaseStatus.Resolved => CaseStage.AwaitingFollowUp,
        CaseStatus.FollowedUp or CaseStatus.Rejected or CaseStatus.Merged => CaseStage.Closed,
    };

    /// <summary>The statuses of a stage, in the enum's order.</summary>
    public static IReadOnlyList<CaseStatus> StatusesOf(CaseStage stage) => ByStage[stage];

    /// <summary>Open cases count towards workload and can be overdue: every stage before the result.</summary>
    public static bool IsOpen(CaseStage stage) => stage switch
    {
        CaseStage.AwaitingTriage or CaseStage.AwaitingAssignment or CaseStage.Deliberation or CaseStage.InHandling => true,
        CaseStage.AwaitingFollowUp or CaseStage.Closed => false,
    };

    public static bool IsOpen(CaseStatus status) => IsOpen(StageOf(status));

    public static readonly IReadOnlyList<CaseStatus> OpenStatuses = Enum.GetValues<CaseStatus>().Where(IsOpen).ToArray();

    /// <summary>
    /// Whether the case's due date runs in this state. A topic in the ledger or in deliberation is not
    /// held to the direct-handling service level: its clock is its plan's (the due date follows the
    /// plan once made), and a topic that waits too long is a concentrated-handling candidate instead.
    /// </summary>
    public static bool IsClocked(CaseStatus status) => IsOpen(status) && StageOf(status) != CaseStage.Deliberation;

    /// <summary>The statuses whose due date runs (overdue and due soon are asked of these only).</summary>
    public static readonly IReadOnlyList<CaseStatus> ClockedStatuses = Enum.GetValues<CaseStatus>().Where(IsClocked).ToArray();

    /// <summary>Past its due date, in a clocked state, and not suspended (挂起 stops the clock).</summary>
    public static bool IsOverdue(CaseStatus status, DateTime dueAt, DateTime nowUtc, bool suspended = false) =>
        !suspended && IsClocked(status) && dueAt <= nowUtc;

    public static bool IsDueSoon(CaseStatus status, DateTime dueAt, DateTime nowUtc, bool suspended = false) =>
        !suspended && IsClocked(status) && dueAt > nowUtc && dueAt <= nowUtc + DueSoonWindow;

    private static readonly IReadOnlyDictionary<CaseStage, IReadOnlyList<CaseStatus>> ByStage =
        Enum.GetValues<CaseStage>().ToDictionary(
            s => s, s => (IReadOnlyList<CaseStatus>)Enum.GetValues<CaseStatus>().Where(status => StageOf(status) == s).ToArray());
}
