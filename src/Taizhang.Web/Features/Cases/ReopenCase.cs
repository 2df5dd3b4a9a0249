using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>Reopen a resolved or closed case, with a reason.</summary>
public static class ReopenCase
{
    public sealed record Request(string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Reopen, c =>
            {
                c.CheckText("reason", request.Reason);
                c.Errors.ThrowIfAny();
                c.Case.Reopen(request.Reason ?? string.Empty, c.Due, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
