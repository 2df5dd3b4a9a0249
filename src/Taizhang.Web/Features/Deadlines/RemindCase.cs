using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>催办 by staff: a reminder to the responsible unit (the deadline watch sends the automatic ones).</summary>
public static class RemindCase
{
    public sealed record Request(string? Note);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Remind, c =>
            {
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.Remind(DeadlineRequests.Optional(request.Note), automatic: false, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
