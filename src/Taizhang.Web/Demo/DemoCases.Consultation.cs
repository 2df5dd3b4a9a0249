// The demo's consultation work (issue 15) beyond the meetings' records: the bodies that sit (a town
// 议事会, and each village's 议事会 and 村民代表会议 with their members), handling plans with steps
// for every topic that was planned, and a few stories told whole after the year: 马家村's ledgered
// topics waiting for the cadre's next meeting, its 议事会's decision on the public page (objections
// open) with an older decision and a result in the archive, a topic waiting past the ledger's wait
// period, and two marriage disputes mediated by the judicial office (one settled and resolved, one
// with a written agreement waiting for performance). Drawn from a Random of its own.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Mediation;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>A topic's plan with steps, built with the case's story and saved once the case has its id.</summary>
    private sealed class HandlingDraft(string summary, DateTime at)
    {
        public string Summary { get; } = summary;
        public DateTime At { get; } = at;
        public List<PlanStepInput> Steps { get; set; } = [];
        public List<(DateTime At, int Number, string? Note)> Done { get; } = [];
        public DateOnly Last => Steps.Max(s => s.TargetDate);
    }

    private Random _consultRng = new(0);
    private readonly Dictionary<(long Unit, BodyKind Kind), Body> _bodies = [];

    private static readonly string[] StepNotes = ["已按计划完成", "已完成，群众无异议", "现场查看，已落实", "已完成并报镇上备案"];

    private double CU(double min, double max) => min + (_consultRng.NextDouble() * (max - min));

    /// <summary>The town's 议事会 (the council of 25), and each village's 议事会 (9–13) and 村民代表会议 (15–21).</summary>
    private void CreateBodies(DateTime at)
    {
        var town = new Body(_town.Id, _town.Id, BodyKind.DeliberationCouncil, "三岔镇协商议事会", null, null, at);
        foreach (var name in _townCouncil)
        {
            town.AddMember(name, "议事会成员", null, at);
        }
        _bodies[(_town.Id, BodyKind.DeliberationCouncil)] = town;
        foreach (var v in _villages)
        {
            var council = new Body(_town.Id, v.Id, BodyKind.DeliberationCouncil, v.Name + "议事会", null, null, at);
            council.AddMember(MemberName(), "党支部书记", null, at);
            council.AddMember(MemberName(), "村委会主任", null, at);
            foreach (var m in _councilMembers.GetValueOrDefault(v.Id) ?? [])
            {
                council.AddMember(m.Name, "镇议事会成员", null, at);
            }
            var size = 9 + _recordRng.Next(5);
            string[] posts = ["村民代表", "党员代表", "乡贤", "老干部代表", "妇女代表"];
            while (council.Members.Count < size)
            {
                council.AddMember(MemberName(), R(posts), null, at);
            }
            _bodies[(v.Id, BodyKind.DeliberationCouncil)] = council;

            var reps = new Body(_town.Id, v.Id, BodyKind.RepresentativesAssembly, v.Name + "村民代表会议", null, null, at);
            var count = 15 + _recordRng.Next(7);
            for (var i = 0; i < count; i++)
            {
                reps.AddMember(MemberName(), $"{(i % 2 == 0 ? "一" : "二")}组村民代表", null, at);
            }
            _bodies[(v.Id, BodyKind.RepresentativesAssembly)] = reps;
        }
    }

    /// <summary>2–3 steps with units and target dates from the plan's day; the case's due date is the last.</summary>
    private List<PlanStepInput> PlanSteps(Plan p, OrgUnit unit, DateOnly from, DateOnly last)
    {
        var n = last.DayNumber - from.DayNumber >= 10 && _consultRng.NextDouble() < 0.6 ? 3 : 2;
        var titles = n == 3
            ? new[] { "入户摸底，征求群众意见", "组织实施：" + p.Title, "验收并公示办理结果" }
            : ["制定实施方案并组织实施", "验收并向群众反馈结果"];
        var units = n == 3 ? new[] { p.Village, unit, _town } : [unit, p.Village];
        var steps = new List<PlanStepInput>();
        for (var i = 0; i < n; i++)
        {
            var day = i == n - 1 ? last : from.AddDays(Math.Max(1, (last.DayNumber - from.DayNumber) * (i + 1) / n));
            var title = titles[i].Length > HandlingPlan.StepTitleMaxLength ? titles[i][..HandlingPlan.StepTitleMaxLength] : titles[i];
            steps.Add(new PlanStepInput(title, units[i].Id, day, null));
        }
        return steps;
    }

    /// <summary>The plans with steps of the year's topics, once the cases have ids (same calls as the plan API).</summary>
    private void SaveHandlingPlans(TaizhangDb db, IEnumerable<Plan> plans)
    {
        foreach (var p in plans.Where(p => p.Handling is not null && p.Case is not null))
        {
            var h = p.Handling!;
            var plan = HandlingPlan.Create(p.Case!.TownId, p.Case.Id, h.Summary, h.Steps, _due.LocalDate(h.At), h.At);
            foreach (var (at, number, note) in h.Done.OrderBy(d => d.At))
            {
                plan.ReportProgress(number, 100, true, note, at);
            }
            db.Add(plan);
        }
    }

    /// <summary>The plan step of a topic's story: the plan is made at <paramref name="t"/>; its steps are filled in later.</summary>
    private HandlingDraft PlanWithSteps(Plan p, OrgUnit unit, string summary, Actor by, DateTime t)
    {
        var draft = new HandlingDraft(summary, t);
        p.Handling = draft;
        p.Add(t, (c, at) => c.Plan(summary, unit.Id, by, at, _due, draft.Last));
        return draft;
    }

    /// <summary>A plan still open at the end of the year: the first step done; an overdue one has its next step past its target date.</summary>
    private void OpenPlanSteps(Plan p, OrgUnit unit, HandlingDraft draft)
    {
        var from = _due.LocalDate(draft.At);
        var endDay = _due.LocalDate(_end);
        var last = p.Overdue ? Max(from.AddDays(4), endDay.AddDays(-3)) : endDay.AddDays(10 + _consultRng.Next(20));
        draft.Steps = PlanSteps(p, unit, from, last);
        var first = draft.Steps[0];
        var doneAt = LocalToUtc(Min(first.TargetDate, endDay), new TimeSpan(10, 0, 0));
        if (doneAt > draft.At && doneAt < _end)
        {
            AddStepDone(p, draft, 1, doneAt, Handler(unit));
        }
    }

    /// <summary>A plan carried out: every step done between the start of the work and its result.</summary>
    private void DonePlanSteps(Plan p, OrgUnit unit, HandlingDraft draft, DateTime started, DateTime resolved)
    {
        var from = _due.LocalDate(draft.At);
        var resolvedDay = _due.LocalDate(resolved);
        var last = Max(from.AddDays(3), resolvedDay.AddDays(_consultRng.NextDouble() < 0.8 ? _consultRng.Next(0, 5) : -2));
        draft.Steps = PlanSteps(p, unit, from, last);
        for (var i = 0; i < draft.Steps.Count; i++)
        {
            var at = started + ((resolved - started) * ((i + 0.6) / (draft.Steps.Count + 0.2)));
            AddStepDone(p, draft, i + 1, at, Handler(unit));
        }
    }

    private void AddStepDone(Plan p, HandlingDraft draft, int number, DateTime at, Actor by)
    {
        var note = StepNotes[_consultRng.Next(StepNotes.Length)];
        draft.Done.Add((at, number, note));
        var title = draft.Steps[number - 1].Title;
        p.Add(at, (c, when) => c.RecordPlanProgress(number, title, 100, true, note, by, when));
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
