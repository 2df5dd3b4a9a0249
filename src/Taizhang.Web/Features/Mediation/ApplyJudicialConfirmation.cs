using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>申请司法确认: within 30 days of the written agreement; the court and, later, its result.</summary>
public static class ApplyJudicialConfirmation
{
    public sealed record Request(string? AppliedOn, string? Court, string? Result);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var on = MediationWork.Date(c, "appliedOn", request.AppliedOn, today);
                c.CheckText("court", request.Court);
                c.CheckText("result", request.Result);
                c.Errors.ThrowIfAny();
                file.ApplyJudicialConfirmation(on!.Value, request.Court ?? "", request.Result, today, c.At);
                c.Case.RecordMediation(MediationStep.JudicialConfirmation, new { appliedOn = on, resultRecorded = file.JudicialResult is not null }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null), ct));
}
