using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Plans;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Plans;

/// <summary>
/// PUT /api/v1/cases/{id}/plan: 办理计划 with steps. From deliberation this is the topic's Plan
/// transition; on a topic already planned or in handling it is an amendment (the same event). The
/// case's due date follows the plan's last target date. Everything is checked before anything
/// changes: a refused plan saves nothing.
/// </summary>
public static class SavePlan
{
    public sealed record Step(string? Title, string? Unit, string? TargetDate, string? Note);

    public sealed record Request(string? Summary, string? AssigneeUnit, IReadOnlyList<Step>? Steps);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Plan, async c =>
            {
                c.CheckText("summary", request.Summary);
                if (string.IsNullOrWhiteSpace(request.Summary))
                {
                    c.Errors.Add("summary", c.Texts["field.required"]);
                }
                var assignee = c.HandlingUnit("assigneeUnit", request.AssigneeUnit, required: false);
                var steps = ParseSteps(c, request.Steps);
                c.Errors.ThrowIfAny();

                var today = c.Due.LocalDate(c.At);
                var plans = c.Db.Set<HandlingPlan>();
                var plan = await plans.Include(p => p.Steps).FirstOrDefaultAsync(p => p.CaseId == c.Case.Id, ct);
                if (plan is null)
                {
                    plan = HandlingPlan.Create(c.Case.TownId, c.Case.Id, request.Summary!, steps, today, c.At);
                    plans.Add(plan);
                }
                else
                {
                    plan.Amend(request.Summary!, steps, today, c.At);
                }
                // A planned topic needs a responsible unit to start: the first step's, unless one is named or the case has one.
                var unit = assignee ?? (c.Case.AssigneeUnitId is null ? steps[0].UnitId : null);
                c.Case.Plan(plan.Summary, unit, c.By, c.At, c.Due, plan.LastTargetDate);
            }, ct);

        private static List<PlanStepInput> ParseSteps(CaseChange c, IReadOnlyList<Step>? steps)
        {
            var result = new List<PlanStepInput>();
            if (steps is null || steps.Count == 0)
            {
                c.Errors.Add("steps", c.Texts["plans.error.no-steps"]);
                return result;
            }
            if (steps.Count > HandlingPlan.MaxSteps)
            {
                c.Errors.Add("steps", c.Texts.Format("plans.error.too-many-steps", HandlingPlan.MaxSteps));
                return result;
            }
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i] ?? new Step(null, null, null, null);
                var prefix = $"steps[{i}].";
                if (string.IsNullOrWhiteSpace(s.Title))
                {
                    c.Errors.Add(prefix + "title", c.Texts["field.required"]);
                }
                c.CheckText(prefix + "title", s.Title);
                c.CheckText(prefix + "note", s.Note);
                var unit = c.HandlingUnit(prefix + "unit", s.Unit, required: true);
                DateOnly? date = null;
                if (string.IsNullOrWhiteSpace(s.TargetDate))
                {
                    c.Errors.Add(prefix + "targetDate", c.Texts["field.required"]);
                }
                else if (DateOnly.TryParseExact(s.TargetDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    date = d;
                }
                else
                {
                    c.Errors.Add(prefix + "targetDate", c.Texts["plans.error.date"]);
                }
                if (unit is { } u && date is { } t && !string.IsNullOrWhiteSpace(s.Title))
                {
                    result.Add(new PlanStepInput(s.Title, u, t, s.Note));
                }
            }
            return result;
        }
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null), ct));
}
