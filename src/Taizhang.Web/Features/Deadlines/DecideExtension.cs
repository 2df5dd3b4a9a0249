using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// 延期审批: approve (the due date moves to the one asked for) or refuse (with a reason), never by who asked.
/// A second approved extension of the same case, or one longer than <see cref="DeadlineOptions.MaxExtensionDays"/>,
/// needs a leader: the caller holds <see cref="Permission.Supervise"/> for it.
/// </summary>
public static class DecideExtension
{
    public sealed record Request(bool? Approve, string? Note);

    public sealed class Handler(CaseWorkbench work, CurrentUser user, DeadlineOptions options)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.DecideExtension, async c =>
            {
                var approve = DeadlineRequests.RequiredChoice(c, "approve", request.Approve);
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                var access = await user.AccessAsync(ct);
                DeadlineRequests.RequireAboveOwnUnit(access, c.Case, approve);
                var leader = access.Can(Permission.Supervise, c.Case.OrgUnitId, c.Case.AssigneeUnitId);
                c.Case.DecideExtension(approve, DeadlineRequests.Optional(request.Note), leader, c.By, c.At, options.MaxExtensionDays);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
