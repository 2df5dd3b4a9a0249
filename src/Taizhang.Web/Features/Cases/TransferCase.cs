using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>转办: move the case to another responsible unit, with a reason.</summary>
public static class TransferCase
{
    public sealed record Request(string? ToUnit, string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Transfer, c =>
            {
                var unit = c.HandlingUnit("toUnit", request.ToUnit, required: true);
                if (string.IsNullOrWhiteSpace(request.Reason))
                {
                    c.Errors.Add("reason", c.Texts["field.required"]);
                }
                c.CheckText("reason", request.Reason);
                c.Errors.ThrowIfAny();
                c.Case.Transfer(unit!.Value, request.Reason!, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
