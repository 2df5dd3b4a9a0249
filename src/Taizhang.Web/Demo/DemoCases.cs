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
/// </remarks>
internal sealed class DemoCases
{
    private const int BatchSize = 100;

    public static readonly Actor DemoActor = new(ActorKind.System, "demo", "演示数据");

    private static readonly Actor[] IntakeStaff =
    [
        new(ActorKind.Development, "demo-intake-1", "镇办受理员 杨静"),
        new(ActorKind.Development, "demo-intake-2", "镇办受理员 马晓东"),
    ];

    private static readonly Actor Operator = new(ActorKind.Development, "demo-hotline", "接线员 张敏");
    private static readonly Actor Visitor = new(ActorKind.Development, "demo-followup", "回访员 李娟");
    private static readonly Actor Council = new(ActorKind.Development, "demo-council", "镇协商议事办公室");

    private static readonly (Channel Channel, int Weight)[] ChannelWeights =
    [
        (Channel.Meeting, 12), (Channel.WalkIn, 17), (Channel.CadreVisit, 15), (Channel.HigherLevel, 4),
        (Channel.Petition, 3), (Channel.LivelihoodPlatform, 5), (Channel.Hotline, 20), (Channel.WeChat, 13),
        (Channel.Web, 7), (Channel.Open311, 4),
    ];

    private static readonly (string Code, int Weight)[] CategoryWeights =
    [
        ("infrastructure", 110), ("roads", 110), ("water", 100), ("environment", 140), ("employment", 85),
        ("social-security", 90), ("agriculture", 80), ("safety", 50), ("policy", 60), ("dispute-family", 2),
        ("dispute-marriage", 2), ("dispute-neighbour", 60), ("dispute-land", 15), ("other", 30),
    ];

    /// <summary>Who handles a category: "V" is the case's own village, "SCH" the town office.</summary>
    private static (string Unit, int Weight)[] Handlers(string category) => category switch
    {
        "infrastructure" => [("V", 6), ("SCH", 3)],
        "roads" => [("V", 7), ("SCH", 3)],
        "water" => [("V", 6), ("SCH", 4)],
        "environment" => [("V", 9), ("SCH", 1)],
        "employment" => [("SCH", 4), ("V", 3), ("ZX-RSJ", 3)],
        "social-security" => [("SCH", 5), ("V", 3), ("ZX-RSJ", 2)],
        "agriculture" => [("SCH-NYZ", 6), ("V", 4)],
        "safety" => [("V", 4), ("SCH", 2), ("ZX-YJJ", 2), ("SCH-PCS", 2)],
        "policy" => [("SCH", 6), ("V", 4)],
        "dispute-family" or "dispute-marriage" => [("SCH-SFS", 7), ("V", 2), ("SCH-PCS", 1)],
        "dispute-neighbour" => [("SCH-SFS", 6), ("V", 4)],
        "dispute-land" => [("SCH-SFS", 6), ("V", 3), ("SCH-ZWB", 1)],
        _ => [("V", 5), ("SCH", 5)],
    };

    /// <summary>Where a case of the category is transferred when its first unit cannot finish it.</summary>
    private static string[] TransferTargets(string category) => category switch
    {
        "infrastructure" => ["ZX-ZJJ", "SCH"],
        "employment" => ["ZX-RSJ", "SCH"],
        "social-security" => ["ZX-RSJ", "SCH"],
        "agriculture" => ["SCH-NYZ"],
        "safety" => ["ZX-YJJ", "SCH-PCS"],
        "dispute-family" or "dispute-marriage" => ["SCH-SFS"],
        "dispute-neighbour" => ["SCH-SFS"],
        "dispute-land" => ["SCH-SFS", "SCH-SFS", "SCH-ZWB"],
        _ => ["SCH"],
    };

    /// <summary>Seasons: returnees look for work after the Spring Festival, irrigation in spring, water and roads in summer rains and winter frost.</summary>
    private static double MonthWeight(string category, int month) => (category, month) switch
    {
        ("employment", 2 or 3) => 3,
        ("employment", 1 or 4) => 1.5,
        ("agriculture", >= 3 and <= 6) => 2,
        ("water", >= 6 and <= 8) or ("water", 12 or 1) => 1.6,
        ("roads", >= 7 and <= 9) => 2,
        ("safety", 11 or 12 or 1 or 2) or ("safety", 7 or 8) => 2,
        ("environment", >= 4 and <= 10) => 1.4,
        _ => 1,
    };

    /// <summary>Forums through the year: where, what, which category its items lean to, and its season (month) if it has one.</summary>
    private static readonly (string? Village, string Title, string? Category, int Month)[] Forums =
    [
        (null, "三岔镇返乡人员就业座谈会", "employment", 3),
        ("SCH-WJC", "王家村农田灌溉用水座谈会", "agriculture", 4),
        ("SCH-SPC", "石坪村饮水安全座谈会", "water", 7),
        (null, "艾康沙棘合作社社员座谈会", "employment", 9),
        (null, "三岔镇老年人养老服务座谈会", "social-security", 10),
        ("SCH-MJC", "马家村群众座谈会", null, 0),
        ("SCH-HGC", "河沟村人居环境整治座谈会", "environment", 0),
        (null, "三岔镇家庭婚姻矛盾纠纷排查化解座谈会(邀请司法所、派出所参加)", "dispute-family", 0),
        ("SCH-JSQ", "街道社区居民代表座谈会", null, 0),
        (null, "食用菌产业园务工人员座谈会", "employment", 0),
        ("SCH-GLC", "高岭村道路硬化群众座谈会", "roads", 0),
        ("SCH-DWC", "东湾村村务公开群众座谈会", null, 0),
    ];

    private static readonly string[] DeliberationThemes =
    [
        "人居环境整治专题", "产业发展与返乡就业专题", "矛盾纠纷排查化解专题", "基础设施与饮水安全专题",
    ];

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
    private readonly List<ReporterInfo> _councilMembers = [];
    private readonly Dictionary<string, Actor> _handlers = [];
    private readonly HashSet<string> _codes = [];
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
            .Concat(CategoryWeights.Select(c => c.Code).Where(c => c is not ("dispute-family" or "dispute-marriage"))));

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
    public static async Task<(int Meetings, int Cases)> SeedAsync(
        TaizhangDb db, int randomSeed, int count, DuePolicy due, DateTime nowUtc, CancellationToken ct)
    {
        var units = await db.OrgUnits.OrderBy(u => u.Id).ToListAsync(ct);
        var categories = await db.Categories.OrderBy(c => c.Id).ToListAsync(ct);
        var year = new DemoCases(new Random(randomSeed), due, nowUtc, units, categories);
        year.CreatePeople();
        year.PlanMeetings();
        var plans = year.PlanCases(Math.Max(0, count));

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            // Inside the caller's transaction when there is one, so the demo is seeded whole or not at all.
            await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
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
            if (tx is not null)
            {
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
        return (year._meetings.Count, plans.Count);
    }

    // ---------------------------------------------------------------- people

    private void CreatePeople()
    {
        foreach (var v in _villages)
        {
            var people = new List<ReporterInfo>();
            var size = v.Kind == OrgUnitKind.Community ? 60 : 36;
            for (var i = 0; i < size; i++)
            {
                people.Add(new ReporterInfo(NewName(), Chance(0.92) ? NewPhone() : null));
            }
            _residents[v.Id] = people;
        }
        for (var i = 0; i < 15; i++)
        {
            _councilMembers.Add(new ReporterInfo(NewName(), NewPhone()));
        }
    }

    private string NewName()
    {
        for (var i = 0; ; i++)
        {
            var given = Chance(0.55) ? Pick(DemoTexts.GivenMale) : Pick(DemoTexts.GivenFemale);
            var name = Pick(DemoTexts.Surnames) + given;
            if (_names.Add(name) || i > 20)
            {
                return name;
            }
        }
    }

    private string NewPhone()
    {
        while (true)
        {
            var phone = Pick(DemoTexts.MobilePrefixes) + _rng.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            if (_phones.Add(phone))
            {
                return phone;
            }
        }
    }

    private ReporterInfo Resident(OrgUnit village) => Pick(_residents[village.Id]);

    private Actor Handler(OrgUnit unit)
    {
        if (!_handlers.TryGetValue(unit.Code, out var actor))
        {
            var name = unit.Kind switch
            {
                OrgUnitKind.Village => unit.Name + "村干部",
                OrgUnitKind.Community => unit.Name + "干部",
                OrgUnitKind.Town => unit.Name + "政府经办人",
                OrgUnitKind.Partner when unit.Code == "SCH-SFS" => unit.Name + "调解员",
                _ => unit.Name + "经办人",
            };
            actor = new Actor(ActorKind.Development, "demo-" + unit.Code, name);
            _handlers[unit.Code] = actor;
        }
        return actor;
    }

    private Actor Staff => Pick(IntakeStaff);

    // ---------------------------------------------------------------- meetings

    private void PlanMeetings()
    {
        var rotate = _rng.Next(DeliberationThemes.Length);
        var perYear = new Dictionary<int, int>();
        for (var i = 0; i < 4; i++)
        {
            var at = MeetingTime(45 + (90 * i) + _rng.Next(-7, 8), morning: true);
            var year = _due.LocalDate(at).Year;
            perYear[year] = perYear.GetValueOrDefault(year) + 1;
            var theme = DeliberationThemes[(i + rotate) % DeliberationThemes.Length];
            AddMeeting(_town, MeetingKind.Deliberation, $"三岔镇{year}年第{perYear[year]}次协商议事会议({theme})", at, null);
        }
        // About one forum a month; seasonal ones take the slot nearest their month, the others fill in at random.
        var slots = Enumerable.Range(0, Forums.Length)
            .Select(i => MeetingTime(12 + (29 * i) + _rng.Next(-5, 6), morning: Chance(0.5)))
            .ToList();
        var others = Forums.Where(f => f.Month == 0).ToArray();
        Shuffle(others);
        foreach (var (village, title, category, month) in Forums.Where(f => f.Month != 0).Concat(others))
        {
            var slot = month == 0 ? slots[0] : slots.MinBy(s => MonthDistance(_due.LocalDate(s).Month, month));
            slots.Remove(slot);
            AddMeeting(village is null ? _town : _units[village], MeetingKind.Forum, title, slot, category);
        }
        perYear.Clear();
        for (var i = 0; i < 3; i++)
        {
            var at = MeetingTime(100 + (120 * i) + _rng.Next(-5, 6), morning: false);
            var year = _due.LocalDate(at).Year;
            perYear[year] = perYear.GetValueOrDefault(year) + 1;
            AddMeeting(_town, MeetingKind.ConcentratedHandling, $"三岔镇议题台账集中办理会({year}年第{perYear[year]}次)", at, null);
        }
        _meetings.Sort((a, b) => a.HeldAt.CompareTo(b.HeldAt));
    }

    private static int MonthDistance(int a, int b) => Math.Min(Math.Abs(a - b), 12 - Math.Abs(a - b));

    private void AddMeeting(OrgUnit unit, MeetingKind kind, string title, DateTime at, string? category)
    {
        var meeting = new Meeting(_town.Id, unit.Id, kind, title, at);
        _meetings.Add(meeting);
        _meetingCategory[meeting] = category;
    }

    /// <summary>A working day about <paramref name="dayOfYear"/> days into the demo year, at 09:00 or 14:30 local.</summary>
    private DateTime MeetingTime(int dayOfYear, bool morning)
    {
        var day = _due.LocalDate(_start.AddDays(Math.Clamp(dayOfYear, 1, 360)));
        while (!_due.Calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        // One meeting a day at most.
        while (!_due.Calendar.IsWorkingDay(day) || _meetings.Any(m => _due.LocalDate(m.HeldAt) == day))
        {
            day = day.AddDays(1);
        }
        var at = LocalToUtc(day, morning ? new TimeSpan(9, 0, 0) : new TimeSpan(14, 30, 0));
        return at < _end.AddDays(-1) ? at : _end.AddDays(-2);
    }

    // ---------------------------------------------------------------- planning

    private enum Fate
    {
        Closed,
        ClosedTopic,
        ClosedAfterReopen,
        Resolved,
        Registered,
        Triaged,
        Returned,
        Assigned,
        InProgress,
        Reopened,
        Ledgered,
        Deliberating,
        Planned,
        Rejected,
        Merged,
    }

    private readonly record struct Step(DateTime At, Action<Case, DateTime> Apply);

    private sealed class Plan(int index, Fate fate)
    {
        public int Index { get; } = index;
        public Fate Fate { get; } = fate;
        public bool Overdue { get; set; }
        public Channel Channel { get; set; }
        public Meeting? FromMeeting { get; set; }
        public CaseTemplate? Template { get; set; }
        public string CategoryCode { get; set; } = string.Empty;
        public OrgUnit Village { get; set; } = null!;
        public OrgUnit Unit { get; set; } = null!;
        public Urgency Urgency { get; set; }
        public Urgency RegUrgency { get; set; }
        public bool CategoryAtRegistration { get; set; }
        public ReporterInfo? Reporter { get; set; }
        public string Title { get; set; } = string.Empty;
        public string Body { get; set; } = string.Empty;
        public string TrackingCode { get; set; } = string.Empty;
        public DateTime RegisteredAt { get; set; }
        public List<Step> Steps { get; } = [];
        public DateTime? FirstResolvedAt { get; set; }
        public DateTime DeferFrom { get; set; } = DateTime.MaxValue;
        public Case? Case { get; set; }
        public DateTime LastAt => Steps.Count == 0 ? RegisteredAt : Steps.Max(s => s.At);
        public void Add(DateTime at, Action<Case, DateTime> apply) => Steps.Add(new Step(at, apply));
    }

    private List<Plan> PlanCases(int n)
    {
        var merged = (int)Math.Round(n * 0.04);
        var rejected = (int)Math.Round(n * 0.02);
        var accepted = n - merged - rejected;
        // Handling rate 办理率 about 98%: about 2% of accepted cases are still open.
        var open = (int)Math.Round(accepted * 0.02);
        var resolved = (int)Math.Round(accepted * 0.03);
        var reopenedClosed = (int)Math.Round(accepted * 0.007);
        var topics = (int)Math.Round(accepted * 0.10);
        var closed = Math.Max(0, accepted - open - resolved - reopenedClosed - topics);
        Fate[] openOrder =
        [
            Fate.InProgress, Fate.Registered, Fate.Assigned, Fate.Ledgered, Fate.Returned, Fate.Deliberating,
            Fate.Planned, Fate.Triaged, Fate.Reopened, Fate.Assigned, Fate.InProgress, Fate.Registered,
        ];
        var fates = new List<Fate>();
        fates.AddRange(Enumerable.Repeat(Fate.Closed, closed));
        fates.AddRange(Enumerable.Repeat(Fate.ClosedTopic, topics));
        fates.AddRange(Enumerable.Repeat(Fate.ClosedAfterReopen, reopenedClosed));
        fates.AddRange(Enumerable.Repeat(Fate.Resolved, resolved));
        fates.AddRange(Enumerable.Range(0, open).Select(i => openOrder[i % openOrder.Length]));
        fates.AddRange(Enumerable.Repeat(Fate.Rejected, rejected));
        fates = fates.Take(n - merged).ToList();

        var plans = new List<Plan>(n);
        var inProgress = 0;
        foreach (var fate in fates)
        {
            var p = new Plan(plans.Count, fate);
            // One case long stuck in progress, plus returned and planned ones past their due dates.
            p.Overdue = fate is Fate.Returned or Fate.Planned || (fate == Fate.InProgress && inProgress++ == 0);
            if (fate == Fate.Rejected)
            {
                PlanRejected(p);
            }
            else
            {
                PlanAccepted(p);
            }
            plans.Add(p);
        }

        // Duplicates (归纳整理): later reports of a matter already in the ledger, merged into it.
        var survivors = plans
            .Where(p => p.Fate is Fate.Closed or Fate.ClosedTopic or Fate.Resolved or Fate.ClosedAfterReopen
                && p.FirstResolvedAt is { } r && r - p.RegisteredAt > TimeSpan.FromHours(8))
            .ToList();
        for (var i = 0; i < merged && survivors.Count > 0; i++)
        {
            var s = survivors.Count(x => x.Template?.Plan is not null) > 0 && Chance(0.4)
                ? Pick(survivors.Where(x => x.Template?.Plan is not null).ToList())
                : Pick(survivors);
            var p = new Plan(plans.Count, Fate.Merged);
            PlanDuplicate(p, s);
            plans.Add(p);
        }

        // A few repeat reports (AddReporter) on cases still being handled.
        foreach (var p in plans.Where(p => p.Fate is Fate.Closed or Fate.ClosedTopic && p.FirstResolvedAt is not null).ToList())
        {
            if (Chance(0.05))
            {
                var span = p.FirstResolvedAt!.Value - p.RegisteredAt;
                var at = Awake(p.RegisteredAt + (span * U(0.2, 0.9)));
                if (at >= p.FirstResolvedAt.Value)
                {
                    continue;
                }
                var reporter = Resident(p.Village);
                p.Add(at, (c, t) => c.AddReporter(reporter, Operator, t));
            }
        }

        foreach (var p in plans)
        {
            // Stable: steps planned for the same instant keep their planned order.
            var steps = p.Steps.OrderBy(s => s.At).ToList();
            p.Steps.Clear();
            p.Steps.AddRange(steps);
            p.TrackingCode = NewTrackingCode();
        }
        return plans;
    }

    private string NewTrackingCode()
    {
        while (true)
        {
            var code = TrackingCodes.NewFrom(_rng);
            if (_codes.Add(code))
            {
                return code;
            }
        }
    }

    /// <summary>How many days before the end of the year a case of this fate is registered.</summary>
    private static (double From, double To) AgeWindow(Plan p) => p.Fate switch
    {
        Fate.Closed => (365, 8),
        Fate.ClosedTopic => (365, 55),
        Fate.ClosedAfterReopen => (365, 45),
        Fate.Resolved => (18, 3),
        Fate.Registered => (0.6, 0.05),
        Fate.Triaged => (1.5, 0.3),
        Fate.Assigned => (3, 0.8),
        Fate.InProgress => p.Overdue ? (28, 14) : (6, 1.5),
        Fate.Returned => (16, 8),
        Fate.Reopened => (35, 12),
        Fate.Ledgered => (10, 2),
        Fate.Deliberating => (28, 8),
        Fate.Planned => (45, 22),
        Fate.Rejected => (365, 2),
        Fate.Merged => (365, 8),
    };

    private static bool IsTopicFate(Fate f) => f is Fate.ClosedTopic or Fate.Ledgered or Fate.Deliberating or Fate.Planned;

    private static bool IsOpenFate(Fate f) =>
        f is Fate.Registered or Fate.Triaged or Fate.Returned or Fate.Assigned or Fate.InProgress or Fate.Reopened
            or Fate.Ledgered or Fate.Deliberating or Fate.Planned;

    private void PlanAccepted(Plan p)
    {
        var (fromDays, toDays) = AgeWindow(p);
        var lo = _end.AddDays(-fromDays);
        var hi = _end.AddDays(-toDays);
        var topic = IsTopicFate(p.Fate);

        // Channel, and the meeting a meeting item came from.
        p.Channel = IsOpenFate(p.Fate) && !topic && toDays < 2
            ? PickWeighted([(Channel.Hotline, 4), (Channel.WeChat, 3), (Channel.Web, 1), (Channel.WalkIn, 2)])
            : topic && Chance(0.35) ? Channel.Meeting : PickWeighted(ChannelWeights);
        if (p.Channel == Channel.Meeting)
        {
            p.FromMeeting = PickMeeting(lo, hi);
            if (p.FromMeeting is null)
            {
                p.Channel = Channel.WalkIn;
            }
        }

        // Category and template.
        var hint = p.FromMeeting is { } m ? _meetingCategory[m] : null;
        var category = hint is not null && Chance(0.6) ? hint
            : p.Fate == Fate.Closed && _categoryQuota.Count > 0 ? _categoryQuota.Dequeue()
            : PickWeighted(CategoryWeights);
        if (hint == "dispute-family" && Chance(0.5))
        {
            category = Chance(0.5) ? "dispute-marriage" : "dispute-neighbour";
        }
        var candidates = DemoTexts.Templates.Where(t => t.Category == category && (!topic || t.Plan is not null)).ToList();
        if (candidates.Count == 0)
        {
            candidates = DemoTexts.Templates.Where(t => t.Plan is not null).ToList();
        }
        p.Template = Pick(candidates);
        p.CategoryCode = p.Template.Category;
        if (p.Template.Description.StartsWith("包村干部", StringComparison.Ordinal) && p.Channel != Channel.Meeting)
        {
            p.Channel = Channel.CadreVisit;
        }

        // Where.
        if (p.Template.Urban)
        {
            p.Village = _units["SCH-JSQ"];
        }
        else if (p.FromMeeting is { } fm && fm.OrgUnitId != _town.Id)
        {
            p.Village = _villages.First(v => v.Id == fm.OrgUnitId);
        }
        else
        {
            p.Village = PickWeighted(_villages.Select(v => (v, v.Kind == OrgUnitKind.Community ? 2 : 1)).ToArray());
        }
        p.Unit = p.Template.Title.Contains("{g}", StringComparison.Ordinal) && Chance(0.7)
            ? Pick(_groups[p.Village.Id])
            : p.Village;

        // How urgent: near the template's, topics not urgent, open cases not about to lapse by accident.
        p.Urgency = Near(p.Template.Urgency);
        if (topic)
        {
            p.Urgency = Chance(0.85) ? Urgency.Low : Urgency.Normal;
        }
        else if (p.Fate is Fate.Returned or Fate.InProgress && p.Overdue)
        {
            p.Urgency = Urgency.Normal;
        }
        else if (IsOpenFate(p.Fate) && p.Urgency is Urgency.Urgent)
        {
            p.Urgency = Urgency.High;
        }
        else if (p.Fate is Fate.Registered or Fate.Triaged && p.Urgency is Urgency.High)
        {
            p.Urgency = Urgency.Normal;
        }
        p.RegUrgency = Chance(0.8) || p.Fate == Fate.Registered ? p.Urgency : Urgency.Normal;
        p.CategoryAtRegistration = p.Channel is Channel.WalkIn or Channel.CadreVisit or Channel.Meeting || Chance(0.4);
        p.Reporter = p.Channel switch
        {
            Channel.Meeting => Pick(_councilMembers),
            Channel.CadreVisit => Chance(0.6) ? Resident(p.Village) : null,
            Channel.HigherLevel => Chance(0.7) ? Resident(p.Village) : null,
            _ => Resident(p.Village),
        };
        p.Title = Render(p.Template.Title, p);
        p.Body = Render(p.Template.Description, p);

        // When, and the steps; move earlier while the plan would run past the end of the year.
        for (var attempt = 0; ; attempt++)
        {
            p.Steps.Clear();
            p.FirstResolvedAt = null;
            if (p.Channel == Channel.Meeting)
            {
                var meeting = p.FromMeeting!.HeldAt >= lo && p.FromMeeting.HeldAt < hi ? p.FromMeeting : PickMeeting(lo, hi);
                if (meeting is null)
                {
                    p.Channel = Channel.WalkIn;
                    p.FromMeeting = null;
                    p.Reporter = Resident(p.Village);
                    continue;
                }
                p.FromMeeting = meeting;
                p.RegisteredAt = meeting.HeldAt.AddMinutes(_rng.Next(30, 150));
            }
            else
            {
                p.RegisteredAt = PickRegistration(p.Channel, p.CategoryCode, lo, hi);
            }
            if (topic)
            {
                PlanTopic(p);
            }
            else
            {
                PlanDirect(p);
            }
            var last = p.LastAt;
            if (last < _end)
            {
                return;
            }
            if (attempt >= 12)
            {
                p.Steps.RemoveAll(s => s.At >= _end);
                return;
            }
            var width = hi - lo;
            hi = p.RegisteredAt - (last - _end) - TimeSpan.FromHours(1);
            lo = hi - width;
            if (lo < _start)
            {
                lo = _start;
            }
            if (hi <= lo)
            {
                hi = lo.AddHours(12);
            }
            if (p.FromMeeting is not null && (p.FromMeeting.HeldAt < lo || p.FromMeeting.HeldAt >= hi))
            {
                p.FromMeeting = PickMeeting(lo, hi) ?? p.FromMeeting;
            }
        }
    }

    /// <summary>小事项即办: triage, assign, (return, transfer,) start, resolve, follow-up.</summary>
    private void PlanDirect(Plan p)
    {
        if (p.Fate == Fate.Registered)
        {
            return;
        }
        var urgent = p.Urgency == Urgency.Urgent;
        var category = _categories[p.CategoryCode];
        var isDispute = category.IsDispute;
        var dueAt = _due.DueAt(p.Urgency, p.RegisteredAt);
        var staff = Staff;

        // 分清轻重缓急.
        var t = urgent ? p.RegisteredAt.AddMinutes(_rng.Next(10, 60)) : Office(p.RegisteredAt.AddMinutes(_rng.Next(20, 300)));
        var returned = p.Fate == Fate.Returned || (p.Fate is Fate.Closed or Fate.Resolved && Chance(0.03));
        var unit = returned ? p.Village : PickHandler(p);
        var assignAtTriage = p.Fate != Fate.Triaged && Chance(0.7);
        {
            var assignee = assignAtTriage ? unit.Id : (long?)null;
            p.Add(t, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, assignee, _due, staff, at));
        }
        if (p.Fate == Fate.Triaged)
        {
            return;
        }
        if (!assignAtTriage)
        {
            t = Later(t, 0.3, 4, urgent);
            var assignee = unit;
            p.Add(t, (c, at) => c.Assign(assignee.Id, staff, at));
        }
        if (p.Fate == Fate.Assigned)
        {
            return;
        }

        // 退回: the village finds the matter is not theirs.
        if (returned)
        {
            var from = unit;
            if (Chance(0.5))
            {
                t = Later(t, 1, 8, urgent);
                p.Add(t, (c, at) => c.Start(Handler(from), at));
            }
            t = Later(t, 4, 40, urgent);
            var reason = Pick(DemoTexts.ReturnReasons);
            p.Add(t, (c, at) => c.Return(reason, Handler(from), at));
            if (p.Fate == Fate.Returned)
            {
                return;
            }
            t = Later(t, 1, 6, urgent);
            unit = PickHandler(p, exclude: from);
            var to = unit;
            p.Add(t, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, to.Id, _due, staff, at));
        }

        t = Later(t, urgent ? 0.2 : 0.5, urgent ? 1.5 : 20, urgent);
        {
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }

        // 转办: disputes the village could not settle go to the judicial office; a few others to a specialist unit.
        var targets = TransferTargets(p.CategoryCode).Select(code => _units[code]).Where(u => u.Id != unit.Id).ToList();
        var transfer = targets.Count > 0 && (isDispute ? unit.Kind != OrgUnitKind.Partner && Chance(0.7) : Chance(0.035));
        if (transfer)
        {
            var target = Pick(targets);
            var from = unit;
            var reason = DemoTexts.TransferReason(target.Code);
            t = Later(t, urgent ? 1 : 4, urgent ? 4 : 48, urgent);
            p.Add(t, (c, at) => c.Transfer(target.Id, reason, Handler(from), at));
            unit = target;
            t = Later(t, urgent ? 0.2 : 1, urgent ? 1 : 12, urgent);
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        if (p.Fate == Fate.InProgress)
        {
            return;
        }

        // 办结.
        var firstUnsatisfied = p.Fate is Fate.Reopened or Fate.ClosedAfterReopen;
        var outcome = firstUnsatisfied ? (Chance(0.5) ? Outcome.PartlySolved : Outcome.Explained) : PickOutcome(isDispute);
        t = ResolveTime(t, dueAt, urgent, onTime: isDispute ? 0.95 : 0.93);
        AddResolve(p, t, unit, outcome, null);
        p.FirstResolvedAt = t;
        if (p.Fate == Fate.Resolved)
        {
            return;
        }

        // 回访.
        t = FollowUpTime(t);
        if (!firstUnsatisfied)
        {
            AddFollowUp(p, t, PickSatisfaction(outcome));
            return;
        }
        AddFollowUp(p, t, Satisfaction.Unsatisfied);
        if (p.Fate == Fate.Reopened)
        {
            return;
        }

        // Reopened: handled again, this time to the resident's satisfaction.
        var newDue = _due.DueAt(p.Urgency, t);
        t = Later(t, 1, 8, urgent);
        {
            var again = unit;
            p.Add(t, (c, at) => c.Assign(again.Id, staff, at));
            t = Later(t, 0.5, 12, urgent);
            var by = Handler(again);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        t = ResolveTime(t, newDue, urgent, onTime: 0.9);
        AddResolve(p, t, unit, Outcome.Solved, "针对回访意见重新办理:");
        t = FollowUpTime(t);
        AddFollowUp(p, t, Chance(0.6) ? Satisfaction.BasicallySatisfied : Satisfaction.Satisfied);
    }

    /// <summary>难事要事: topic ledger, deliberation (at a meeting or in the village), handling plan, then the work.</summary>
    private void PlanTopic(Plan p)
    {
        var category = _categories[p.CategoryCode];
        var staff = Staff;
        var t = Office(p.RegisteredAt.AddHours(U(1, 30)));
        p.Add(t, (c, at) => c.Triage(Track.Topic, p.Urgency, category.Id, null, _due, staff, at));
        if (p.Fate == Fate.Ledgered)
        {
            return;
        }

        // 协商议事: the next town deliberation or concentrated-handling meeting, or the village's own forum;
        // else the village council. A topic raised at a meeting keeps that meeting as its reference.
        var meeting = p.FromMeeting is not null ? null : _meetings.FirstOrDefault(m => m.HeldAt > t.AddDays(1) && m.HeldAt <= t.AddDays(14)
            && (m.Kind != MeetingKind.Forum || m.OrgUnitId == p.Village.Id));
        if (meeting is not null && Chance(0.7))
        {
            t = meeting.HeldAt.AddMinutes(_rng.Next(20, 150));
            p.Add(t, (c, at) => c.Deliberate(meeting.Id, Council, at));
        }
        else
        {
            t = Office(t.AddDays(U(1, 5)));
            var cadre = Handler(p.Village);
            p.Add(t, (c, at) => c.Deliberate(null, cadre, at));
        }
        if (p.Fate == Fate.Deliberating)
        {
            return;
        }

        // 办理计划, reported to the town.
        var unit = PickWeighted([(p.Village, 6), (_town, 3), (PickHandler(p), 2)]);
        t = Office(t.AddDays(U(1, 3)));
        {
            var plan = Render(p.Template!.Plan!, p);
            var by = Handler(p.Village);
            p.Add(t, (c, at) => c.Plan(plan, unit.Id, by, at));
        }
        if (p.Fate == Fate.Planned)
        {
            return;
        }
        t = Office(t.AddDays(U(0.5, 2)));
        if (Chance(0.4))
        {
            p.Add(t, (c, at) => c.Assign(unit.Id, staff, at));
            t = Office(t.AddHours(U(2, 30)));
        }
        {
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        // The work itself takes days; hard matters often run past the due date.
        var dueAt = _due.DueAt(p.Urgency, p.RegisteredAt);
        t = dueAt - t > TimeSpan.FromDays(3) && Chance(0.65)
            ? Office(t + TimeSpan.FromDays(U(2, (dueAt - t).TotalDays - 0.5)))
            : Office((dueAt > t ? dueAt : t).AddDays(U(2, 15)));
        var outcome = PickWeighted([(Outcome.Solved, 75), (Outcome.PartlySolved, 18), (Outcome.Explained, 7)]);
        AddResolve(p, t, unit, outcome, null);
        p.FirstResolvedAt = t;
        t = FollowUpTime(t);
        AddFollowUp(p, t, PickSatisfaction(outcome));
    }

    private void PlanRejected(Plan p)
    {
        var template = Pick(DemoTexts.Rejections);
        var (fromDays, toDays) = AgeWindow(p);
        p.CategoryCode = template.Category;
        p.Channel = template.Title == "测试信息" ? Channel.Web
            : template.Title.StartsWith("反映", StringComparison.Ordinal) ? Channel.WeChat
            : PickWeighted([(Channel.WalkIn, 3), (Channel.Hotline, 3), (Channel.Petition, 1), (Channel.Web, 1)]);
        p.Village = Pick(_villages);
        p.Unit = p.Village;
        p.Urgency = p.RegUrgency = Urgency.Normal;
        p.CategoryAtRegistration = Chance(0.5);
        p.Reporter = Resident(p.Village);
        p.Title = template.Title;
        p.Body = template.Description;
        p.RegisteredAt = PickRegistration(p.Channel, p.CategoryCode, _end.AddDays(-fromDays), _end.AddDays(-toDays));
        var staff = Staff;
        var t = p.RegisteredAt;
        if (Chance(0.3))
        {
            t = Office(t.AddHours(U(0.5, 6)));
            var category = _categories[p.CategoryCode];
            p.Add(t, (c, at) => c.Triage(Track.Direct, Urgency.Normal, category.Id, null, _due, staff, at));
        }
        t = Office(t.AddHours(U(1, 40)));
        var reason = template.Reason;
        p.Add(t, (c, at) => c.Reject(reason, staff, at));
    }

    /// <summary>A later report of the survivor's matter by another resident, merged into it while it is handled.</summary>
    private void PlanDuplicate(Plan p, Plan survivor)
    {
        p.Template = survivor.Template;
        p.CategoryCode = survivor.CategoryCode;
        p.Village = survivor.Village;
        p.Unit = survivor.Unit;
        p.Urgency = p.RegUrgency = survivor.RegUrgency;
        p.Channel = PickWeighted([(Channel.Hotline, 8), (Channel.WeChat, 5), (Channel.WalkIn, 4), (Channel.Web, 2), (Channel.LivelihoodPlatform, 1)]);
        p.CategoryAtRegistration = Chance(0.5);
        var reporter = Resident(p.Village);
        if (survivor.Reporter is not null && reporter.Phone == survivor.Reporter.Phone)
        {
            reporter = Resident(p.Village);
        }
        p.Reporter = reporter;
        p.Title = survivor.Title;
        p.Body = survivor.Body;

        var limit = survivor.FirstResolvedAt!.Value;
        var window = TimeSpan.FromTicks(Math.Min((limit - survivor.RegisteredAt).Ticks, TimeSpan.FromDays(10).Ticks));
        var reg = survivor.RegisteredAt + (window * U(0.05, 0.6));
        var snapped = p.Channel is Channel.WalkIn or Channel.LivelihoodPlatform ? Office(reg) : Awake(reg);
        p.RegisteredAt = snapped < limit.AddHours(-2) ? snapped : reg;
        var merge = p.RegisteredAt + ((limit - p.RegisteredAt) * U(0.2, 0.8));
        var mergeAt = Office(merge);
        if (mergeAt >= limit)
        {
            mergeAt = merge;
        }
        var staff = Staff;
        if (Chance(0.4))
        {
            var at0 = p.RegisteredAt + ((mergeAt - p.RegisteredAt) * 0.4);
            var category = _categories[p.CategoryCode];
            p.Add(at0, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, null, _due, staff, at));
        }
        // Tracking codes are drawn once all cases are planned: read the survivor's when the merge happens.
        p.Add(mergeAt, (c, at) => c.MergeInto(survivor.Case!, $"与{survivor.TrackingCode}反映的是同一事项,合并办理。", staff, at));
        p.DeferFrom = mergeAt;
        if (mergeAt < survivor.DeferFrom)
        {
            survivor.DeferFrom = mergeAt;
        }
    }

    private void AddResolve(Plan p, DateTime t, OrgUnit unit, Outcome outcome, string? lead)
    {
        var template = p.Template!;
        var text = outcome switch
        {
            Outcome.Solved => template.Solved,
            Outcome.PartlySolved => template.Partly ?? template.Solved,
            Outcome.Explained => template.Explained ?? template.Partly ?? template.Solved,
        };
        if (outcome != Outcome.Solved && text == template.Solved)
        {
            outcome = Outcome.Solved;
        }
        var result = (lead ?? string.Empty) + Render(text, p);
        var by = Handler(unit);
        p.Add(t, (c, at) => c.Resolve(outcome, result, by, at));
    }

    private void AddFollowUp(Plan p, DateTime t, Satisfaction satisfaction)
    {
        var note = satisfaction switch
        {
            Satisfaction.Satisfied => Pick(DemoTexts.SatisfiedNotes),
            Satisfaction.BasicallySatisfied => Pick(DemoTexts.BasicallySatisfiedNotes),
            Satisfaction.Unsatisfied => Pick(DemoTexts.UnsatisfiedNotes),
        };
        p.Add(t, (c, at) => c.FollowUp(satisfaction, note, _due, Visitor, at));
    }

    private Outcome PickOutcome(bool dispute) => dispute
        ? PickWeighted([(Outcome.Solved, 90), (Outcome.PartlySolved, 6), (Outcome.Explained, 4)])
        : PickWeighted([(Outcome.Solved, 80), (Outcome.PartlySolved, 10), (Outcome.Explained, 10)]);

    private Satisfaction PickSatisfaction(Outcome outcome) => outcome switch
    {
        Outcome.Solved => Chance(0.82) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
        Outcome.PartlySolved => Chance(0.3) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
        Outcome.Explained => Chance(0.25) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
    };

    private OrgUnit PickHandler(Plan p, OrgUnit? exclude = null)
    {
        OrgUnit unit;
        if (p.Template?.Unit is { } preferred && Chance(0.6))
        {
            unit = _units[preferred];
        }
        else
        {
            var code = PickWeighted(Handlers(p.CategoryCode));
            unit = code switch
            {
                "V" => p.Village,
                _ => _units[code],
            };
        }
        if (exclude is not null && unit.Id == exclude.Id)
        {
            unit = exclude.Id == _town.Id ? p.Village : _town;
        }
        return unit;
    }

    private Meeting? PickMeeting(DateTime lo, DateTime hi)
    {
        var fits = _meetings.Where(m => m.HeldAt >= lo && m.HeldAt < hi.AddHours(-3)).ToList();
        return fits.Count == 0 ? null : Pick(fits);
    }

    private Case Register(Plan p)
    {
        var category = _categories[p.CategoryCode];
        var lead = DemoTexts.ChannelLead(p.Channel, p.FromMeeting?.Title);
        var description = p.Body.StartsWith("包村干部", StringComparison.Ordinal) && p.Channel == Channel.CadreVisit
            ? p.Body
            : lead + p.Body;
        var registrar = p.Channel switch
        {
            Channel.Hotline => Operator,
            Channel.WeChat or Channel.Web or Channel.Open311 or Channel.LivelihoodPlatform => DemoActor,
            Channel.CadreVisit => Handler(p.Village),
            _ => IntakeStaff[p.Index % IntakeStaff.Length],
        };
        return Case.Register(
            _town.Id,
            p.Unit.Id,
            p.Channel,
            p.Title,
            description,
            p.RegUrgency,
            p.CategoryAtRegistration ? category.Id : null,
            p.Reporter,
            new GeoLocation(null, null, "甘肃省定西市漳县三岔镇" + (p.Unit.Id == p.Village.Id ? p.Village.Name : p.Unit.Name)),
            ExternalRef(p),
            null,
            p.FromMeeting?.Id,
            p.TrackingCode,
            _due,
            registrar,
            p.RegisteredAt);
    }

    private string? ExternalRef(Plan p)
    {
        var date = _due.LocalDate(p.RegisteredAt).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return p.Channel switch
        {
            Channel.HigherLevel => $"DC{date}{++_externalSeq:D4}",
            Channel.Petition => $"XF{date}{++_externalSeq:D4}",
            Channel.LivelihoodPlatform => $"MS{date}{++_externalSeq:D4}",
            Channel.Open311 => $"311-{++_externalSeq:D6}",
            _ => null,
        };
    }

    private static string Render(string text, Plan p) => text
        .Replace("{v}", p.Village.Name, StringComparison.Ordinal)
        .Replace("{g}", p.Unit.Name, StringComparison.Ordinal);

    // ---------------------------------------------------------------- time

    /// <summary>A registration instant in [lo, hi): office channels on working days in office hours, the others from morning to late evening.</summary>
    private DateTime PickRegistration(Channel channel, string category, DateTime lo, DateTime hi)
    {
        var office = channel is Channel.WalkIn or Channel.CadreVisit or Channel.HigherLevel or Channel.Petition
            or Channel.LivelihoodPlatform or Channel.Meeting;
        var seasonal = hi - lo > TimeSpan.FromDays(60);
        for (var i = 0; i < 80; i++)
        {
            var at = lo + ((hi - lo) * _rng.NextDouble());
            var day = _due.LocalDate(at);
            if (seasonal && _rng.NextDouble() * 3 > MonthWeight(category, day.Month))
            {
                continue;
            }
            if (office && !_due.Calendar.IsWorkingDay(day))
            {
                continue;
            }
            var timeOfDay = office
                ? TimeSpan.FromMinutes(U(8 * 60 + 40, 17 * 60 + 20))
                : channel == Channel.Hotline ? TimeSpan.FromMinutes(U(7 * 60 + 30, 21 * 60 + 30)) : TimeSpan.FromMinutes(U(6 * 60 + 30, 23 * 60 + 30));
            var result = LocalToUtc(day, timeOfDay);
            if (result >= lo && result < hi)
            {
                return result;
            }
        }
        return lo + ((hi - lo) * _rng.NextDouble());
    }

    private DateTime ResolveTime(DateTime t, DateTime dueAt, bool urgent, double onTime)
    {
        if (Chance(onTime) && dueAt > t.AddHours(1))
        {
            var r = t + ((dueAt - t) * U(0.15, 0.85));
            if (!urgent)
            {
                var office = Office(r);
                if (office < dueAt)
                {
                    r = office;
                }
            }
            return r;
        }
        var late = (dueAt > t ? dueAt : t).AddHours(U(4, 24 * 6));
        return urgent ? late : Office(late);
    }

    private DateTime FollowUpTime(DateTime resolvedAt) => Office(resolvedAt.AddDays(U(1, 6)));

    private DateTime Later(DateTime t, double minHours, double maxHours, bool anyHour)
    {
        var next = t.AddHours(U(minHours, maxHours));
        return anyHour ? next : Office(next);
    }

    /// <summary>The instant itself when the office is open, else some time in the office hours of the next working day.</summary>
    private DateTime Office(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _due.Zone);
        var day = DateOnly.FromDateTime(local);
        var time = local.TimeOfDay;
        var opens = new TimeSpan(8, 30, 0);
        var closes = new TimeSpan(17, 30, 0);
        var working = _due.Calendar.IsWorkingDay(day);
        if (working && time >= opens && time < closes)
        {
            return utc;
        }
        if (!working || time >= closes)
        {
            do
            {
                day = day.AddDays(1);
            }
            while (!_due.Calendar.IsWorkingDay(day));
        }
        // Most of what waits overnight is done in the morning.
        return LocalToUtc(day, opens + TimeSpan.FromMinutes(Chance(0.6) ? _rng.Next(0, 180) : _rng.Next(0, 480)));
    }

    /// <summary>The instant itself between 07:30 and 21:30 local (when people call), else the next office opening.</summary>
    private DateTime Awake(DateTime utc)
    {
        var time = TimeZoneInfo.ConvertTimeFromUtc(utc, _due.Zone).TimeOfDay;
        return time >= new TimeSpan(7, 30, 0) && time < new TimeSpan(21, 30, 0) ? utc : Office(utc);
    }

    private DateTime LocalToUtc(DateOnly day, TimeSpan timeOfDay) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay, _due.Zone);

    // ---------------------------------------------------------------- randomness

    private double U(double min, double max) => min + (_rng.NextDouble() * (max - min));

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private T PickWeighted<T>((T Item, int Weight)[] items)
    {
        var roll = _rng.Next(items.Sum(i => i.Weight));
        foreach (var (item, weight) in items)
        {
            if (roll < weight)
            {
                return item;
            }
            roll -= weight;
        }
        return items[^1].Item;
    }

    /// <summary>Mostly the template's urgency, sometimes one step either way.</summary>
    private Urgency Near(Urgency typical)
    {
        var roll = _rng.NextDouble();
        var shift = roll < 0.15 ? -1 : roll < 0.85 ? 0 : 1;
        return (Urgency)Math.Clamp((int)typical + shift, (int)Urgency.Urgent, (int)Urgency.Low);
    }

    private void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
