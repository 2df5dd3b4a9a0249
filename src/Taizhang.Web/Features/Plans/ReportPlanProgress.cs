using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Plans;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Plans;

/// <summary>
/// POST /api/v1/cases/{id}/plan/steps/{n}/progress: a step's progress (0–100) or its completion, on
/// the step and as the step's event on the case. A completed step does not go back (amend the plan).
/// </summary>
public static class ReportPlanProgress
{
    public sealed record Request(int? Progress, bool? Completed, string? Note);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, int step, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.PlanProgress, async c =>
            {
                var completed = request.Completed == true;
                if (request.Progress is null && !completed)
                {
                    c.Errors.Add("progress", c.Texts["field.required"]);
                }
                else if (request.Progress is < 0 or > 100)
                {
                    c.Errors.Add("progress", c.Texts["rule.case.plan-progress-range"]);
                }
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                var plan = await c.Db.Set<HandlingPlan>().Include(p => p.Steps).FirstOrDefaultAsync(p => p.CaseId == c.Case.Id, ct)
                    ?? throw new DomainRuleException("plan.none", "The case has no plan with steps yet.", field: "step");
                var done = plan.ReportProgress(step, completed ? 100 : request.Progress!.Value, completed, request.Note, c.At);
                c.Case.RecordPlanProgress(done.Number, done.Title, done.Progress, done.Completed, request.Note, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, int n, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, n, request ?? new Request(null, null, null), ct));
}
