using System.Globalization;
using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Plans;

/// <summary>One step of a plan as it is typed: what, by which unit, by when, and a note.</summary>
public sealed record PlanStepInput(string Title, long UnitId, DateOnly TargetDate, string? Note = null);

/// <summary>
/// 办理计划: the plan of one topic (议题), a list of steps, each with a responsible unit, a target
/// date (Asia/Shanghai) and its progress. The case's due date follows the last target date
/// (<see cref="LastTargetDate"/>); a step's progress and completion are also events on the case
/// (<c>Case.RecordPlanProgress</c>, called in the same save). The figures the topic ledger filters
/// and sorts by (steps done, overall progress, the next open step's date) are kept on the plan's row.
/// </summary>
public sealed class HandlingPlan
{
    public const int SummaryMaxLength = 4000;
    public const int StepTitleMaxLength = 200;
    public const int NoteMaxLength = 1000;
    public const int MaxSteps = 30;

    private readonly List<PlanStep> _steps = [];

    private HandlingPlan()
    {
        Summary = string.Empty;
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }
    public long CaseId { get; private set; }
    public string Summary { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>How many times the plan was made again (0 for the first plan).</summary>
    public int Amendments { get; private set; }

    public int StepCount { get; private set; }
    public int StepsDone { get; private set; }

    /// <summary>The mean of the steps' progress, 0–100.</summary>
    public int OverallProgress { get; private set; }

    /// <summary>The earliest target date of a step not yet completed (null when all are done): a step is overdue when this is before today.</summary>
    public DateOnly? NextTargetDate { get; private set; }

    /// <summary>The plan's last target date: the case's due date follows it.</summary>
    public DateOnly LastTargetDate { get; private set; }

    public IReadOnlyList<PlanStep> Steps => _steps;

    public static HandlingPlan Create(long townId, long caseId, string summary, IReadOnlyList<PlanStepInput> steps, DateOnly today, DateTime at)
    {
        Utc(at);
        var plan = new HandlingPlan { TownId = townId, CaseId = caseId, CreatedAt = at };
        plan.Apply(summary, steps, today, at);
        return plan;
    }

    /// <summary>
    /// The plan made again: the steps become <paramref name="steps"/>, in order. A step keeps its
    /// progress and completion when its number, title and unit stay; a step left out is gone. A target
    /// date before today is refused unless it is the date the step already had.
    /// </summary>
    public void Amend(string summary, IReadOnlyList<PlanStepInput> steps, DateOnly today, DateTime at)
    {
        Utc(at);
        Apply(summary, steps, today, at);
        Amendments++;
    }

    private void Apply(string summary, IReadOnlyList<PlanStepInput> steps, DateOnly today, DateTime at)
    {
        Check(summary, steps, today);
        Summary = summary.Trim();
        var kept = new List<PlanStep>();
        for (var i = 0; i < steps.Count; i++)
        {
            var input = steps[i];
            var existing = _steps.FirstOrDefault(s => s.Number == i + 1);
            if (existing is not null && existing.Title == input.Title.Trim() && existing.UnitId == input.UnitId)
            {
                existing.Reschedule(input.TargetDate, input.Note?.Trim());
                kept.Add(existing);
            }
            else
            {
                kept.Add(new PlanStep(TownId, CaseId, i + 1, input.Title.Trim(), input.UnitId, input.TargetDate, NullIfEmpty(input.Note)));
            }
        }
        _steps.RemoveAll(s => !kept.Contains(s));
        foreach (var s in kept.Where(s => !_steps.Contains(s)))
        {
            _steps.Add(s);
        }
        UpdatedAt = at;
        Recount();
    }

    /// <summary>All the checks of a plan before any change: each refusal names the field it belongs to.</summary>
    private void Check(string summary, IReadOnlyList<PlanStepInput> steps, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            throw new DomainRuleException("field.required", "summary is required.", field: "summary");
        }
        if (summary.Trim().Length > SummaryMaxLength)
        {
            throw TooLong("summary", SummaryMaxLength);
        }
        if (steps.Count == 0)
        {
            throw new DomainRuleException("plan.no-steps", "A plan needs at least one step.", field: "steps");
        }
        if (steps.Count > MaxSteps)
        {
            throw new DomainRuleException("plan.too-many-steps", $"A plan has at most {MaxSteps} steps.",
                new Dictionary<string, string> { ["max"] = MaxSteps.ToString(CultureInfo.InvariantCulture) }, field: "steps");
        }
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (string.IsNullOrWhiteSpace(s.Title))
            {
                throw new DomainRuleException("field.required", "A step needs a title.", field: $"steps[{i}].title");
            }
            if (s.Title.Trim().Length > StepTitleMaxLength)
            {
                throw TooLong($"steps[{i}].title", StepTitleMaxLength);
            }
            if (s.Note is not null && s.Note.Trim().Length > NoteMaxLength)
            {
                throw TooLong($"steps[{i}].note", NoteMaxLength);
            }
            var had = _steps.FirstOrDefault(x => x.Number == i + 1 && x.TargetDate == s.TargetDate);
            if (s.TargetDate < today && had is null)
            {
                throw new DomainRuleException("plan.target-date-past", "A step's target date cannot be before today.",
                    new Dictionary<string, string> { ["today"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                    field: $"steps[{i}].targetDate");
            }
        }
    }

    /// <summary>
    /// A step's progress (0–100), or its completion (progress 100). A completed step does not go back:
    /// the plan is amended instead (a new step), so the record of what was done stays as it was.
    /// </summary>
    public PlanStep ReportProgress(int number, int progress, bool completed, string? note, DateTime at)
    {
        Utc(at);
        var step = _steps.FirstOrDefault(s => s.Number == number)
            ?? throw new DomainRuleException("plan.unknown-step", "The plan has no such step.",
                new Dictionary<string, string> { ["step"] = number.ToString(CultureInfo.InvariantCulture) }, field: "step");
        if (progress is < 0 or > 100)
        {
            throw new DomainRuleException("case.plan-progress-range", "Progress is between 0 and 100.", field: "progress");
        }
        if (note is not null && note.Trim().Length > NoteMaxLength)
        {
            throw TooLong("note", NoteMaxLength);
        }
        if (step.CompletedAt is not null)
        {
            throw new DomainRuleException("plan.step-completed", "The step is already completed; amend the plan to add a new step.",
                new Dictionary<string, string> { ["step"] = number.ToString(CultureInfo.InvariantCulture) }, field: "progress");
        }
        step.Report(completed || progress == 100 ? 100 : progress, completed || progress == 100, NullIfEmpty(note), at);
        UpdatedAt = at;
        Recount();
        return step;
    }

    /// <summary>The first step not completed whose target date is before <paramref name="today"/>, with how many days it is late.</summary>
    public (PlanStep Step, int Days)? FirstOverdue(DateOnly today) => _steps
        .Where(s => s.CompletedAt is null && s.TargetDate < today)
        .OrderBy(s => s.TargetDate).ThenBy(s => s.Number)
        .Select(s => ((PlanStep, int)?)(s, today.DayNumber - s.TargetDate.DayNumber))
        .FirstOrDefault();

    private void Recount()
    {
        StepCount = _steps.Count;
        StepsDone = _steps.Count(s => s.CompletedAt is not null);
        OverallProgress = StepCount == 0 ? 0 : (int)Math.Round(_steps.Average(s => (double)s.Progress), MidpointRounding.AwayFromZero);
        NextTargetDate = _steps.Where(s => s.CompletedAt is null).Select(s => (DateOnly?)s.TargetDate).Min();
        LastTargetDate = _steps.Max(s => s.TargetDate);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static DomainRuleException TooLong(string field, int max) =>
        new("field.too-long", $"{field} is longer than {max} characters.",
            new Dictionary<string, string> { ["max"] = max.ToString(CultureInfo.InvariantCulture) }, field);
}

/// <summary>A step of a <see cref="HandlingPlan"/>: numbered from 1 in the plan's order.</summary>
public sealed class PlanStep
{
    private PlanStep()
    {
        Title = string.Empty;
    }

    internal PlanStep(long townId, long caseId, int number, string title, long unitId, DateOnly targetDate, string? note)
    {
        TownId = townId;
        CaseId = caseId;
        Number = number;
        Title = title;
        UnitId = unitId;
        TargetDate = targetDate;
        Note = note;
    }

    public long Id { get; private set; }
    public long PlanId { get; private set; }
    public long TownId { get; private set; }
    public long CaseId { get; private set; }
    public int Number { get; private set; }
    public string Title { get; private set; }

    /// <summary>The responsible unit (责任单位).</summary>
    public long UnitId { get; private set; }

    /// <summary>The target date, a day in Asia/Shanghai.</summary>
    public DateOnly TargetDate { get; private set; }
    public int Progress { get; private set; }
    public string? Note { get; private set; }
    public DateTime? CompletedAt { get; private set; }
    public DateTime? ProgressAt { get; private set; }

    public bool Completed => CompletedAt is not null;

    public bool IsOverdue(DateOnly today) => CompletedAt is null && TargetDate < today;

    internal void Reschedule(DateOnly targetDate, string? note)
    {
        TargetDate = targetDate;
        Note = string.IsNullOrWhiteSpace(note) ? Note : note;
    }

    internal void Report(int progress, bool completed, string? note, DateTime at)
    {
        Progress = progress;
        Note = note ?? Note;
        ProgressAt = at;
        if (completed)
        {
            CompletedAt = at;
        }
    }
}
