using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>挂起审批: approved, the clock stops now; refused (with a reason), it runs on. A second suspension needs a leader.</summary>
public static class DecideSuspension
{
    public sealed record Request(bool? Approve, string? Note);

    public sealed class Handler(CaseWorkbench work, CurrentUser user)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.DecideSuspension, async c =>
            {
                var approve = DeadlineRequests.RequiredChoice(c, "approve", request.Approve);
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                var access = await user.AccessAsync(ct);
                DeadlineRequests.RequireAboveOwnUnit(access, c.Case, approve);
                var leader = access.Can(Permission.Supervise, c.Case.OrgUnitId, c.Case.AssigneeUnitId);
                c.Case.DecideSuspension(approve, DeadlineRequests.Optional(request.Note), leader, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
