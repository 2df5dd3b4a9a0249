using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>延期申请: the responsible unit asks, before the due date, for a later one (yyyy-MM-dd) with a reason.</summary>
public static class RequestExtension
{
    public sealed record Request(string? NewDueDate, string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.RequestExtension, c =>
            {
                var date = DeadlineRequests.RequiredDate(c, "newDueDate", request.NewDueDate);
                DeadlineRequests.Required(c, "reason", request.Reason);
                c.Errors.ThrowIfAny();
                DeadlineRequests.Renamed("dueDate", "newDueDate",
                    () => c.Case.RequestExtension(date!.Value, request.Reason!, c.Due, c.By, c.At));
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
