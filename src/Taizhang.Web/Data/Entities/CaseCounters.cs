using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data;

/// <summary>
/// How many cases of a town stand in each status, per unit they were registered at: the board's stages
/// and the task list's queues at town and county scope, without counting the cases (docs/BENCHMARKS.md,
/// "County counters"). Kept by database triggers on "Cases" (<see cref="CaseCounterSql"/>) in the same
/// transaction as every insert, status change and delete, whoever writes (the app, the intake writer's raw
/// inserts, imports, the bench generator); rebuilt from the cases by <c>recount-figures</c>. Read-only for the app.
/// </summary>
public sealed class CaseStatusCount
{
    public long TownId { get; private set; }
    public long OrgUnitId { get; private set; }
    public CaseStatus Status { get; private set; }
    public long Count { get; private set; }
}

/// <summary>
/// How many cases of a town registered in a local month (yyyymm, the offices' time zone) have the same
/// <see cref="Taizhang.Domain.Rates.CaseFacts"/> now: a running period's headline figures at town and
/// county scope are the sum of its months' rows. Kept like <see cref="CaseStatusCount"/>.
/// Absent facts are stored as "" (outcome, satisfaction) and -1 (resolved by the resident): a key has no nulls.
/// </summary>
public sealed class CaseFactCount
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public CaseStatus Status { get; private set; }
    public string Outcome { get; private set; } = "";
    public string Satisfaction { get; private set; } = "";
    public bool OnTime { get; private set; }
    public bool Reopened { get; private set; }
    public bool FollowedUp { get; private set; }
    public bool Returned { get; private set; }
    public bool AssignedOnce { get; private set; }
    public bool ContactedInTime { get; private set; }
    public int ResolvedByResident { get; private set; }
    public long Count { get; private set; }
}

/// <summary>
/// PostgreSQL: a change to one <see cref="CaseStatusCount"/> row not yet folded in (+1 or -1), appended by the
/// counter triggers instead of updating the row in place, so concurrent writers of "Cases" (several nodes, the
/// intake writer next to a handler's transition) never wait on each other or deadlock on a hot counter row.
/// No key (nothing unique to wait on); readers add them to the base rows; <see cref="CaseCounterSql.CompactAsync"/>
/// folds them in (the job leader, every few seconds). Always empty on SQLite (one writer: the triggers update in place).
/// </summary>
public sealed class CaseStatusCountDelta
{
    public long TownId { get; private set; }
    public long OrgUnitId { get; private set; }
    public CaseStatus Status { get; private set; }
    public long Count { get; private set; }
}

/// <summary>
/// How many cases of a town came by each channel, with each urgency, on each track ("" before triage, when rejected or
/// merged unrouted): the ledger's total for a county's channel, urgency or track filter without counting index entries
/// (<c>LedgerCounts</c>; the county's 200,000 hotline cases were 40–60 ms of index entries on PostgreSQL, a few hundred
/// counter rows here). No month: these filters have no period. Kept like <see cref="CaseStatusCount"/>.
/// </summary>
public sealed class CaseKindCount
{
    public long TownId { get; private set; }
    public string Channel { get; private set; } = "";
    public string Urgency { get; private set; } = "";
    public string Track { get; private set; } = "";
    public long Count { get; private set; }
}

/// <summary>PostgreSQL: a change to one <see cref="CaseKindCount"/> row not yet folded in; see <see cref="CaseStatusCountDelta"/>.</summary>
public sealed class CaseKindCountDelta
{
    public long TownId { get; private set; }
    public string Channel { get; private set; } = "";
    public string Urgency { get; private set; } = "";
    public string Track { get; private set; } = "";
    public long Count { get; private set; }
}

/// <summary>PostgreSQL: a change to one <see cref="CaseFactCount"/> row not yet folded in; see <see cref="CaseStatusCountDelta"/>.</summary>
public sealed class CaseFactCountDelta
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public CaseStatus Status { get; private set; }
    public string Outcome { get; private set; } = "";
    public string Satisfaction { get; private set; } = "";
    public bool OnTime { get; private set; }
    public bool Reopened { get; private set; }
    public bool FollowedUp { get; private set; }
    public bool Returned { get; private set; }
    public bool AssignedOnce { get; private set; }
    public bool ContactedInTime { get; private set; }
    public int ResolvedByResident { get; private set; }
    public long Count { get; private set; }
}

/// <summary>
/// The reports' breakdown tables at town and county scope (by village, responsible unit, category, and channel ×
/// urgency × track): how many cases of a town registered in a local month (yyyymm) with a dimension's value
/// (<see cref="Dimension"/>: village — the unit registered at, a group's village is found in C# —, assignee,
/// category, kind = "channel|urgency|track"; <see cref="Value"/>: the raw id or enum name, "" for none) each
/// figure of <see cref="Taizhang.Domain.Rates.CaseFigures.All"/> counts now: one column per figure, named by its
/// key in PascalCase (<see cref="CaseCounterSql.FigureColumn"/>; <c>CaseBreakdownTests</c> fails for a figure
/// without its column). Kept by the same triggers as <see cref="CaseFactCount"/> (<see cref="CaseCounterSql"/>).
/// </summary>
public sealed class CaseBreakdownCount
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public string Dimension { get; private set; } = "";
    public string Value { get; private set; } = "";
    public long Registered { get; private set; }
    public long Accepted { get; private set; }
    public long Handled { get; private set; }
    public long Solved { get; private set; }
    public long OnTime { get; private set; }
    public long ResolvedOnce { get; private set; }
    public long FollowedUp { get; private set; }
    public long Satisfied { get; private set; }
    public long FullySatisfied { get; private set; }
    public long BasicallySatisfied { get; private set; }
    public long Responded { get; private set; }
    public long AssignedOnce { get; private set; }
    public long Returned { get; private set; }
    public long Redone { get; private set; }
    public long FollowedUpResponded { get; private set; }
    public long ResidentSolved { get; private set; }
}

/// <summary>PostgreSQL: a change to one <see cref="CaseBreakdownCount"/> row not yet folded in; see <see cref="CaseStatusCountDelta"/>.</summary>
public sealed class CaseBreakdownCountDelta
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public string Dimension { get; private set; } = "";
    public string Value { get; private set; } = "";
    public long Registered { get; private set; }
    public long Accepted { get; private set; }
    public long Handled { get; private set; }
    public long Solved { get; private set; }
    public long OnTime { get; private set; }
    public long ResolvedOnce { get; private set; }
    public long FollowedUp { get; private set; }
    public long Satisfied { get; private set; }
    public long FullySatisfied { get; private set; }
    public long BasicallySatisfied { get; private set; }
    public long Responded { get; private set; }
    public long AssignedOnce { get; private set; }
    public long Returned { get; private set; }
    public long Redone { get; private set; }
    public long FollowedUpResponded { get; private set; }
    public long ResidentSolved { get; private set; }
}

/// <summary>
/// The rankings' per-unit event counts at town and county scope: per town, local month of the case's registration
/// (yyyymm), unit and <see cref="Kind"/> ("assigned": cases given to the unit at least once; "returns", "reminders",
/// "notices"; "supervision-Ordinary|Yellow|Red"), how many. Kept by a trigger on "CaseEvents"
/// (<see cref="CaseCounterSql"/>, CaseCounterSql.UnitEvents.cs); rebuilt by <c>recount-figures</c>.
/// </summary>
public sealed class CaseUnitEventCount
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public long UnitId { get; private set; }
    public string Kind { get; private set; } = "";
    public long Count { get; private set; }
}

/// <summary>PostgreSQL: a change to one <see cref="CaseUnitEventCount"/> row not yet folded in; see <see cref="CaseStatusCountDelta"/>.</summary>
public sealed class CaseUnitEventCountDelta
{
    public long TownId { get; private set; }
    public int Month { get; private set; }
    public long UnitId { get; private set; }
    public string Kind { get; private set; } = "";
    public long Count { get; private set; }
}

/// <summary>
/// A closed period's headline figures for one town, as of the period's end (computed once by the replay
/// of <see cref="Features.Reports.PeriodFacts"/>, then read): a closed period's figures do not move, so the
/// board's and the reports' trends and previous periods read a few rows instead of replaying. Cleared by
/// <c>recount-figures</c> (after a restore, a back-dated correction or a town's units moved).
/// </summary>
public sealed class ClosedPeriodFigures
{
    public long TownId { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }

    /// <summary>Every figure by its key (<see cref="Taizhang.Domain.Rates.FigureCounts.ToDictionary"/>), JSON.</summary>
    public string Figures { get; set; } = "{}";

    /// <summary>
    /// The rest of the period's report for this town, as of the period's end (JSON, <c>Features/Reports/ClosedPeriodDetails</c>):
    /// the breakdown tables' figures per dimension and value, the per-unit events of the rankings and the "overdue then"
    /// list's total and first rows. Null until a report of the period asks for them (the trends need <see cref="Figures"/> only).
    /// </summary>
    public string? Details { get; set; }

    public DateTime ComputedAt { get; set; }
}
