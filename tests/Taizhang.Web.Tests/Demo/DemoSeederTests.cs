using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Demo;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Demo;

/// <summary>
/// The demo year: realistic, complete and deterministic. Seeded into the fixture's empty
/// org-seeded database inside a rolled-back transaction, twice, and compared.
/// </summary>
public abstract class DemoSeederTests(TaizhangApp app)
{
    private sealed record Snapshot(
        List<string> Cases, Dictionary<CaseStatus, int> ByStatus, int Meetings, int Events, int MeetingCases,
        HashSet<Channel> Channels, int Categories, int Villages, int Disputes, int DisputesAtJudicialOffice,
        bool AnyEventInTheFuture, bool AllTimelinesForward, double HandlingRate, int RepeatCallers, List<string> CallersInSeveralVillages,
        int JudicialOfficeToStart);

    [Fact]
    public async Task DemoYear_IsDeterministicAndCoversTheWholeLedger()
    {
        var first = await SeedAndReadAsync();
        var second = await SeedAndReadAsync();

        Assert.Equal(first.Cases, second.Cases);
        // The year's 600, yesterday's dispute waiting at the judicial office, the 7 consultation stories and the 3 deadline stories.
        Assert.Equal(611, first.Cases.Count);
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.True(first.ByStatus.GetValueOrDefault(status) > 0, $"no demo case is {status}");
        }
        Assert.Equal(Enum.GetValues<Channel>().Length, first.Channels.Count);
        Assert.Equal(14, first.Categories);
        Assert.True(first.Villages >= 11, $"only {first.Villages} villages have cases");
        Assert.InRange(first.Meetings, 16, 30);
        Assert.True(first.MeetingCases > 0);
        Assert.True(first.Disputes >= 7);
        Assert.True(first.DisputesAtJudicialOffice * 2 > first.Disputes, "most disputes go to the judicial office");
        Assert.False(first.AnyEventInTheFuture);
        Assert.True(first.AllTimelinesForward);
        Assert.InRange(first.HandlingRate, 0.95, 0.995);
        // A resident who calls again calls from home: every repeat caller's cases are in one village.
        Assert.True(first.RepeatCallers >= 10, $"only {first.RepeatCallers} residents reported more than once");
        Assert.True(first.CallersInSeveralVillages.Count == 0, "callers in several villages: " + string.Join("; ", first.CallersInSeveralVillages));
        // The judicial office's mediator starts the demo with a case to start on their task list.
        Assert.True(first.JudicialOfficeToStart >= 1, "no case waits for the judicial office to start");
    }

    /// <summary>
    /// The demo's meetings have their record (issue 15): the town's council of 25 with a quorum (and one
    /// deliberation without), the topics each deliberated on its agenda with the same outcome as the
    /// topic's event, votes that the meeting's rule counted, confirmed and published minutes, outcome tallies.
    /// </summary>
    [Fact]
    public async Task DemoMeetings_HaveMembersQuorumAgendaAndConfirmedMinutes()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var codeKey = await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.CaseIds>().KeyAsync(CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync();
        await DemoCases.SeedAsync(db, new DemoOptions().RandomSeed, 600, due, app.Clock.GetUtcNow().UtcDateTime, codeKey, CancellationToken.None);
        db.ChangeTracker.Clear();
        var meetings = await db.Meetings.AsNoTracking().Include(m => m.Participants).Include(m => m.Agenda).ToListAsync();
        var outcomes = await db.CaseEvents.AsNoTracking().Where(e => e.Action == CaseAction.DeliberationOutcome)
            .Select(e => new { e.CaseId, e.Payload }).ToListAsync();
        var measureEvents = await db.CaseEvents.AsNoTracking().CountAsync(e => e.Action == CaseAction.RecordMeasures);
        var tallies = await db.OutcomeTallies.AsNoTracking().ToListAsync();
        await tx.RollbackAsync();

        // The town's deliberations (马家村's 议事会 also deliberates, with its own members).
        var townId = await TownIdAsync();
        var deliberations = meetings.Where(m => m.Kind == Taizhang.Domain.Meetings.MeetingKind.Deliberation && m.OrgUnitId == townId).ToList();
        Assert.NotEmpty(deliberations);
        Assert.All(deliberations, m => Assert.Equal(25, m.Participants.Count(p => p.Role == Taizhang.Domain.Meetings.ParticipantRole.Member)));
        Assert.All(deliberations, m => Assert.Equal(25, m.Expected));
        Assert.Single(deliberations, m => !m.Quorate);
        Assert.True(deliberations.Count(m => m.Quorate) >= 2);
        Assert.All(meetings, m => Assert.Equal(m.Participants.Count(p => p.Role == Taizhang.Domain.Meetings.ParticipantRole.Member && p.Present), m.Present));
        Assert.Contains(meetings, m => m.Participants.Any(p => p.Role == Taizhang.Domain.Meetings.ParticipantRole.PartnerUnit));

        // Minutes: confirmed with signatures (most), published (deliberations), the last fortnight's still drafts.
        Assert.All(meetings, m => Assert.False(string.IsNullOrWhiteSpace(m.Minutes)));
        var confirmed = meetings.Where(m => m.Status is Taizhang.Domain.Meetings.MeetingStatus.MinutesConfirmed or Taizhang.Domain.Meetings.MeetingStatus.Published).ToList();
        Assert.True(confirmed.Count * 2 > meetings.Count, $"only {confirmed.Count} of {meetings.Count} meetings have confirmed minutes");
        Assert.All(confirmed, m => Assert.Contains(m.Participants, p => p.SignedAt is not null));
        Assert.Contains(meetings, m => m.Status == Taizhang.Domain.Meetings.MeetingStatus.Published);

        // Agendas: every topic outcome event is an agenda item of its meeting, with the same outcome.
        var items = meetings.SelectMany(m => m.Agenda.Select(a => (Meeting: m, Item: a))).ToList();
        Assert.NotEmpty(items);
        Assert.Equal(outcomes.Count, items.Count);
        Assert.All(items, x => Assert.NotNull(x.Item.OutcomeKind));
        Assert.Contains(items, x => x.Item.OutcomeKind == Taizhang.Domain.Meetings.AgendaOutcomeKind.Vote && x.Item.Passed == true && x.Item.VoteValid == true);
        Assert.Contains(items, x => x.Item.OutcomeKind == Taizhang.Domain.Meetings.AgendaOutcomeKind.ReportedToTown);
        foreach (var (m, a) in items)
        {
            var e = Assert.Single(outcomes, o => o.CaseId == a.CaseId);
            var payload = System.Text.Json.JsonDocument.Parse(e.Payload!).RootElement;
            Assert.Equal(m.Id, payload.GetProperty("meetingId").GetInt64());
            Assert.Equal(a.Seq, payload.GetProperty("item").GetInt32());
            Assert.Equal(a.OutcomeKind.ToString(), payload.GetProperty("kind").GetString());
        }

        // Outcome measures: the topics carried out record theirs (event and tallies), meetings their opinions collected.
        Assert.True(measureEvents > 0);
        Assert.Equal(measureEvents, tallies.Where(t => t.CaseId != null).Select(t => t.CaseId).Distinct().Count());
        Assert.Contains(tallies, t => t.MeetingId != null && t.MeasureKey == "opinions-collected");
    }

    private async Task<long> TownIdAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        return await db.OrgUnits.Where(u => u.Code == "SCH").Select(u => u.Id).SingleAsync();
    }

    /// <summary>
    /// What a new user tries for issue 15: bodies with members at the town and every village (the meetings
    /// seat them), the cadre's ledgered topics in 马家村, plans with steps for planned topics (one step
    /// overdue, and a topic waiting past the wait period: concentrated-handling candidates), the judicial
    /// office's two marriage/family mediations (settled and resolved; agreement awaiting performance), and
    /// 马家村's decision open for objections on its public page, with an older decision and a result archived.
    /// </summary>
    [Fact]
    public async Task DemoDeadlines_HaveExtensionsSuspensionsRemindersAndSupervision()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var codeKey = await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.CaseIds>().KeyAsync(CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync();
        await DemoCases.SeedAsync(db, new DemoOptions().RandomSeed, 600, due, now, codeKey, CancellationToken.None);
        db.ChangeTracker.Clear();
        var actions = await db.CaseEvents.AsNoTracking().GroupBy(e => e.Action).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count);
        var open = await db.Cases.AsNoTracking().Where(c => Lifecycle.OpenStatuses.Contains(c.Status))
            .Select(c => new { c.SuspendedAt, c.SuspensionReason, c.SupervisionLevel, c.ExtensionRequestedDueAt, c.AssigneeUnitId, c.DueAt }).ToListAsync();
        var judicialOffice = await db.OrgUnits.AsNoTracking().Where(u => u.Code == "SCH-SFS").Select(u => u.Id).SingleAsync();
        var contacted = await db.Cases.AsNoTracking().CountAsync(c => c.ContactedAt != null);
        var inTime = await db.Cases.AsNoTracking().CountAsync(c => c.ContactedInTime);
        var saidSolved = await db.Cases.AsNoTracking().CountAsync(c => c.ResolvedByResident == true);
        await tx.RollbackAsync();

        // The year's history has every kind of deadline event, and most residents were contacted in time.
        foreach (var action in new[] { CaseAction.RequestExtension, CaseAction.DecideExtension, CaseAction.RequestSuspension, CaseAction.DecideSuspension,
            CaseAction.Resume, CaseAction.Remind, CaseAction.Notify, CaseAction.Supervise, CaseAction.Contact })
        {
            Assert.True(actions.GetValueOrDefault(action) > 0, $"no demo event {action}");
        }
        Assert.True(contacted > 300 && inTime * 10 > contacted * 6, $"{inTime} of {contacted} contacted in time");
        Assert.True(saidSolved > 200, $"only {saidSolved} residents said their matter is solved");
        // What a new user finds: a suspended case with its reason, a supervised one, and the judicial office's pending extension.
        Assert.Contains(open, c => c.SuspendedAt is not null && !string.IsNullOrEmpty(c.SuspensionReason));
        Assert.Contains(open, c => c.SupervisionLevel == SupervisionLevel.Yellow);
        Assert.Contains(open, c => c.ExtensionRequestedDueAt is not null && c.AssigneeUnitId == judicialOffice && c.DueAt > now);
    }

    [Fact]
    public async Task DemoConsultation_HasBodiesPlansMediationsAndDisclosures()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var today = due.LocalDate(now);
        var codeKey = await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.CaseIds>().KeyAsync(CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync();
        await DemoCases.SeedAsync(db, new DemoOptions().RandomSeed, 600, due, now, codeKey, CancellationToken.None);
        db.ChangeTracker.Clear();
        var units = await db.OrgUnits.AsNoTracking().ToListAsync();
        var bodies = await db.Set<Taizhang.Domain.Meetings.Body>().AsNoTracking().Include(b => b.Members).ToListAsync();
        var meetings = await db.Meetings.AsNoTracking().ToListAsync();
        var cases = await db.Cases.AsNoTracking()
            .Select(c => new { c.Id, c.Status, c.Track, c.OrgUnitId, c.AssigneeUnitId, c.CategoryId, c.DueAt, c.RegisteredAt }).ToListAsync();
        var plans = await db.Set<Taizhang.Domain.Plans.HandlingPlan>().AsNoTracking().Include(p => p.Steps).ToListAsync();
        var planEvents = await db.CaseEvents.AsNoTracking().Where(e => e.Action == CaseAction.Plan || e.Action == CaseAction.PlanProgress)
            .Select(e => new { e.CaseId, e.Action }).ToListAsync();
        var ledgeredAt = await db.CaseEvents.AsNoTracking().Where(e => e.Action == CaseAction.Triage && e.ToStatus == CaseStatus.Ledgered)
            .GroupBy(e => e.CaseId).Select(g => new { CaseId = g.Key, At = g.Max(e => e.At) }).ToListAsync();
        var mediations = await db.Mediations.AsNoTracking().Include(m => m.Sessions).Include(m => m.Parties).Include(m => m.FollowUps).ToListAsync();
        var mediateEvents = await db.CaseEvents.AsNoTracking().Where(e => e.Action == CaseAction.Mediate).Select(e => e.CaseId).ToListAsync();
        var disclosures = await db.Set<Taizhang.Domain.Disclosures.Disclosure>().AsNoTracking().ToListAsync();
        var discloseEvents = await db.CaseEvents.AsNoTracking().Where(e => e.Action == CaseAction.Disclose).Select(e => e.CaseId).ToListAsync();
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Code);
        await tx.RollbackAsync();

        var unit = units.ToDictionary(u => u.Code, u => u);
        var villageOf = units.ToDictionary(u => u.Id, u => u.Kind == OrgUnitKind.Group ? u.ParentId!.Value : u.Id);
        var town = unit["SCH"];

        // Bodies: the town's council of 25, each village's 议事会 and representatives with their members; the meetings seat them.
        Assert.Contains(bodies, b => b.OrgUnitId == town.Id && b.Kind == Taizhang.Domain.Meetings.BodyKind.DeliberationCouncil && b.Members.Count == 25);
        foreach (var (code, _) in DemoSeeder.Villages)
        {
            var council = Assert.Single(bodies, b => b.OrgUnitId == unit[code].Id && b.Kind == Taizhang.Domain.Meetings.BodyKind.DeliberationCouncil);
            Assert.InRange(council.Members.Count, 9, 13);
            var reps = Assert.Single(bodies, b => b.OrgUnitId == unit[code].Id && b.Kind == Taizhang.Domain.Meetings.BodyKind.RepresentativesAssembly);
            Assert.InRange(reps.Members.Count, 15, 21);
        }
        Assert.All(meetings.Where(m => m.Kind == Taizhang.Domain.Meetings.MeetingKind.Deliberation), m => Assert.NotNull(m.BodyId));
        Assert.All(meetings.Where(m => m.BodyId is not null), m => Assert.Equal(bodies.Single(b => b.Id == m.BodyId).Members.Count, m.Expected));

        // The cadre (马家村) has at least two ledgered topics to put on a meeting's agenda.
        var mjc = unit["SCH-MJC"].Id;
        Assert.True(cases.Count(c => c.Track == Track.Topic && c.Status == CaseStatus.Ledgered && villageOf[c.OrgUnitId] == mjc) >= 2);

        // Plans: every planned / in-progress / resolved topic has one of 2–3 steps with units and target dates,
        // its Plan event, and (while planned) its due date at the plan's last target date.
        var planOf = plans.ToDictionary(p => p.CaseId);
        var planned = cases.Where(c => c.Track == Track.Topic && c.Status is CaseStatus.Planned or CaseStatus.InProgress or CaseStatus.Resolved).ToList();
        Assert.NotEmpty(planned);
        foreach (var c in planned)
        {
            Assert.True(planOf.TryGetValue(c.Id, out var p), $"topic {c.Id} ({c.Status}) has no plan with steps");
            Assert.InRange(p!.Steps.Count, 2, 3);
            Assert.All(p.Steps, s => Assert.True(s.UnitId > 0));
            Assert.Contains(planEvents, e => e.CaseId == c.Id && e.Action == CaseAction.Plan);
            if (c.Status == CaseStatus.Planned)
            {
                Assert.Equal(due.EndOfLocalDay(p.LastTargetDate), c.DueAt);
            }
        }
        Assert.All(plans.Where(p => p.StepsDone > 0), p => Assert.Equal(p.StepsDone, planEvents.Count(e => e.CaseId == p.CaseId && e.Action == CaseAction.PlanProgress)));
        // Concentrated-handling candidates: an open topic with a step past its target date, and one ledgered longer than 30 days.
        var open = new[] { CaseStatus.Ledgered, CaseStatus.Deliberating, CaseStatus.Planned, CaseStatus.Assigned, CaseStatus.InProgress };
        Assert.Contains(cases, c => c.Track == Track.Topic && open.Contains(c.Status) && planOf.TryGetValue(c.Id, out var p)
            && p.Steps.Any(s => s.CompletedAt == null && s.TargetDate < today));
        var cutoff = due.EndOfLocalDay(today.AddDays(-31));
        Assert.Contains(cases, c => c.Status == CaseStatus.Ledgered && !planOf.ContainsKey(c.Id)
            && ledgeredAt.Single(l => l.CaseId == c.Id).At < cutoff);

        // Mediations by the judicial office with the police station: one settled with the case resolved, one awaiting performance.
        var sfs = unit["SCH-SFS"].Id;
        var pcs = unit["SCH-PCS"].Id;
        var caseOf = cases.ToDictionary(c => c.Id);
        var settled = Assert.Single(mediations, m => m.Outcome == Taizhang.Domain.Mediation.MediationOutcome.Settled);
        Assert.Equal("dispute-marriage", categories[caseOf[settled.CaseId].CategoryId!.Value]);
        Assert.Contains(caseOf[settled.CaseId].Status, new[] { CaseStatus.Resolved, CaseStatus.FollowedUp });
        Assert.NotNull(settled.ClosedOn);
        var waiting = Assert.Single(mediations, m => m.HasAgreement && m.Outcome is null);
        Assert.Empty(waiting.FollowUps);
        Assert.Equal(CaseStatus.InProgress, caseOf[waiting.CaseId].Status);
        Assert.True(waiting.PerformanceDeadline >= today, "the agreement's performance is still due");
        foreach (var m in new[] { settled, waiting })
        {
            Assert.Equal(sfs, caseOf[m.CaseId].AssigneeUnitId);
            Assert.NotNull(m.NoticeGivenOn);
            Assert.Equal(Taizhang.Domain.Mediation.RecordForm.Written, m.AgreementForm);
            Assert.Contains(m.Parties, p => p.Role == Taizhang.Domain.Mediation.PartyRole.Applicant);
            Assert.Contains(m.Parties, p => p.Role == Taizhang.Domain.Mediation.PartyRole.Respondent);
            Assert.Contains(m.Sessions, s => s.UnitIds.Contains(sfs) && s.UnitIds.Contains(pcs));
            Assert.True(mediateEvents.Count(id => id == m.CaseId) >= 5, "the mediation's steps are on the case's timeline");
        }

        // Disclosures: 马家村's meeting decision open for objections today; an older decision and a result archived.
        var openDecision = Assert.Single(disclosures, d => d.OrgUnitId == mjc && d.Kind == DisclosureKind.Decision && d.From <= today && today <= d.Until);
        Assert.NotNull(openDecision.MeetingId);
        Assert.Equal(Taizhang.Domain.Meetings.MeetingStatus.Published, meetings.Single(m => m.Id == openDecision.MeetingId).Status);
        Assert.Contains(disclosures, d => d.OrgUnitId == mjc && d.Kind == DisclosureKind.Decision && d.Until < today);
        Assert.Contains(disclosures, d => d.OrgUnitId == mjc && d.Kind == DisclosureKind.Result && d.Until < today);
        Assert.All(disclosures, d => Assert.Contains(d.CaseId!.Value, discloseEvents));
    }

    private async Task<Snapshot> SeedAndReadAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var codeKey = await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.CaseIds>().KeyAsync(CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync();
        await DemoCases.SeedAsync(db, new DemoOptions().RandomSeed, 600, due, now, codeKey, CancellationToken.None);
        db.ChangeTracker.Clear();

        var cases = await db.Cases.AsNoTracking().OrderBy(c => c.RegisteredAt).ThenBy(c => c.Title)
            .Select(c => new { c.Id, c.Title, c.Status, c.Channel, c.CategoryId, c.OrgUnitId, c.AssigneeUnitId, c.RegisteredAt, c.MeetingId, c.TrackingCode })
            .ToListAsync();
        var events = await db.CaseEvents.AsNoTracking().Select(e => new { e.CaseId, e.Sequence, e.At }).ToListAsync();
        var units = await db.OrgUnits.AsNoTracking().ToListAsync();
        var disputeIds = await db.Categories.Where(c => c.IsDispute).Select(c => (long?)c.Id).ToListAsync();
        var judicial = units.Single(u => u.Code == "SCH-SFS").Id;
        var villageOf = units.ToDictionary(u => u.Id, u => u.Kind == OrgUnitKind.Group ? u.ParentId!.Value : u.Id);
        var meetings = await db.Meetings.CountAsync();
        // Who reported what: a merged case's reporters moved to the survivor, which is about the same place.
        var reports = await db.CaseReporters.AsNoTracking().Where(r => r.Phone != null)
            .Join(db.Cases.AsNoTracking(), r => r.CaseId, c => c.Id, (r, c) => new { r.Phone, c.OrgUnitId })
            .ToListAsync();
        await tx.RollbackAsync();

        var byStatus = cases.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());
        var accepted = cases.Count(c => c.Status is not (CaseStatus.Rejected or CaseStatus.Merged));
        var handled = cases.Count(c => c.Status is CaseStatus.Resolved or CaseStatus.FollowedUp);
        var disputes = cases.Where(c => disputeIds.Contains(c.CategoryId)).ToList();
        return new Snapshot(
            // Codes are derived from the ids (a sequence, not rolled back on PostgreSQL): checked against the id, not compared.
            cases.Select(c => $"{c.RegisteredAt:O}|{c.Title}|{c.Status}|{(c.TrackingCode == Taizhang.Web.Infrastructure.TrackingCodes.FromId(codeKey, c.Id) ? "derived" : c.TrackingCode)}").ToList(),
            byStatus,
            meetings,
            events.Count,
            cases.Count(c => c.Channel == Channel.Meeting && c.MeetingId is not null),
            cases.Select(c => c.Channel).ToHashSet(),
            cases.Where(c => c.CategoryId != null).Select(c => c.CategoryId).Distinct().Count(),
            cases.Select(c => villageOf[c.OrgUnitId]).Distinct().Count(),
            disputes.Count,
            disputes.Count(c => c.AssigneeUnitId == judicial),
            events.Any(e => e.At > now),
            events.GroupBy(e => e.CaseId).All(g => g.OrderBy(e => e.Sequence).Select(e => e.At).Zip(g.OrderBy(e => e.Sequence).Select(e => e.At).Skip(1)).All(p => p.First <= p.Second)),
            (double)handled / accepted,
            reports.GroupBy(r => r.Phone).Count(g => g.Count() > 1),
            reports.GroupBy(r => r.Phone)
                .Where(g => g.Select(r => villageOf[r.OrgUnitId]).Distinct().Count() > 1)
                .Select(g => string.Join(",", g.Select(r => units.Single(u => u.Id == villageOf[r.OrgUnitId]).Code).Distinct().Order()))
                .ToList(),
            cases.Count(c => c.AssigneeUnitId == judicial && c.Status == CaseStatus.Assigned));
    }
}

public sealed class DemoSeederTests_Sqlite(SqliteApp app) : DemoSeederTests(app), IClassFixture<SqliteApp>;

public sealed class DemoSeederTests_Postgres(PostgresApp app) : DemoSeederTests(app), IClassFixture<PostgresApp>;
