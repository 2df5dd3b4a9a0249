using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>人民调解权利义务告知书: the notice of rights and duties was given (written or oral).</summary>
public static class GiveMediationNotice
{
    public sealed record Request(string? GivenOn, string? Form);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var on = MediationWork.Date(c, "givenOn", request.GivenOn, today);
                var form = RequestParsing.Enum<RecordForm>(c.Errors, c.Texts, "form", request.Form, required: true);
                c.Errors.ThrowIfAny();
                file.GiveNotice(on!.Value, form!.Value, today, c.At);
                c.Case.RecordMediation(MediationStep.NoticeGiven, new { givenOn = on, form }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
