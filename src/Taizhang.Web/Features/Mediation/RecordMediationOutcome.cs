using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// 调解结果: settled, partly settled, not settled, or referred (court, arbitration, administrative route).
/// With <see cref="Request.ResolveCase"/> the case is resolved too: a settled mediation once performance is
/// complete (solved), a not settled or referred one as explained.
/// </summary>
public static class RecordMediationOutcome
{
    public sealed record Request(string? Outcome, string? ReferredTo, string? Note, string? On, bool? ResolveCase, string? Result);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var outcome = RequestParsing.Enum<MediationOutcome>(c.Errors, c.Texts, "outcome", request.Outcome, required: true);
                var route = RequestParsing.Enum<ReferralRoute>(c.Errors, c.Texts, "referredTo", request.ReferredTo);
                var on = MediationWork.Date(c, "on", request.On, today);
                c.CheckText("note", request.Note);
                c.CheckText("result", request.Result);
                c.Errors.ThrowIfAny();
                file.RecordOutcome(outcome!.Value, route, request.Note, on!.Value, today, c.At);
                c.Case.RecordMediation(MediationStep.Outcome, new { outcome, referredTo = route, closedOn = file.ClosedOn }, c.By, c.At);
                if (request.ResolveCase == true)
                {
                    MediationWork.ResolveCase(c, file, request.Result);
                }
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null, null, null), ct));
}
