using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Demo;

/// <summary>
/// The demo year of Sanchahe Town: meetings and cases through every channel, category,
/// village and state, with timelines that move forward like real work. Everything is drawn
/// from one seeded <see cref="Random"/>, and the year ends at the start of the current local
/// day, so the same date always gives the same data and nothing lies in the future.
/// </summary>
/// <remarks>
/// Each case is first planned as a list of timed steps (calls of the domain's transition
/// methods), then the steps are applied in time order. Merges need the ids of both cases,
/// so a duplicate's merge and everything its survivor does from then on are applied after
/// all cases have been saved once.
/// <para>
/// This file holds the state of the year and the seeding; the fixed data (actors, weights,
/// handlers, forums) is <see cref="DemoCatalogue"/>, shared with the bench generator. The rest
/// of the class: DemoCases.People, .Meetings, .Plans (fates and their counts), .Intake (how a
/// case arrives), .Stories (what happens to it), .Time and .Random.
/// </para>
/// </remarks>
internal sealed partial class DemoCases
{
    private const int BatchSize = 100;

    private readonly Random _rng;
    private readonly DuePolicy _due;
    private readonly DateTime _start;
    private readonly DateTime _end;
    private readonly OrgUnit _town;
    private readonly Dictionary<string, OrgUnit> _units;
    private readonly List<OrgUnit> _villages;
    private readonly Dictionary<long, OrgUnit[]> _groups;
    private readonly Dictionary<string, Category> _categories;
    private readonly Dictionary<long, List<ReporterInfo>> _residents = [];
    private readonly Dictionary<long, List<ReporterInfo>> _councilMembers = [];
    private readonly Dictionary<string, Actor> _handlers = [];
    // Case ids reserved in the database's counter before the cases are built (their codes derive from them).
    private readonly Queue<long> _ids = new();
    private byte[] _codeKey = [];
    private long _lastId;
    private readonly HashSet<string> _phones = [];
    private readonly HashSet<string> _names = [];
    private readonly List<Meeting> _meetings = [];
    private readonly Dictionary<Meeting, string?> _meetingCategory = [];
    private int _externalSeq;

    /// <summary>
    /// Categories the first closed cases take, so that every category is present and the year holds
    /// the article's family (4) and marriage (3) disputes; later cases draw categories by weight.
    /// </summary>
    private readonly Queue<string> _categoryQuota = new(
        Enumerable.Repeat("dispute-family", 4).Concat(Enumerable.Repeat("dispute-marriage", 3))
            .Concat(DemoCatalogue.CategoryWeights.Select(c => c.Code).Where(c => c is not ("dispute-family" or "dispute-marriage"))));

    private DemoCases(Random rng, DuePolicy due, DateTime nowUtc, IEnumerable<OrgUnit> units, IEnumerable<Category> categories)
    {
        _rng = rng;
        _due = due;
        // The demo year ends where today (local) begins: the same date gives the same data.
        _end = due.EndOfLocalDay(due.LocalDate(nowUtc).AddDays(-1));
        _start = _end.AddDays(-365);
        _units = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        _town = _units["SCH"];
        _villages = DemoSeeder.Villages.Select(v => _units[v.Code]).ToList();
        _groups = _villages.ToDictionary(v => v.Id, v => new[] { _units[v.Code + "-1"], _units[v.Code + "-2"] });
        _categories = categories.ToDictionary(c => c.Code, StringComparer.Ordinal);
    }

    /// <summary>Adds the demo year's meetings and <paramref name="count"/> cases; returns what was added.</summary>
    /// <param name="codeKey">The tracking-code key (Features/Cases/CaseIds), read before the caller's transaction began.</param>
    public static async Task<(int Meetings, int Cases)> SeedAsync(
        TaizhangDb db, int randomSeed, int count, DuePolicy due, DateTime nowUtc, byte[] codeKey, CancellationToken ct)
    {
        var units = await db.OrgUnits.OrderBy(u => u.Id).ToListAsync(ct);
        var categories = await db.Categories.OrderBy(c => c.Id).ToListAsync(ct);
        var year = new DemoCases(new Random(randomSeed), due, nowUtc, units, categories) { _codeKey = codeKey };
        // The planned cases and the stories' few dozen; unused ones are a gap in the ids.
        foreach (var id in await Features.Cases.CaseIds.ReserveIdsAsync(db, Math.Max(0, count) + 200, ct))
        {
            year._ids.Enqueue(id);
        }
        year.CreatePeople();
        year._recordRng = new Random(randomSeed ^ 0x15);
        year.CreateCouncil();
        year._consultRng = new Random(randomSeed ^ 0x1515);
        year._deadlineRng = new Random(randomSeed ^ 0x16);
        year.CreateBodies(year._start.AddDays(-30));

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            // Inside the caller's transaction when there is one, so the demo is seeded whole or not at all.
            await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            // The bodies first: the meetings that seat them name them.
            db.AddRange(year._bodies.Values);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            year.PlanMeetings();
            var plans = year.PlanCases(Math.Max(0, count));
            db.Meetings.AddRange(year._meetings);
            await db.SaveChangesAsync(ct);

            // Phase 1: every case up to its first step that needs another case's id, in registration order.
            var ordered = plans.OrderBy(p => p.RegisteredAt).ThenBy(p => p.Index).ToList();
            foreach (var batch in ordered.Chunk(BatchSize))
            {
                foreach (var p in batch)
                {
                    var c = year.Register(p);
                    p.Case = c;
                    foreach (var step in p.Steps.Where(s => s.At < p.DeferFrom))
                    {
                        step.Apply(c, step.At);
                    }
                    db.Cases.Add(c);
                }
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
            }

            // Phase 2: merges and what the survivors do after them, in time order.
            var deferred = plans
                .SelectMany(p => p.Steps.Select((s, i) => (Plan: p, Step: s, Order: i)).Where(x => x.Step.At >= p.DeferFrom))
                .OrderBy(x => x.Step.At).ThenBy(x => x.Plan.Index).ThenBy(x => x.Order)
                .ToList();
            foreach (var (p, step, _) in deferred)
            {
                step.Apply(p.Case!, step.At);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);

            // The topics' plans with steps (the cases now have ids).
            year.SaveHandlingPlans(db, plans);
            // The meetings' agendas (the topics now have ids), outcomes, minutes and the outcome tallies.
            year.CompleteMeetingRecords(db);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);

            // Yesterday's dispute for the judicial office, after the year (which stays as it was).
            var extra = count > 0 ? year.DisputeAtTheJudicialOffice() : null;
            if (extra is not null)
            {
                db.Cases.Add(extra);
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
            }
            // The consultation stories a new user tries (issue 15), after the year.
            if (count > 0)
            {
                await year.SeedConsultationStoriesAsync(db, ct);
                await year.SeedDeadlineStoriesAsync(db, ct);
            }
            if (tx is not null)
            {
                await tx.CommitAsync(ct);
            }
            return (year._meetings.Count, plans.Count + (extra is null ? 0 : 1) + year._storyCases);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// The year's few open cases are seldom the judicial office's, and its mediator should start the
    /// demo on a task list with something to do: a neighbours' quarrel over a boundary wall in 马家村,
    /// registered at the desk yesterday afternoon and assigned to 三岔司法所, not yet started.
    /// </summary>
    private Case DisputeAtTheJudicialOffice()
    {
        var village = _units["SCH-MJC"];
        var registeredAt = _end.AddHours(-7);
        var category = _categories["dispute-neighbour"];
        var c = Case.Register(
            _town.Id, _units["SCH-MJC-1"].Id, Channel.WalkIn,
            "马家村一组两户因院墙边界争执，多次调解未果",
            "群众来访反映：一组两户邻居因新砌院墙占用通道发生争执，村调委会两次调解未果，双方情绪激动，请求司法所组织调解。",
            Urgency.High, category.Id, Resident(village), new GeoLocation(null, null, "甘肃省定西市漳县三岔镇马家村一组"),
            null, null, null, NewTrackingCode(), _due, DemoCatalogue.IntakeStaff[0], registeredAt, id: _lastId);
        c.Triage(Track.Direct, Urgency.High, category.Id, _units["SCH-SFS"].Id, _due, DemoCatalogue.IntakeStaff[0], registeredAt.AddMinutes(50));
        return c;
    }
}
