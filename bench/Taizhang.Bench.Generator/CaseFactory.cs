using System.Reflection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Demo;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Bench.Generator;

internal sealed record GeneratedCase(long Id, Case Case);

/// <summary>
/// Builds the county's cases in registration order (ids ascending with time), each taken through
/// its lifecycle by the domain's own methods up to "now": old cases are mostly closed, recent ones
/// open, a few stall and run overdue. Deterministic for a given seed, count and "now".
/// Channels and categories are drawn with the demo's weights (<see cref="DemoCatalogue"/>) and the
/// texts are the demo's (<see cref="DemoTexts"/>); the lifecycles are the bench's own, simpler than
/// the demo's planned year.
/// </summary>
internal sealed class CaseFactory
{
    private static readonly PropertyInfo IdProperty = typeof(Case).GetProperty(nameof(Case.Id))!;

    /// <summary>The first day of the generated history (the shipped holiday calendars start in 2025).</summary>
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The demo's category weights but for family and marriage disputes: the demo draws those at 2 and
    /// adds the article's 4 and 3 (a quota) and a family-dispute forum, about 1 % and 0.7 % of its year
    /// in the end. The county has no quota and no forums, so it draws them at those shares directly.
    /// </summary>
    private static readonly (string Code, int Weight)[] CategoryWeights =
    [
        .. DemoCatalogue.CategoryWeights.Select(c => c.Code switch
        {
            "dispute-family" => (c.Code, 12),
            "dispute-marriage" => (c.Code, 8),
            _ => c,
        }),
    ];

    private static readonly string[] Numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

    private readonly Random _rng;
    private readonly County _county;
    private readonly DuePolicy _due;
    private readonly DateTime _now;
    private readonly DateTime _end;
    private readonly int _count;
    private readonly byte[] _codeKey;
    private readonly Dictionary<string, CaseTemplate[]> _rural;
    private readonly Dictionary<string, CaseTemplate[]> _urban;
    private readonly int _channelTotal = DemoCatalogue.ChannelWeights.Sum(c => c.Weight);
    private readonly int _categoryTotal = CategoryWeights.Sum(c => c.Weight);
    private long _next = 1;

    public CaseFactory(int seed, County county, DuePolicy due, DateTime nowUtc, int count, byte[] codeKey)
    {
        _rng = new Random(seed);
        _codeKey = codeKey;
        _county = county;
        _due = due;
        _now = nowUtc;
        // Registrations run up to the end of yesterday (local): "this month" and "overdue" mean what they mean today.
        _end = due.EndOfLocalDay(due.LocalDate(nowUtc).AddDays(-1));
        _count = count;
        var all = DemoTexts.Templates;
        _rural = CategoryWeights.ToDictionary(c => c.Code, c => Pick(all.Where(t => t.Category == c.Code && !t.Urban).ToArray(), all, c.Code));
        _urban = CategoryWeights.ToDictionary(c => c.Code, c => Pick(all.Where(t => t.Category == c.Code && t.Urban).ToArray(), all, c.Code));
    }

    private static CaseTemplate[] Pick(CaseTemplate[] preferred, CaseTemplate[] all, string category) =>
        preferred.Length > 0 ? preferred
        : all.Where(t => t.Category == category).ToArray() is { Length: > 0 } any ? any
        : all.Where(t => t.Category == "other").ToArray();

    public Dictionary<CaseStatus, int> StatusCounts { get; } = [];

    public bool HasMore => _next <= _count;

    /// <summary>Adds the next case, or the next two when the second is a duplicate merged into the first.</summary>
    public void Next(List<GeneratedCase> into)
    {
        var id = _next++;
        var at = RegistrationTime(id);
        var village = _county.Villages[_rng.Next(_county.Villages.Count)];
        var town = _county.ByCode[village.Code[..3]];
        if (_next <= _count && _rng.NextDouble() < 0.02)
        {
            // A repeat of the same matter from another resident, merged into the first at triage.
            var survivor = Register(id, village, town, at, out var template);
            var dupId = _next++;
            var dupAt = at.AddMinutes(10 + _rng.Next(120));
            var duplicate = RegisterFrom(dupId, village, town, dupAt, template);
            var mergeAt = dupAt.AddHours(1 + _rng.NextDouble() * 20);
            if (mergeAt <= _now)
            {
                duplicate.MergeInto(survivor, DemoTexts.MergeReason(survivor.TrackingCode), Staff(town), mergeAt);
                Live(survivor, village, town, template, mergeAt);
            }
            else
            {
                Live(survivor, village, town, template, dupAt);
            }
            Add(into, id, survivor);
            Add(into, dupId, duplicate);
            return;
        }
        if (_rng.NextDouble() < 0.03)
        {
            var reject = DemoTexts.Rejections[_rng.Next(DemoTexts.Rejections.Length)];
            var channel = NextChannel();
            var rejected = Case.Register(town.Id, village.Id, channel, reject.Title, Lead(channel, village) + reject.Description, Urgency.Normal,
                _county.CategoryIds[reject.Category], Reporter(), null, null, null, null, NewCode(id), _due, Staff(town), at);
            IdProperty.SetValue(rejected, id);
            var rejectAt = at.AddHours(1 + _rng.NextDouble() * 70);
            if (rejectAt <= _now)
            {
                rejected.Reject(reject.Reason, Staff(town), rejectAt);
            }
            Add(into, id, rejected);
            return;
        }
        var c = Register(id, village, town, at, out var t);
        Live(c, village, town, t, at);
        Add(into, id, c);
    }

    private void Add(List<GeneratedCase> into, long id, Case c)
    {
        into.Add(new GeneratedCase(id, c));
        StatusCounts[c.Status] = StatusCounts.GetValueOrDefault(c.Status) + 1;
    }

    private DateTime RegistrationTime(long id)
    {
        // Spread evenly over the days, within office hours (08:00–20:00 Beijing = 00:00–12:00 UTC).
        var days = (_end - Start).TotalDays;
        var position = (id - 1) / (double)_count * Math.Floor(days);
        var day = Math.Floor(position);
        var at = Start.AddDays(day).AddHours((position - day) * 12);
        return at > _now ? _now.AddMinutes(-1) : at;
    }

    private Case Register(long id, Unit village, Unit town, DateTime at, out CaseTemplate template)
    {
        var category = Weighted(CategoryWeights, _categoryTotal);
        // The demo has one community and sends every urban template there; the county has one in eight
        // villages urban, so those draw mostly urban matters and the villages only rural ones.
        var pool = village.Urban && _rng.NextDouble() < 0.6 ? _urban[category] : _rural[category];
        template = pool[_rng.Next(pool.Length)];
        return RegisterFrom(id, village, town, at, template);
    }

    private Case RegisterFrom(long id, Unit village, Unit town, DateTime at, CaseTemplate template)
    {
        var channel = NextChannel();
        var group = $"{village.Name}{Numerals[_rng.Next(Numerals.Length)]}{(village.Name.EndsWith("社区", StringComparison.Ordinal) ? "网格" : "组")}";
        var title = DemoTexts.Fill(template.Title, village.Name, group);
        var description = DemoTexts.Fill(template.Description, village.Name, group);
        var urgency = _rng.NextDouble() < 0.15 ? (Urgency)_rng.Next(4) : template.Urgency;
        var withReporter = channel is Channel.Meeting or Channel.CadreVisit ? _rng.NextDouble() < 0.5 : _rng.NextDouble() < 0.95;
        var externalRef = channel switch
        {
            Channel.LivelihoodPlatform => $"MS{id:D9}",
            Channel.Open311 => $"311-{id:D9}",
            Channel.HigherLevel => $"DC{id:D9}",
            _ => null,
        };
        var actor = channel is Channel.Hotline ? Hotline : Staff(town);
        var c = Case.Register(town.Id, village.Id, channel, title, Lead(channel, village) + description,
            urgency, _county.CategoryIds[template.Category], withReporter ? Reporter() : null, null, externalRef, null, null,
            NewCode(id), _due, actor, at);
        IdProperty.SetValue(c, id);
        if (_rng.NextDouble() < 0.05 && at.AddHours(2) <= _now)
        {
            c.AddReporter(Reporter(), actor, at.AddMinutes(30 + _rng.Next(90)));
        }
        return c;
    }

    /// <summary>The demo's channel lead; a meeting item names the village's own council meeting.</summary>
    private static string Lead(Channel channel, Unit village) => DemoTexts.ChannelLead(channel, village.Name + "村民议事会");

    /// <summary>Takes a registered case as far through its lifecycle as the time since <paramref name="from"/> allows.</summary>
    private void Live(Case c, Unit village, Unit town, CaseTemplate template, DateTime from)
    {
        var t = from;
        var stalled = _rng.NextDouble() < 0.04;
        var stallAfter = _rng.Next(6);
        var steps = 0;
        bool Go(double minHours, double maxHours)
        {
            var next = t.AddHours(minHours + _rng.NextDouble() * (maxHours - minHours));
            if (next > _now || (stalled && steps++ >= stallAfter))
            {
                return false;
            }
            t = next;
            return true;
        }
        var staff = Staff(town);
        var cadre = Cadre(village);
        var assignee = _county.FromDemoCode(template.Unit, town) ?? (_rng.NextDouble() < 0.75 ? village : town);
        var urgency = _rng.NextDouble() < 0.1 ? (Urgency)_rng.Next(4) : c.Urgency;
        var category = _county.CategoryIds[template.Category];

        if (template.Plan is { } plan && _rng.NextDouble() < 0.5)
        {
            if (!Go(1, 30)) { return; }
            c.Triage(Track.Topic, urgency, category, null, _due, staff, t);
            if (!Go(48, 400)) { return; }
            c.Deliberate(null, Council, t);
            if (!Go(24, 120)) { return; }
            c.Plan(plan, assignee.Id, Council, t);
        }
        else
        {
            if (!Go(0.5, 30)) { return; }
            c.Triage(Track.Direct, urgency, category, assignee.Id, _due, staff, t);
        }
        if (!Go(1, 48)) { return; }
        c.Start(cadre, t);
        if (_rng.NextDouble() < 0.03)
        {
            if (!Go(2, 72)) { return; }
            c.Return(DemoTexts.ReturnReasons[_rng.Next(DemoTexts.ReturnReasons.Length)], cadre, t);
            if (!Go(1, 24)) { return; }
            var other = assignee.Id == town.Id ? village : town;
            c.Triage(Track.Direct, c.Urgency, category, other.Id, _due, staff, t);
            if (!Go(1, 48)) { return; }
            c.Start(cadre, t);
        }
        else if (_rng.NextDouble() < 0.03)
        {
            var to = _county.ByCode[town.Code + "-SFS"];
            if (to.Id != c.AssigneeUnitId)
            {
                if (!Go(2, 72)) { return; }
                c.Transfer(to.Id, $"事项涉及{to.Name}职责,转{to.Name}办理。", cadre, t);
                if (!Go(1, 48)) { return; }
                c.Start(cadre, t);
            }
        }
        if (!Resolve(c, template, cadre, ref t, Go)) { return; }
        if (!Go(24, 168)) { return; }
        var verdict = _rng.NextDouble();
        if (verdict < 0.05)
        {
            c.FollowUp(Satisfaction.Unsatisfied, DemoTexts.UnsatisfiedNotes[_rng.Next(DemoTexts.UnsatisfiedNotes.Length)], _due, Visitor, t);
            if (!Go(1, 24)) { return; }
            c.Triage(Track.Direct, c.Urgency, category, c.AssigneeUnitId ?? assignee.Id, _due, staff, t);
            if (!Go(1, 48)) { return; }
            c.Start(cadre, t);
            if (!Resolve(c, template, cadre, ref t, Go)) { return; }
            if (!Go(24, 168)) { return; }
            verdict = 0.5;
        }
        if (verdict < 0.82)
        {
            c.FollowUp(Satisfaction.Satisfied, DemoTexts.SatisfiedNotes[_rng.Next(DemoTexts.SatisfiedNotes.Length)], _due, Visitor, t);
        }
        else
        {
            c.FollowUp(Satisfaction.BasicallySatisfied, DemoTexts.BasicallySatisfiedNotes[_rng.Next(DemoTexts.BasicallySatisfiedNotes.Length)], _due, Visitor, t);
        }
    }

    private delegate bool Step(double minHours, double maxHours);

    private bool Resolve(Case c, CaseTemplate template, Actor cadre, ref DateTime t, Step go)
    {
        // Most cases are resolved within their deadline; about one in eight runs late.
        var left = (c.DueAt - t).TotalHours;
        var late = _rng.NextDouble() < 0.12 || left < 2;
        var ok = late ? go(Math.Max(left, 1) + 1, Math.Max(left, 1) + 240) : go(0.2 * left, 0.95 * left);
        if (!ok)
        {
            return false;
        }
        var roll = _rng.NextDouble();
        if (roll < 0.12 && template.Partly is { } partly)
        {
            c.Resolve(Outcome.PartlySolved, partly, cadre, t);
        }
        else if (roll > 0.92 && template.Explained is { } explained)
        {
            c.Resolve(Outcome.Explained, explained, cadre, t);
        }
        else
        {
            c.Resolve(Outcome.Solved, template.Solved, cadre, t);
        }
        return true;
    }

    private static readonly Actor Hotline = new(ActorKind.ApiClient, "client:1", "12345政务服务热线");
    private static readonly Actor Council = new(ActorKind.User, "user:council", "镇协商议事办公室");
    private static readonly Actor Visitor = new(ActorKind.User, "user:visitor", "回访员 李娟");

    private static Actor Staff(Unit town) => new(ActorKind.User, "user:staff-" + town.Code, town.Name + "受理员");

    private static Actor Cadre(Unit village) => new(ActorKind.User, "user:cadre-" + village.Code, village.Name + "干部");

    private Channel NextChannel() => Weighted(DemoCatalogue.ChannelWeights, _channelTotal);

    private T Weighted<T>((T Value, int Weight)[] choices, int total)
    {
        var roll = _rng.Next(total);
        foreach (var (value, weight) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }
        return choices[^1].Value;
    }

    private ReporterInfo Reporter()
    {
        var female = _rng.Next(2) == 0;
        var given = female ? DemoTexts.GivenFemale : DemoTexts.GivenMale;
        var name = DemoTexts.Surnames[_rng.Next(DemoTexts.Surnames.Length)] + given[_rng.Next(given.Length)];
        var phone = DemoTexts.MobilePrefixes[_rng.Next(DemoTexts.MobilePrefixes.Length)] + _rng.Next(100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        return new ReporterInfo(name, phone);
    }

    /// <summary>The case's code, derived from its id as the app derives it (TrackingCodes.FromId) under the key stored with the data.</summary>
    private string NewCode(long id) => TrackingCodes.FromId(_codeKey, id);
}
