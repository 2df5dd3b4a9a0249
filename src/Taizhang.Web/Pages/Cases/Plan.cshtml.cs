using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Plans;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// 办理计划 of one topic: the plan with its steps, the step editor (make or amend the plan) and each
/// step's progress form. The case page shows the same section and posts its progress forms here.
/// </summary>
public sealed class PlanModel(CaseReader reader, GetPlan.Handler plans, GetCaseWorkspace.Handler workspace, Texts texts) : StaffPage
{
    public CaseDetail Detail { get; private set; } = null!;
    public PlanSectionView Section { get; private set; } = null!;
    public IReadOnlyList<UnitInfo> HandlingUnits { get; private set; } = [];

    public PlanEditForm Plan { get; set; } = new();
    public PlanProgressForm Progress { get; set; } = new();

    private bool _postedPlan;
    private bool _postedProgress;

    private CancellationToken Ct => HttpContext.RequestAborted;

    public async Task OnGetAsync(long id) => await ShowAsync(id);

    public async Task<IActionResult> OnPostPlanAsync(long id, [FromServices] SavePlan.Handler handler)
    {
        await TryUpdateModelAsync(Plan, nameof(Plan));
        var wasNew = await plans.FindAsync(id, Ct) is null;
        if (await TryAsync(() => handler.HandleAsync(id, Plan.ToRequest(), Ct), "Plan."))
        {
            return Done(texts[wasNew ? "plans.done.made" : "plans.done.amended"], $"/cases/{id}#plan");
        }
        _postedPlan = true;
        await ShowAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostProgressAsync(long id, [FromServices] ReportPlanProgress.Handler handler)
    {
        await TryUpdateModelAsync(Progress, nameof(Progress));
        int? progress = null;
        if (!string.IsNullOrWhiteSpace(Progress.Progress))
        {
            if (int.TryParse(Progress.Progress.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p))
            {
                progress = p;
            }
            else
            {
                ModelState.AddModelError("Progress.Progress", texts["rule.case.plan-progress-range"]);
            }
        }
        ModelState.Remove("Progress.Step");
        if (ModelState.ErrorCount == 0
            && await TryAsync(() => handler.HandleAsync(id, Progress.Step, new ReportPlanProgress.Request(progress, Progress.Completed, Progress.Note), Ct), "Progress."))
        {
            return Done(texts.Format(Progress.Completed || progress == 100 ? "plans.done.completed" : "plans.done.progress", Progress.Step), $"/cases/{id}#plan");
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        _postedProgress = true;
        await ShowAsync(id);
        return Page();
    }

    public FieldRef Field(string key) =>
        new(key, ModelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : []);

    /// <summary>Errors that belong to no field of the editor (an illegal transition, a concurrent change).</summary>
    public IEnumerable<string> GeneralErrors => _postedPlan && ModelState.TryGetValue(string.Empty, out var e) ? e.Errors.Select(x => x.ErrorMessage) : [];

    private async Task ShowAsync(long id)
    {
        Detail = await reader.DetailAsync(id, Ct);
        var plan = await plans.FindAsync(id, Ct);
        HandlingUnits = (await workspace.HandleAsync(Detail, [], Ct)).HandlingUnits;
        var errors = _postedProgress
            ? ModelState.Where(kv => kv.Value!.Errors.Count > 0).ToDictionary(kv => kv.Key, kv => string.Join(" ", kv.Value!.Errors.Select(e => e.ErrorMessage)))
            : null;
        Section = PlanSection.Of(Detail, plan) with { Posted = _postedProgress ? Progress : null, Errors = errors, OnPlanPage = true };
        if (_postedPlan)
        {
            Plan.WithBlankRows();
        }
        else
        {
            Plan = PlanEditForm.Of(plan, Detail.AssigneeUnit?.Code);
        }
    }

    public bool MayPlan => Detail.AvailableActions.Contains(CaseAction.Plan);
}
