using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Plans;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// The case page's plan section (办理计划): loads the plan through <see cref="GetPlan"/> and renders
/// <c>_PlanSection.cshtml</c>, so the case page includes it with one line.
/// </summary>
public sealed class PlanSection(GetPlan.Handler plans) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CaseDetail detail)
    {
        var plan = await plans.FindAsync(detail.Id, HttpContext.RequestAborted);
        return View("/Pages/Cases/_PlanSection.cshtml", Of(detail, plan));
    }

    public static PlanSectionView Of(CaseDetail detail, PlanView? plan) => new(detail.Id, plan,
        detail.AvailableActions.Contains(CaseAction.Plan), plan is not null && detail.AvailableActions.Contains(CaseAction.PlanProgress),
        detail.Track == Track.Topic || detail.Status is CaseStatus.Ledgered or CaseStatus.Deliberating, detail.HandlingPlan);
}
