using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>调解协议: the written agreement (人民调解协议书, printable) or an oral agreement recorded by the mediator.</summary>
public static class MakeMediationAgreement
{
    public sealed record Request(string? Form, string? Facts, string? Disputes, string? Responsibilities, string? Terms,
        string? PerformanceManner, string? PerformancePlace, string? PerformanceDeadline, string? SignedOn);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, today) =>
            {
                var form = RequestParsing.Enum<RecordForm>(c.Errors, c.Texts, "form", request.Form, required: true);
                var signedOn = MediationWork.Date(c, "signedOn", request.SignedOn, today);
                var deadline = RequestParsing.Date(c.Errors, c.Texts, "performanceDeadline", request.PerformanceDeadline);
                foreach (var (field, value) in new[]
                {
                    ("facts", request.Facts), ("disputes", request.Disputes), ("responsibilities", request.Responsibilities), ("terms", request.Terms),
                    ("performanceManner", request.PerformanceManner), ("performancePlace", request.PerformancePlace),
                })
                {
                    c.CheckText(field, value);
                }
                c.Errors.ThrowIfAny();
                file.MakeAgreement(new AgreementInput(form!.Value, request.Facts, request.Disputes, request.Responsibilities, request.Terms ?? "",
                    request.PerformanceManner, request.PerformancePlace, deadline, signedOn!.Value), today, c.At);
                c.Case.RecordMediation(MediationStep.Agreement, new { form, signedOn, performanceDeadline = deadline }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null, null, null, null, null, null), ct));
}
