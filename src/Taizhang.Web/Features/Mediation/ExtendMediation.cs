using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// 延长调解期限: with both parties' consent (recorded), before the limit has passed. The mediation's own limit moves;
/// the case's due date does not (it moves only by an approved 延期: a mediator's extension once put the case's due date
/// years ahead and turned a late case into an on-time one).
/// </summary>
public static class ExtendMediation
{
    public sealed record Request(string? NewDeadline, string? Reason, bool? PartiesConsent);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var newDeadline = MediationWork.Date(c, "newDeadline", request.NewDeadline);
                c.CheckText("reason", request.Reason);
                c.Errors.ThrowIfAny();
                var from = file.Deadline;
                file.Extend(newDeadline!.Value, request.Reason ?? "", request.PartiesConsent == true, today, c.At);
                c.Case.RecordMediation(MediationStep.Extension, new { from, to = file.Deadline, partiesConsent = true }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null), ct));
}
