using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>不予受理: refuse the case, with the reason the reporter is told.</summary>
public static class RejectCase
{
    public sealed record Request(string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Reject, c =>
            {
                c.CheckText("reason", request.Reason);
                c.Errors.ThrowIfAny();
                c.Case.Reject(request.Reason ?? string.Empty, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
