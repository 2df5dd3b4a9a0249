using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>交办: give the case to a responsible unit.</summary>
public static class AssignCase
{
    public sealed record Request(string? Unit);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Assign, c =>
            {
                var unit = c.HandlingUnit("unit", request.Unit, required: true);
                c.Errors.ThrowIfAny();
                c.Case.Assign(unit!.Value, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
