using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>办理计划: record the plan the deliberation produced, optionally naming the responsible unit.</summary>
public static class PlanCase
{
    public sealed record Request(string? Plan, string? AssigneeUnit);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Plan, c =>
            {
                var unit = c.HandlingUnit("assigneeUnit", request.AssigneeUnit, required: false);
                if (string.IsNullOrWhiteSpace(request.Plan))
                {
                    c.Errors.Add("plan", c.Texts["field.required"]);
                }
                c.CheckText("plan", request.Plan);
                c.Errors.ThrowIfAny();
                c.Case.Plan(request.Plan!, unit, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
