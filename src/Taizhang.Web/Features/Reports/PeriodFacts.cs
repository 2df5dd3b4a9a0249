using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// A reporting period: local (Asia/Shanghai) dates, both ends included. The cohort of a period is
/// the cases registered in it; its figures are where those cases stood at <see cref="AsOfUtc"/>:
/// the period's end for a closed period, now for the running one.
/// </summary>
public sealed record Period(DateOnly From, DateOnly To)
{
    public string FromText => From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    public string ToText => To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The calendar month of <paramref name="day"/>.</summary>
    public static Period Month(DateOnly day) => new(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1));

    public static Period Quarter(DateOnly day)
    {
        var first = new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);
        return new(first, first.AddMonths(3).AddDays(-1));
    }

    public static Period Year(DateOnly day) => new(new DateOnly(day.Year, 1, 1), new DateOnly(day.Year, 12, 31));

    /// <summary>The last 12 calendar months ending with the month of <paramref name="day"/>, oldest first.</summary>
    public static IReadOnlyList<Period> TwelveMonths(DateOnly day) =>
        Enumerable.Range(0, 12).Select(i => Month(new DateOnly(day.Year, day.Month, 1).AddMonths(i - 11))).ToList();
}

/// <summary>One group of a cohort: the cases with the same dimensions and the same facts (as of then).</summary>
public sealed record FactRow(long OrgUnitId, long? AssigneeUnitId, Channel Channel, long? CategoryId, Urgency Urgency, Track? Track, CaseFacts Facts, int Count);

/// <summary>A period's cohort in the caller's scope, grouped, as of <see cref="AsOfUtc"/>.</summary>
public sealed record PeriodFactSet(Period Period, DateTime AsOfUtc, bool Closed, IReadOnlyList<FactRow> Rows)
{
    public FigureCounts Totals() => FigureCounts.Of(Rows.Select(r => (r.Facts, r.Count)));

    public FigureCounts Totals(Func<FactRow, bool> where) => FigureCounts.Of(Rows.Where(where).Select(r => (r.Facts, r.Count)));
}

/// <summary>
/// A whole-town report's period without its cohort (<see cref="PeriodFacts.Handler.WholeTownAsync"/>): totals and breakdown;
/// for a closed period also the units' events and the "overdue then" list (<see cref="Closed"/>'s details).
/// </summary>
public sealed record WholeTownFacts(Period Period, DateTime AsOfUtc, bool Closed, FigureCounts Totals, Breakdown Breakdown,
    IReadOnlyList<PeriodFacts.UnitEvents>? Units, ClosedPeriodDetails? Details);

/// <summary>
/// The engine behind every reported figure. A period's cohort (the cases registered in it, in the
/// caller's scope, through the ledger's own filters) as of the period's end, from the event log:
/// a case that has not changed since then is read from its row (its row is its state then); a case
/// that has changed since is replayed from its events up to then (<see cref="CaseHistory"/>). So a
/// closed month's figures do not move when its cases change later, and each figure can list
/// exactly its cases (<see cref="CaseIdsAsync"/>).
/// </summary>
public static class PeriodFacts
{
    /// <summary>One case of a cohort as of the period's end: its facts and dimensions, its state, due date and clock then.</summary>
    public sealed record CohortCase(long Id, DateTime RegisteredAt, FactRow Row, DateTime DueAt, bool Suspended, SupervisionLevel? Supervision)
    {
        public CaseStatus Status => Row.Facts.Status;

        /// <summary>Suspended (挂起) and still open then.</summary>
        public bool SuspendedThen => Suspended && Lifecycle.IsOpen(Status);

        /// <summary>Under supervision (督办, any level) and still open then: as the ledger's 督办 filter reads it now.</summary>
        public bool SupervisedThen => Supervision is not null && Lifecycle.IsOpen(Status);

        /// <summary>
        /// Overdue at <paramref name="asOf"/> (a period's end): in a clocked state, not suspended, due before then. A case due on
        /// the period's last day is due at the very instant the period ends, and was not late within it.
        /// </summary>
        public bool OverdueAt(DateTime asOf) => Lifecycle.IsOverdue(Status, DueAt, asOf.AddTicks(-1), Suspended);
    }

    /// <summary>What a unit's events in a cohort add up to (as of the period's end), for the rankings.</summary>
    /// <param name="Assigned">Cases of the cohort given to the unit at least once (交办 or 转办 to it).</param>
    /// <param name="Returns">退回 events by the unit.</param>
    /// <param name="Supervisions">督办 events on the unit's cases, by level.</param>
    public sealed record UnitEvents(long UnitId, int Assigned, int Returns, int Reminders, int Notices, IReadOnlyDictionary<SupervisionLevel, int> Supervisions);

    public sealed class Handler(TaizhangDb db, ListCases.Handler list, DuePolicy due, TimeProvider clock, CurrentUser user, ClosedPeriodCache cache,
        CaseCounters counters, OrgDirectory org)
    {
        /// <summary>
        /// The period's headline figures in the caller's scope (no filters): for a caller reading whole towns, a
        /// running period's from the month counters and a closed period's from each town's persisted figures
        /// (<see cref="CaseCounters"/>); otherwise, and when the period is not whole months, <see cref="GetAsync"/>'s totals.
        /// The same numbers either way (<c>CaseCounterTests</c>).
        /// </summary>
        public async Task<FigureCounts> TotalsAsync(Period period, CancellationToken ct)
        {
            var (_, closed) = When(period);
            var counted = closed
                ? await counters.ClosedTotalsAsync(period, town => TownTotalsAsync(period, town, ct), ct)
                : await counters.RunningTotalsAsync(period, Today, ct);
            return counted ?? (await GetAsync(period, ct)).Totals();
        }

        /// <summary>
        /// <see cref="TotalsAsync(Period, CancellationToken)"/> of several periods (a trend's months): the closed calendar ones
        /// of a caller reading whole towns in one read of the towns' persisted rows, the others one by one.
        /// </summary>
        public async Task<IReadOnlyDictionary<Period, FigureCounts>> TotalsAsync(IReadOnlyCollection<Period> periods, CancellationToken ct)
        {
            var closed = periods.Where(p => When(p).Closed).ToList();
            var result = closed.Count > 0 && await counters.ClosedTotalsAsync(closed, (p, town) => TownTotalsAsync(p, town, ct), ct) is { } stored
                ? stored.ToDictionary()
                : [];
            foreach (var period in periods.Where(p => !result.ContainsKey(p)).Distinct().ToList())
            {
                result[period] = await TotalsAsync(period, ct);
            }
            return result;
        }

        /// <summary>One town's figures for a closed period, replayed (recount: not from the short-lived cache).</summary>
        private async Task<FigureCounts> TownTotalsAsync(Period period, long town, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            return (await GetAsync(period, ct, new ListCases.Query { OrgUnit = units.UnitsById[town].Code }, recount: true)).Totals();
        }

        /// <summary>
        /// A whole-town report's figures without the cohort (<see cref="GetAsync"/>): for a caller reading whole towns only
        /// (the clerk's town, the county), a running calendar period's totals and breakdown from the counters, a closed
        /// one's totals, breakdown, unit events and "overdue then" list from each town's persisted row (computed once by
        /// the replay, <see cref="TownDetailsAsync"/>). Null when they cannot come from there: the caller counts the cohort.
        /// The same numbers either way (<c>CaseBreakdownTests</c>).
        /// </summary>
        public async Task<WholeTownFacts?> WholeTownAsync(Period period, CancellationToken ct)
        {
            var (asOf, closed) = When(period);
            if (closed)
            {
                return await counters.ClosedDetailsAsync(period, town => TownDetailsAsync(period, town, ct), ct) is { } c
                    ? new WholeTownFacts(period, asOf, true, c.Totals, c.Details.Breakdown, c.Details.Units, c.Details)
                    : null;
            }
            var counted = await counters.RunningBreakdownAsync(period, Today, ct);
            var units = counted is null ? null : await counters.RunningUnitEventsAsync(period, Today, ct);
            if (units is not null && await counters.WholeTownIdsAsync(ct) is { } towns)
            {
                units = await WithSupervisedCasesAsync(units, period, towns, ct);
            }
            return counted is not { } running || units is null ? null : new WholeTownFacts(period, asOf, false, running.Totals, running.Breakdown, units, null);
        }

        /// <summary>
        /// One town's closed period, replayed case by case (<see cref="CasesAsync"/>; not from the short-lived cache): its
        /// figures, its breakdown, its units' events and the cases overdue at the period's end.
        /// </summary>
        public async Task<(FigureCounts, ClosedPeriodDetails)> TownDetailsAsync(Period period, long town, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var filters = new ListCases.Query { OrgUnit = units.UnitsById[town].Code };
            var asOf = AsOf(period);
            var cases = await CasesAsync(period, ct, filters);
            var rows = cases.Select(c => c.Row).ToList();
            var details = new ClosedPeriodDetails(Breakdown.Of(rows), await UnitEventsAsync(period, ct, filters),
                ReportLists.Then.ToDictionary(l => l.Key, l => CaseListHead.Of(cases.Where(c => l.Holds(c, asOf)).Select(c => (c.Id, c.RegisteredAt)).ToList())));
            return (FigureCounts.Of(rows.Select(r => (r.Facts, r.Count))), details);
        }

        /// <summary>Now, for the running period; the end of its last day otherwise.</summary>
        public DateTime AsOf(Period period)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var end = due.EndOfLocalDay(period.To);
            return end < now ? end : now;
        }

        public DateOnly Today => due.LocalDate(clock.GetUtcNow().UtcDateTime);

        /// <summary>
        /// The period's "as of" and whether it is closed, from one reading of the clock. (Reading it twice — <c>AsOf(period) &lt;
        /// now</c> — made a running period "closed" whenever the clock ticked in between: on a real clock nearly always, so a
        /// running period was replayed like a closed one and kept in the closed-period cache for minutes.)
        /// </summary>
        public (DateTime AsOf, bool Closed) When(Period period)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var end = due.EndOfLocalDay(period.To);
            return end < now ? (end, true) : (now, false);
        }

        /// <summary>
        /// The cohort of <paramref name="period"/> in the caller's scope, narrowed by <paramref name="filters"/>
        /// (the ledger's; From and To are the period's), grouped as of the period's end. <paramref name="recount"/>:
        /// never from the closed-period cache (freezing and verifying a snapshot recount the event log itself).
        /// </summary>
        public async Task<PeriodFactSet> GetAsync(Period period, CancellationToken ct, ListCases.Query? filters = null, bool recount = false)
        {
            var (asOf, closed) = When(period);
            var key = closed && !recount ? await CacheKeyAsync(period, filters, ct) : null;
            if (key is not null && cache.TryGet(key, out var cached))
            {
                return new PeriodFactSet(period, asOf, closed, cached);
            }
            var cohort = await CohortAsync(period, filters, ct);
            var rows = new List<FactRow>();
            var current = closed ? cohort.Where(c => c.UpdatedAt <= asOf) : cohort;
            var groups = await current
                .GroupBy(c => new
                {
                    c.OrgUnitId, c.AssigneeUnitId, c.Channel, c.CategoryId, c.Urgency, c.Track,
                    c.Status, c.Outcome, c.Satisfaction,
                    OnTime = c.ResolvedAt != null && c.ResolvedAt < c.DueAt,
                    Reopened = c.ReopenCount > 0,
                    FollowedUp = c.FollowUpCount > 0,
                    Returned = c.ReturnCount > 0,
                    AssignedOnce = c.AssigneeUnitId != null || c.ReturnCount > 0,
                    c.ContactedInTime,
                    c.ResolvedByResident,
                })
                .Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(ct);
            foreach (var g in groups)
            {
                var k = g.Key;
                rows.Add(new FactRow(k.OrgUnitId, k.AssigneeUnitId, k.Channel, k.CategoryId, k.Urgency, k.Track,
                    new CaseFacts(k.Status, k.Outcome, k.Satisfaction, k.OnTime, k.Reopened, k.FollowedUp, k.Returned, k.AssignedOnce,
                        k.ContactedInTime, k.ResolvedByResident), g.Count));
            }
            if (closed)
            {
                foreach (var (c, state) in await ReplayAsync(cohort.Where(c => c.UpdatedAt > asOf), asOf, ct))
                {
                    rows.Add(new FactRow(c.OrgUnitId, state.AssigneeUnitId, c.Channel, state.CategoryId, state.Urgency, state.Track, state.Facts, 1));
                }
                if (key is not null)
                {
                    cache.Set(key, rows);
                }
            }
            return new PeriodFactSet(period, asOf, closed, rows);
        }

        /// <summary>
        /// The cache key of a closed period's rows for this caller, or null when they are not cached: only
        /// for callers whose scope is a set of areas (town, village and county posts), which changes only
        /// with the organisation (the key names the areas); a scope reached through what is assigned to a
        /// unit (an agency) changes with every assignment and is always computed.
        /// </summary>
        private async Task<string?> CacheKeyAsync(Period period, ListCases.Query? filters, CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var reach = access.ReachOf(Permission.ReadCases);
            if (reach.Assigned.Length > 0 || reach.Area.Length == 0)
            {
                return null;
            }
            var areas = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.ASCII.GetBytes(string.Join(',', reach.Area.Order()))));
            return $"{period.FromText}|{period.ToText}|{areas}|{(filters ?? new ListCases.Query()).ToQueryString()}";
        }

        /// <summary>
        /// The cohort's cases one by one, as of the period's end (narrowed by <paramref name="filters"/>),
        /// newest first: what the figures count, case by case.
        /// </summary>
        public async Task<IReadOnlyList<CohortCase>> CasesAsync(Period period, CancellationToken ct, ListCases.Query? filters = null)
        {
            var (asOf, closed) = When(period);
            var cohort = await CohortAsync(period, filters, ct);
            var result = new List<CohortCase>();
            var current = closed ? cohort.Where(c => c.UpdatedAt <= asOf) : cohort;
            var candidates = await current
                .Select(c => new
                {
                    c.Id, c.RegisteredAt, c.OrgUnitId, c.AssigneeUnitId, c.Channel, c.CategoryId, c.Urgency, c.Track,
                    c.Status, c.Outcome, c.Satisfaction,
                    OnTime = c.ResolvedAt != null && c.ResolvedAt < c.DueAt,
                    Reopened = c.ReopenCount > 0,
                    FollowedUp = c.FollowUpCount > 0,
                    Returned = c.ReturnCount > 0,
                    AssignedOnce = c.AssigneeUnitId != null || c.ReturnCount > 0,
                    c.ContactedInTime,
                    c.ResolvedByResident,
                    c.DueAt,
                    Suspended = c.SuspendedAt != null,
                    c.SupervisionLevel,
                })
                .ToListAsync(ct);
            foreach (var k in candidates)
            {
                var row = new FactRow(k.OrgUnitId, k.AssigneeUnitId, k.Channel, k.CategoryId, k.Urgency, k.Track,
                    new CaseFacts(k.Status, k.Outcome, k.Satisfaction, k.OnTime, k.Reopened, k.FollowedUp, k.Returned, k.AssignedOnce,
                        k.ContactedInTime, k.ResolvedByResident), 1);
                result.Add(new CohortCase(k.Id, k.RegisteredAt, row, k.DueAt, k.Suspended, k.SupervisionLevel));
            }
            if (closed)
            {
                foreach (var (c, state) in await ReplayAsync(cohort.Where(c => c.UpdatedAt > asOf), asOf, ct))
                {
                    var row = new FactRow(c.OrgUnitId, state.AssigneeUnitId, c.Channel, state.CategoryId, state.Urgency, state.Track, state.Facts, 1);
                    // The due date then: as the last event restated it, else the registration's.
                    var dueAt = state.DueAt
                        ?? (state.RegisteredDueDate is { } d ? due.EndOfLocalDay(d) : due.DueAt(c.RegisteredUrgency, c.RegisteredAt));
                    result.Add(new CohortCase(c.Id, c.RegisteredAt, row, dueAt, state.Suspended, state.Supervision));
                }
            }
            return result.OrderByDescending(x => x.RegisteredAt).ThenByDescending(x => x.Id).ToList();
        }

        /// <summary>
        /// The ids of the cohort's cases whose facts (as of the period's end) <paramref name="figure"/>
        /// counts, narrowed by <paramref name="filters"/>: exactly the cases behind the figure, newest first.
        /// </summary>
        public async Task<IReadOnlyList<long>> CaseIdsAsync(Period period, CaseFigure figure, CancellationToken ct, ListCases.Query? filters = null,
            Func<FactRow, bool>? where = null) =>
            (await CasesAsync(period, ct, filters))
                .Where(c => figure.Counts(c.Row.Facts) && (where is null || where(c.Row)))
                .Select(c => c.Id)
                .ToList();

        /// <summary>The actions counted against a unit in the rankings.</summary>
        private static readonly CaseAction[] UnitActions =
            [CaseAction.Assign, CaseAction.Transfer, CaseAction.Return, CaseAction.Remind, CaseAction.Notify, CaseAction.Supervise];

        /// <summary>
        /// Per responsible unit, what the cohort's events up to the period's end say (<see cref="CaseEvent.UnitId"/>):
        /// cases given to it, its returns, the reminders, notices and supervisions its cases received.
        /// </summary>
        public async Task<IReadOnlyList<UnitEvents>> UnitEventsAsync(Period period, CancellationToken ct, ListCases.Query? filters = null)
        {
            var asOf = AsOf(period);
            var cohort = await CohortAsync(period, filters, ct);
            // Driven from the cohort (its cases by scope and registration date, then each case's events by
            // CaseId): an EXISTS on the cohort let SQLite walk every Assign/Transfer event up to then
            // (seconds at 1,000,000 cases; docs/BENCHMARKS.md "Reports and board at 1,000,000 cases").
            var events =
                from c in cohort
                join e in db.CaseEvents.AsNoTracking() on c.Id equals e.CaseId
                where e.UnitId != null && e.At <= asOf && UnitActions.Contains(e.Action)
                select e;
            var counted = await events
                .Where(e => e.Action == CaseAction.Return || e.Action == CaseAction.Remind || e.Action == CaseAction.Notify)
                .GroupBy(e => new { e.UnitId, e.Action })
                .Select(g => new { g.Key.UnitId, g.Key.Action, Count = g.Count() })
                .ToListAsync(ct);
            var assigned = await events
                .Where(e => e.Action == CaseAction.Assign || e.Action == CaseAction.Transfer)
                .Select(e => new { e.UnitId, e.CaseId })
                .Distinct()
                .GroupBy(x => x.UnitId)
                .Select(g => new { UnitId = g.Key, Count = g.Count() })
                .ToListAsync(ct);
            var supervisions = SupervisedCases(await events
                .Where(e => e.Action == CaseAction.Supervise)
                .Select(e => new SupervisionEvent(e.UnitId!.Value, e.CaseId, e.Payload))
                .ToListAsync(ct));
            var units = counted.Select(c => c.UnitId!.Value).Concat(assigned.Select(a => a.UnitId!.Value))
                .Concat(supervisions.Keys).Distinct();
            return units.Select(u => new UnitEvents(u,
                assigned.Where(a => a.UnitId == u).Sum(a => a.Count),
                counted.Where(c => c.UnitId == u && c.Action == CaseAction.Return).Sum(c => c.Count),
                counted.Where(c => c.UnitId == u && c.Action == CaseAction.Remind).Sum(c => c.Count),
                counted.Where(c => c.UnitId == u && c.Action == CaseAction.Notify).Sum(c => c.Count),
                supervisions.GetValueOrDefault(u) ?? new Dictionary<SupervisionLevel, int>())).ToList();
        }

        private sealed record SupervisionEvent(long UnitId, long CaseId, string? Payload);

        /// <summary>
        /// 督办 against each unit: per level, the cases put under it (a case counts once per level it reached, however often it
        /// was supervised again at that level to change the deadline or note; an outside review found five red cards and a
        /// downgrade counted as five red cases' points).
        /// </summary>
        private static Dictionary<long, IReadOnlyDictionary<SupervisionLevel, int>> SupervisedCases(IEnumerable<SupervisionEvent> events) =>
            events.Select(e => (e.UnitId, e.CaseId, Level: SupervisionLevelOf(e.Payload)))
                .Where(e => e.Level is not null)
                .Distinct()
                .GroupBy(e => e.UnitId)
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<SupervisionLevel, int>)g.GroupBy(e => e.Level!.Value).ToDictionary(l => l.Key, l => l.Count()));

        /// <summary>
        /// A running period's supervisions, counted per case (<see cref="SupervisedCases"/>) from the period's cohort's 督办 events
        /// (few: read by (TownId, Action, At), each case's registration checked), in place of the counters' per-event counts.
        /// </summary>
        private async Task<IReadOnlyList<UnitEvents>> WithSupervisedCasesAsync(IReadOnlyList<UnitEvents> units, Period period, long[] towns, CancellationToken ct)
        {
            var fromUtc = due.EndOfLocalDay(period.From.AddDays(-1));
            var toUtc = due.EndOfLocalDay(period.To);
            var events = await (
                from e in db.CaseEvents.AsNoTracking()
                where towns.Contains(e.TownId) && e.Action == CaseAction.Supervise && e.At >= fromUtc && e.UnitId != null
                join c in db.Cases.AsNoTracking() on e.CaseId equals c.Id
                where c.RegisteredAt >= fromUtc && c.RegisteredAt < toUtc
                select new SupervisionEvent(e.UnitId!.Value, e.CaseId, e.Payload)).ToListAsync(ct);
            var supervised = SupervisedCases(events);
            var empty = new Dictionary<SupervisionLevel, int>();
            return units.Select(u => u with { Supervisions = supervised.GetValueOrDefault(u.UnitId) ?? empty })
                .Concat(supervised.Keys.Where(k => units.All(u => u.UnitId != k)).Select(k => new UnitEvents(k, 0, 0, 0, 0, supervised[k])))
                .ToList();
        }

        private static SupervisionLevel? SupervisionLevelOf(string? payload)
        {
            if (string.IsNullOrEmpty(payload))
            {
                return null;
            }
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            return doc.RootElement.TryGetProperty("level", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String
                && Enum.TryParse<SupervisionLevel>(v.GetString(), out var level) ? level : null;
        }

        /// <summary>The cases registered in the period, in scope, narrowed by the ledger's filters.</summary>
        public async Task<IQueryable<Case>> CohortAsync(Period period, ListCases.Query? filters, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var query = (filters ?? new ListCases.Query()) with { From = period.FromText, To = period.ToText };
            var cohort = await list.FilterAsync(query, errors, ct);
            errors.ThrowIfAny();
            return cohort;
        }

        public sealed record ReplayedCase(long Id, DateTime RegisteredAt, long OrgUnitId, Channel Channel, Urgency RegisteredUrgency);

        /// <summary>The cases (changed since <paramref name="asOf"/>) replayed from their events up to then.</summary>
        private async Task<List<(ReplayedCase Case, CaseAsOf State)>> ReplayAsync(IQueryable<Case> changed, DateTime asOf, CancellationToken ct)
        {
            var cases = await changed
                .Select(c => new { c.Id, c.RegisteredAt, c.OrgUnitId, c.Channel, c.Urgency, c.CategoryId })
                .ToListAsync(ct);
            var result = new List<(ReplayedCase, CaseAsOf)>(cases.Count);
            // In chunks: the id list is a parameter list, and SQLite takes at most 32,766 of them.
            foreach (var chunk in cases.Chunk(2000))
            {
                var ids = chunk.Select(c => c.Id).ToArray();
                var events = await db.CaseEvents.AsNoTracking()
                    .Where(e => ids.Contains(e.CaseId) && e.At <= asOf)
                    .Select(e => new { e.CaseId, e.Sequence, e.At, e.Action, e.ToStatus, e.UnitId,
                        Payload = NeedsPayload.Contains(e.Action) ? e.Payload : null })
                    .ToListAsync(ct);
                var byCase = events.ToLookup(e => e.CaseId, e => new EventFact(e.Sequence, e.At, e.Action, e.ToStatus, e.Payload, e.UnitId));
                foreach (var c in chunk)
                {
                    if (CaseHistory.AsOf(byCase[c.Id], asOf, c.Urgency, c.CategoryId) is { } state)
                    {
                        result.Add((new ReplayedCase(c.Id, c.RegisteredAt, c.OrgUnitId, c.Channel, state.Urgency), state));
                    }
                }
            }
            return result;
        }

        /// <summary>The events whose payload the replay reads (state, dimensions, due date); the rest (results, plans' text, notes) are not loaded.</summary>
        private static readonly CaseAction[] NeedsPayload =
        [
            CaseAction.Register, CaseAction.Triage, CaseAction.Assign, CaseAction.Transfer, CaseAction.Plan, CaseAction.Resolve,
            CaseAction.FollowUp, CaseAction.DecideSuspension, CaseAction.Supervise, CaseAction.Contact,
            CaseAction.Reopen, CaseAction.RequestExtension, CaseAction.DecideExtension, CaseAction.Resume, CaseAction.Remind, CaseAction.Notify,
            CaseAction.Mediate,
        ];
    }
}

/// <summary>
/// A closed period's grouped rows per scope and filters, kept for a few minutes: its trends alone ask
/// for twelve closed months on every report. A closed period's figures are as of its end and so do not
/// move when its cases change later; they could change only by a case registered back-dated into it
/// (nothing in the app does: imports register at the time of import and keep the source's date apart,
/// but a restore or a correction outside the app could) or by a change of the organisation (a group
/// moved to another village), which the short lifetime (<c>Reports:ClosedPeriodCacheSeconds</c>, 300) covers.
/// Bounded in size (<c>Reports:ClosedPeriodCacheEntries</c>, 2000); a running period is never cached.
/// </summary>
public sealed class ClosedPeriodCache(IConfiguration configuration)
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = configuration.GetValue("Reports:ClosedPeriodCacheEntries", 2000) });
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(configuration.GetValue("Reports:ClosedPeriodCacheSeconds", 300));

    public bool TryGet(string key, out IReadOnlyList<FactRow> rows)
    {
        if (_lifetime > TimeSpan.Zero && _cache.TryGetValue(key, out IReadOnlyList<FactRow>? found) && found is not null)
        {
            rows = found;
            return true;
        }
        rows = [];
        return false;
    }

    public void Set(string key, IReadOnlyList<FactRow> rows)
    {
        if (_lifetime > TimeSpan.Zero)
        {
            _cache.Set(key, rows, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _lifetime });
        }
    }

    /// <summary>Forget everything (after an import that may have back-dated cases into a closed period).</summary>
    public void Clear() => _cache.Clear();
}
