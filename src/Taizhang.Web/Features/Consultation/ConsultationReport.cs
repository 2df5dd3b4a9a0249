using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Consultation;

/// <summary>
/// 协商议事成效: the counts and rates of <see cref="ConsultationFigures"/> for a period (a month, or
/// from–to in Asia/Shanghai days) in the caller's scope, each with its definition and, where the
/// ledger can list exactly those cases, its link. Meetings count where they sat (the meeting's unit);
/// events count where their case was registered; measures where they were recorded.
/// Each figure is one indexed query: meetings by (TownId|OrgUnitId, HeldAt), events by
/// (TownId, Action, At), tallies by (TownId|OrgUnitId, RecordedAt), found disputes as the count of the
/// ledger's own filter (its link) from index entries.
/// </summary>
public static class ConsultationReport
{
    public sealed record Figure(string Key, string Name, string Definition, int Count, string? Link);

    public sealed record Rate(string Key, string Name, string Definition, int Numerator, int Denominator, double? Value);

    public sealed record Breakdown(string Value, string Name, int Count);

    public sealed record MeasureTotal(string Key, string Name, string Unit, long Quantity);

    public sealed record Response(
        DateOnly From, DateOnly To, IReadOnlyList<Figure> Figures, IReadOnlyList<Rate> MediationRates,
        IReadOnlyList<Breakdown> DisputesByType, IReadOnlyList<Breakdown> DisputesByRiskGrade, IReadOnlyList<MeasureTotal> Measures)
    {
        public Figure this[string key] => Figures.First(f => f.Key == key);
    }

    /// <summary>The risk grades of the mediation intake (红 / 橙 / 黄), shown in this order; others after them.</summary>
    public static readonly IReadOnlyList<string> RiskGrades = ["Red", "Orange", "Yellow"];

    public sealed class Handler(
        TaizhangDb db, CurrentUser user, OrgDirectory org, OutcomeMeasures.Handler measures,
        DuePolicy due, TimeProvider clock, Texts texts)
    {
        /// <summary>A month (<c>yyyy-MM</c>) or a day range (<c>yyyy-MM-dd</c>); none: this month so far.</summary>
        public async Task<Response> HandleAsync(string? month, string? from, string? to, CancellationToken ct)
        {
            var (first, last) = Period(month, from, to);
            return await ForPeriodAsync(first, last, ct);
        }

        /// <param name="unit">Narrowed to this unit and those under it (a report's scope picker), within the caller's reach.</param>
        public async Task<Response> ForPeriodAsync(DateOnly first, DateOnly last, CancellationToken ct, UnitInfo? unit = null)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var fromUtc = due.EndOfLocalDay(first.AddDays(-1));
            var toUtc = due.EndOfLocalDay(last);
            var (wholeTowns, area) = Area(access, units);
            long[]? subtree = null;
            if (unit is not null)
            {
                subtree = units.SelfAndDescendants(unit);
                var inUnit = subtree.ToHashSet();
                if (unit.Kind == OrgUnitKind.Town && wholeTowns.Contains(unit.Id))
                {
                    (wholeTowns, area) = ([unit.Id], []);
                }
                else
                {
                    (wholeTowns, area) = ([], access.ReachOf(Domain.Access.Permission.ReadCases).Area.Where(inUnit.Contains).ToArray());
                }
            }
            // The events' own town narrows them on the index (TownId, Action, At). A county post's TownIds is null (its
            // county bureaus may handle any town's case), but when it reads by area alone its cases are exactly those of
            // its whole towns: without the towns PostgreSQL tested every such event of the period against the cases
            // (0.5 s each of three queries on the county board at 1,000,000 cases).
            var towns = access.AreaScope(Domain.Access.Permission.ReadCases) is { Units.Length: 0, WholeTowns: { Length: > 0 } whole }
                ? whole : access.TownIds;

            // Meetings held in the period, by kind (where they sat): the whole towns' by (TownId, HeldAt, Status, Kind), the
            // other units' by (OrgUnitId, HeldAt, Status, Kind), each from its index alone ("TownId IN … OR OrgUnitId IN …"
            // read every row the two found).
            var held = db.Meetings.AsNoTracking().Where(m => m.HeldAt >= fromUtc && m.HeldAt < toUtc
                && (m.Status == MeetingStatus.Held || m.Status == MeetingStatus.MinutesConfirmed || m.Status == MeetingStatus.Published));
            var byKind = new List<(MeetingKind Kind, int Count)>();
            async Task CountKindsAsync(IQueryable<Meeting> meetings) => byKind.AddRange(
                (await meetings.GroupBy(m => m.Kind).Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(ct)).Select(k => (k.Kind, k.Count)));
            if (wholeTowns.Length > 0)
            {
                await CountKindsAsync(held.Where(m => wholeTowns.Contains(m.TownId)));
            }
            if (area.Length > 0)
            {
                await CountKindsAsync(held.Where(m => area.Contains(m.OrgUnitId) && !wholeTowns.Contains(m.TownId)));
            }
            int Held(string key) => byKind.Where(k => ConsultationFigures.MeetingFigure(k.Kind) == key).Sum(k => k.Count);

            // Events in the period on the cases the caller sees (of the unit asked for).
            var visible = access.Visible(db.Cases.AsNoTracking());
            if (subtree is not null)
            {
                visible = visible.Where(c => subtree.Contains(c.OrgUnitId));
            }
            IQueryable<CaseEvent> Events(CaseAction action)
            {
                var events = db.CaseEvents.AsNoTracking().Where(e => e.Action == action && e.At >= fromUtc && e.At < toUtc);
                if (towns is not null)
                {
                    events = events.Where(e => towns.Contains(e.TownId));
                }
                return events.Where(e => visible.Any(c => c.Id == e.CaseId));
            }

            var topics = await Events(CaseAction.DeliberationOutcome).Select(e => e.CaseId).Distinct().CountAsync(ct);
            var decisionPayloads = await Events(CaseAction.Disclose).Where(e => e.Payload!.Contains("\"kind\":\"Decision\""))
                .Select(e => new { e.CaseId, e.Payload }).ToListAsync(ct);
            var decisions = decisionPayloads.Where(d => ConsultationFigures.IsDecisionDisclosure(d.Payload)).Select(d => d.CaseId).Distinct().Count();

            // Mediation: the intake (受理) and outcome records only; the rest of a mediation's timeline is not counted.
            var mediationRows = await Events(CaseAction.Mediate)
                .Where(e => e.Payload!.StartsWith("{\"step\":\"Intake\"") || e.Payload!.StartsWith("{\"step\":\"Outcome\""))
                .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new { e.CaseId, e.Payload, c.CategoryId })
                .ToListAsync(ct);
            var facts = mediationRows.Select(r => (r.CaseId, Fact: MediationFact.Read(r.Payload), r.CategoryId)).ToList();
            // Settled counts the period's own mediations settled by its end (ConsultationFigures.MediationCounts).
            var (mediated, settled) = ConsultationFigures.MediationCounts(facts.Select(f => (f.CaseId, f.Fact)));
            var intakes = facts.Where(f => f.Fact.IsIntake).DistinctBy(f => f.CaseId).ToList();
            var byType = intakes
                .GroupBy(f => f.Fact.DisputeType ?? (f.CategoryId is { } cid && units.CategoriesById.TryGetValue(cid, out var cat) ? cat.Name : "—"))
                .Select(g => new Breakdown(g.Key, texts.Lookup("disputeType." + g.Key) ?? g.Key, g.Count()))
                .OrderByDescending(b => b.Count).ThenBy(b => b.Value, StringComparer.Ordinal).ToList();
            var byRisk = intakes
                .GroupBy(f => f.Fact.RiskGrade ?? "None")
                .Select(g => new Breakdown(g.Key, texts.Lookup("consultation.risk." + g.Key) ?? g.Key, g.Count()))
                .OrderBy(b => RiskGrades.Contains(b.Value) ? RiskGrades.ToList().IndexOf(b.Value) : RiskGrades.Count)
                .ThenBy(b => b.Value, StringComparer.Ordinal).ToList();

            // Disputes found (排查): what the ledger's filter lists (the figure's link), so the figure is its link's total.
            var disputeCodes = units.CategoriesById.Values.Where(c => c.IsDispute).Select(c => c.Code).Order(StringComparer.Ordinal).ToArray();
            var foundQuery = new ListCases.Query
            {
                Category = disputeCodes.Length == 0 ? null : string.Join(',', disputeCodes),
                Status = string.Join(',', Enum.GetValues<CaseStatus>().Where(s => ConsultationFigures.IsDisputeFound(true, s))),
                From = Day(first),
                To = Day(last),
                OrgUnit = unit?.Code,
            };
            var found = 0;
            if (disputeCodes.Length > 0)
            {
                // The link's cases exactly (the ledger's scope, unit, categories and registration days, not merged), counted
                // as all of them less the merged: each count from index entries alone (IX_Cases_TownId_Urgency_CategoryId_RegisteredAt,
                // every urgency named so that the index is entered per town, urgency and category; the merged cases' own
                // index) instead of reading each dispute case's row for its status. A town is its TownId (its units' cases).
                var disputeIds = units.CategoriesById.Values.Where(c => c.IsDispute).Select(c => (long?)c.Id).ToArray();
                var urgencies = Enum.GetValues<Urgency>();
                var scoped = access.Visible(db.Cases.AsNoTracking());
                if (unit is not null)
                {
                    scoped = unit.Kind == OrgUnitKind.Town ? scoped.Where(c => c.TownId == unit.Id) : scoped.Where(c => subtree!.Contains(c.OrgUnitId));
                }
                var disputes = scoped.Where(c => disputeIds.Contains(c.CategoryId) && c.RegisteredAt >= fromUtc && c.RegisteredAt < toUtc);
                // Without the urgencies the merged ones' index is the exact fit (with them SQLite read each case through the other).
                found = await disputes.Where(c => urgencies.Contains(c.Urgency)).CountAsync(ct)
                    - await disputes.Where(c => c.Status == CaseStatus.Merged).CountAsync(ct);
            }

            // Outcome measures recorded in the period (where the case or meeting belongs).
            var tallies = db.OutcomeTallies.AsNoTracking().Where(t => t.RecordedAt >= fromUtc && t.RecordedAt < toUtc);
            tallies = (wholeTowns.Length > 0, area.Length > 0) switch
            {
                (true, true) => tallies.Where(t => wholeTowns.Contains(t.TownId) || area.Contains(t.OrgUnitId)),
                (true, false) => tallies.Where(t => wholeTowns.Contains(t.TownId)),
                (false, true) => tallies.Where(t => area.Contains(t.OrgUnitId)),
                (false, false) => tallies.Where(t => false),
            };
            var sums = await tallies.GroupBy(t => t.MeasureKey).Select(g => new { Key = g.Key, Quantity = g.Sum(t => (long)t.Quantity) }).ToListAsync(ct);
            var list = await measures.CurrentAsync(ct);
            var measureTotals = list.Select(m => OutcomeMeasures.Shown(m, texts))
                .Select(m => new MeasureTotal(m.Key, m.Name, m.Unit, sums.FirstOrDefault(s => s.Key == m.Key)?.Quantity ?? 0))
                .Concat(sums.Where(s => list.All(m => m.Key != s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => new MeasureTotal(s.Key, s.Key, string.Empty, s.Quantity)))
                .ToList();

            string MeetingsLink(string kinds) => $"/meetings?kind={kinds}&from={Day(first)}&to={Day(last)}";
            var figures = new List<Figure>
            {
                Make(ConsultationFigures.DeliberationsHeld, Held(ConsultationFigures.DeliberationsHeld),
                    MeetingsLink(string.Join(',', ConsultationFigures.DeliberationKinds))),
                Make(ConsultationFigures.ForumsHeld, Held(ConsultationFigures.ForumsHeld), MeetingsLink(nameof(MeetingKind.Forum))),
                Make(ConsultationFigures.ConcentratedHandlingHeld, Held(ConsultationFigures.ConcentratedHandlingHeld),
                    MeetingsLink(nameof(MeetingKind.ConcentratedHandling))),
                Make(ConsultationFigures.TopicsDeliberated, topics, null),
                Make(ConsultationFigures.DecisionsPublished, decisions, null),
                Make(ConsultationFigures.Mediated, mediated, null),
                Make(ConsultationFigures.Settled, settled, null),
                Make(ConsultationFigures.DisputesFound, found, foundQuery.Link),
            };
            var rates = ConsultationFigures.MediationRates(mediated, settled, found)
                .Select(r => new Rate(r.Key, texts["consultation.rate." + r.Key], texts["consultation.rate." + r.Key + ".definition"],
                    r.Settled, r.Denominator, r.Value))
                .ToList();
            return new Response(first, last, figures, rates, byType, byRisk, measureTotals);
        }

        private Figure Make(string key, int count, string? link) =>
            new(key, texts["consultation.figure." + key], texts["consultation.figure." + key + ".definition"], count, link);

        /// <summary>
        /// Where the caller's meetings and tallies are: whole towns (a town or county post: one condition
        /// on TownId, which the indexes lead with) and the other units of their area.
        /// </summary>
        private static (long[] WholeTowns, long[] Area) Area(CaseAccess access, OrgDirectory.Snapshot units)
        {
            var reach = access.ReachOf(Domain.Access.Permission.ReadCases).Area;
            var wholeTowns = reach.Where(id => units.UnitsById[id].Kind == OrgUnitKind.Town).ToArray();
            var area = reach.Where(id => units.UnitsById[id] is var u && !(u.TownId is { } t && wholeTowns.Contains(t)) && !wholeTowns.Contains(u.Id))
                .ToArray();
            return (wholeTowns, area);
        }

        /// <summary>The period's first and last local day, or field errors.</summary>
        public (DateOnly First, DateOnly Last) Period(string? month, string? from, string? to)
        {
            var errors = new FieldErrors();
            var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
            DateOnly first = new(today.Year, today.Month, 1), last = today;
            if (!string.IsNullOrWhiteSpace(month))
            {
                // Years the reports may name (as the reports' own periods): 0001-01 or 9999-12 overflowed the date arithmetic (a 500).
                if (!DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first)
                    || !Reports.ReportData.InRange(first))
                {
                    errors.Add("month", texts["field.month"]);
                    first = new DateOnly(today.Year, today.Month, 1);
                }
                else if (first > today)
                {
                    errors.Add("month", texts["field.month-future"]);
                }
                last = first.AddMonths(1).AddDays(-1);
                if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to))
                {
                    errors.Add("month", texts["consultation.report.month-or-range"]);
                }
            }
            else if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to))
            {
                var f = RequestParsing.Date(errors, texts, "from", from);
                var t = RequestParsing.Date(errors, texts, "to", to);
                if (f is { } fd && !Reports.ReportData.InRange(fd))
                {
                    errors.Add("from", texts["field.date"]);
                    f = null;
                }
                if (t is { } td && !Reports.ReportData.InRange(td))
                {
                    errors.Add("to", texts["field.date"]);
                    t = null;
                }
                first = f ?? first;
                last = t ?? today;
                if (string.IsNullOrWhiteSpace(from))
                {
                    errors.Add("from", texts["field.required"]);
                }
                if (f is not null && last < first)
                {
                    errors.Add("from", texts["field.date-range"]);
                }
                else if (f is not null && last.DayNumber - first.DayNumber > MaxDays)
                {
                    errors.Add("to", texts.Format("consultation.report.range-too-long", MaxDays));
                }
            }
            errors.ThrowIfAny();
            return (first, last);
        }

        private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The longest period one report covers (a few years: reports are read by the year at most).</summary>
    public const int MaxDays = 366 * 5;

    public static async Task<Ok<Response>> Endpoint(string? month, string? from, string? to, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(month, from, to, ct));
}
