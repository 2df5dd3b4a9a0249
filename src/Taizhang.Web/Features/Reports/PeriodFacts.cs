using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
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
/// The engine behind every reported figure. A period's cohort (the cases registered in it, in the
/// caller's scope, through the ledger's own filters) as of the period's end, from the event log:
/// a case that has not changed since then is read from its row (its row is its state then); a case
/// that has changed since is replayed from its events up to then (<see cref="CaseHistory"/>). So a
/// closed month's figures do not move when its cases change later, and each figure can list
/// exactly its cases (<see cref="CaseIdsAsync"/>).
/// </summary>
public static class PeriodFacts
{
    public sealed class Handler(TaizhangDb db, ListCases.Handler list, DuePolicy due, TimeProvider clock)
    {
        /// <summary>Now, for the running period; the end of its last day otherwise.</summary>
        public DateTime AsOf(Period period)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var end = due.EndOfLocalDay(period.To);
            return end < now ? end : now;
        }

        public DateOnly Today => due.LocalDate(clock.GetUtcNow().UtcDateTime);

        /// <summary>
        /// The cohort of <paramref name="period"/> in the caller's scope, narrowed by <paramref name="filters"/>
        /// (the ledger's; From and To are the period's), grouped as of the period's end.
        /// </summary>
        public async Task<PeriodFactSet> GetAsync(Period period, CancellationToken ct, ListCases.Query? filters = null)
        {
            var asOf = AsOf(period);
            var closed = asOf < clock.GetUtcNow().UtcDateTime;
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
            }
            return new PeriodFactSet(period, asOf, closed, rows);
        }

        /// <summary>
        /// The ids of the cohort's cases whose facts (as of the period's end) <paramref name="figure"/>
        /// counts, narrowed by <paramref name="filters"/>: exactly the cases behind the figure, newest first.
        /// </summary>
        public async Task<IReadOnlyList<long>> CaseIdsAsync(Period period, CaseFigure figure, CancellationToken ct, ListCases.Query? filters = null,
            Func<FactRow, bool>? where = null)
        {
            var asOf = AsOf(period);
            var closed = asOf < clock.GetUtcNow().UtcDateTime;
            var cohort = await CohortAsync(period, filters, ct);
            var ids = new List<(long Id, DateTime At)>();
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
                })
                .ToListAsync(ct);
            foreach (var k in candidates)
            {
                var row = new FactRow(k.OrgUnitId, k.AssigneeUnitId, k.Channel, k.CategoryId, k.Urgency, k.Track,
                    new CaseFacts(k.Status, k.Outcome, k.Satisfaction, k.OnTime, k.Reopened, k.FollowedUp, k.Returned, k.AssignedOnce,
                        k.ContactedInTime, k.ResolvedByResident), 1);
                if (figure.Counts(row.Facts) && (where is null || where(row)))
                {
                    ids.Add((k.Id, k.RegisteredAt));
                }
            }
            if (closed)
            {
                foreach (var (c, state) in await ReplayAsync(cohort.Where(c => c.UpdatedAt > asOf), asOf, ct))
                {
                    var row = new FactRow(c.OrgUnitId, state.AssigneeUnitId, c.Channel, state.CategoryId, state.Urgency, state.Track, state.Facts, 1);
                    if (figure.Counts(row.Facts) && (where is null || where(row)))
                    {
                        ids.Add((c.Id, c.RegisteredAt));
                    }
                }
            }
            return ids.OrderByDescending(x => x.At).ThenByDescending(x => x.Id).Select(x => x.Id).ToList();
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

        public sealed record ReplayedCase(long Id, DateTime RegisteredAt, long OrgUnitId, Channel Channel);

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
                        result.Add((new ReplayedCase(c.Id, c.RegisteredAt, c.OrgUnitId, c.Channel), state));
                    }
                }
            }
            return result;
        }

        /// <summary>The events whose payload the replay reads; the rest (results, plans, notes) are not loaded.</summary>
        private static readonly CaseAction[] NeedsPayload =
        [
            CaseAction.Register, CaseAction.Triage, CaseAction.Assign, CaseAction.Transfer, CaseAction.Plan, CaseAction.Resolve,
            CaseAction.FollowUp, CaseAction.DecideSuspension, CaseAction.Supervise, CaseAction.Contact,
        ];
    }
}
