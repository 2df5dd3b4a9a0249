using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// 履行回访: was the agreement performed. A party not performing is named to be chased. With
/// <see cref="Request.ResolveCase"/>, a settled mediation now fully performed also resolves the case.
/// </summary>
public static class RecordMediationPerformance
{
    public sealed record Request(string? On, string? Performance, int? Party, string? Note, bool? ResolveCase, string? Result);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var on = MediationWork.Date(c, "on", request.On, today);
                var performance = RequestParsing.Enum<Performance>(c.Errors, c.Texts, "performance", request.Performance, required: true);
                c.CheckText("note", request.Note);
                c.CheckText("result", request.Result);
                c.Errors.ThrowIfAny();
                var followUp = file.RecordPerformance(on!.Value, performance!.Value, request.Party, request.Note, today, c.At);
                c.Case.RecordMediation(MediationStep.Performance, new
                {
                    followUp = followUp.Seq,
                    on = followUp.On,
                    performance = followUp.Performance,
                    chase = followUp.Performance != Performance.Full,
                    completedOn = file.PerformanceCompletedOn,
                }, c.By, c.At);
                if (request.ResolveCase == true)
                {
                    MediationWork.ResolveCase(c, file, request.Result);
                }
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null, null, null), ct));
}
