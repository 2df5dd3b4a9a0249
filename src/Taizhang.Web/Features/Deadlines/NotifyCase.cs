using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>通报 by staff: a formal notice to the responsible unit's leader, saying what it is about.</summary>
public static class NotifyCase
{
    public sealed record Request(string? Note);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Notify, c =>
            {
                DeadlineRequests.Required(c, "note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.Notify(request.Note, automatic: false, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
