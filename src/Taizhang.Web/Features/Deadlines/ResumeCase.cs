using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>恢复计时: a suspended case's clock runs again; its due date moves by the time it stood still.</summary>
public static class ResumeCase
{
    public sealed record Request(string? Note);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Resume, c =>
            {
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.Resume(DeadlineRequests.Optional(request.Note), c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
