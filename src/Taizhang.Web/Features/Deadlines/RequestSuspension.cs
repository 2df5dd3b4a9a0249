using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>挂起申请: the responsible unit asks to stop the clock for a stated reason (a court, a season, funds).</summary>
public static class RequestSuspension
{
    public sealed record Request(string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.RequestSuspension, c =>
            {
                DeadlineRequests.Required(c, "reason", request.Reason);
                c.Errors.ThrowIfAny();
                c.Case.RequestSuspension(request.Reason!, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
