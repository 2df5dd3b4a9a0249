using Taizhang.Web.Features.Plans;

namespace Taizhang.Web.Pages.Cases;

/// <summary>The plan editor (制定 / 修改办理计划): a summary and rows of steps; blank rows at the end are left out.</summary>
public sealed class PlanEditForm
{
    /// <summary>Blank rows offered below the steps (more with the "add a row" button, or by saving and editing again).</summary>
    public const int BlankRows = 3;

    public string? Summary { get; set; }
    public string? AssigneeUnit { get; set; }
    public List<PlanStepForm> Steps { get; set; } = [];

    public SavePlan.Request ToRequest()
    {
        var steps = Steps.ToList();
        // Only trailing blank rows are dropped, so a refused row keeps its number (Steps[2] is the third row typed).
        while (steps.Count > 0 && steps[^1].IsBlank)
        {
            steps.RemoveAt(steps.Count - 1);
        }
        return new SavePlan.Request(Summary, AssigneeUnit, steps.Select(s => new SavePlan.Step(s.Title, s.Unit, s.TargetDate, s.Note)).ToList());
    }

    public static PlanEditForm Of(PlanView? plan, string? assigneeUnit)
    {
        var form = new PlanEditForm { Summary = plan?.Summary, AssigneeUnit = assigneeUnit };
        if (plan is not null)
        {
            form.Steps.AddRange(plan.Steps.Select(s => new PlanStepForm
            {
                Title = s.Title,
                Unit = s.Unit?.Code,
                TargetDate = s.TargetDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Note = s.Note,
            }));
        }
        return form.WithBlankRows();
    }

    public PlanEditForm WithBlankRows()
    {
        var blanks = Steps.Count(s => s.IsBlank);
        for (var i = blanks; i < BlankRows; i++)
        {
            Steps.Add(new PlanStepForm());
        }
        return this;
    }
}

public sealed class PlanStepForm
{
    public string? Title { get; set; }
    public string? Unit { get; set; }
    public string? TargetDate { get; set; }
    public string? Note { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Unit) && string.IsNullOrWhiteSpace(TargetDate)
        && string.IsNullOrWhiteSpace(Note);
}

/// <summary>A step's progress report (进展): a percentage, or done, with a note.</summary>
public sealed class PlanProgressForm
{
    public int Step { get; set; }
    public string? Progress { get; set; }
    public bool Completed { get; set; }
    public string? Note { get; set; }
}

/// <summary>What the plan section shows: the plan, what the reader may do, and a refused progress report with its messages.</summary>
public sealed record PlanSectionView(long CaseId, PlanView? Plan, bool MayPlan, bool MayReport, bool IsTopic, string? LegacyPlan,
    PlanProgressForm? Posted = null, IReadOnlyDictionary<string, string>? Errors = null, bool OnPlanPage = false)
{
    public string? ErrorOf(string key) => Errors is not null && Errors.TryGetValue(key, out var m) ? m : null;
}
