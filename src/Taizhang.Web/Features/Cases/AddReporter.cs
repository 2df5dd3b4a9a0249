using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>Another resident raised the same matter (a repeat call, a neighbour): add them to the case.</summary>
public static class AddReporter
{
    public sealed record Request(string? Name, string? Phone);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.AddReporter, c =>
            {
                var name = RequestParsing.Text(c.Errors, c.Texts, "name", request.Name, 64, required: true);
                var phone = RequestParsing.Phone(c.Errors, c.Texts, "phone", request.Phone);
                c.Errors.ThrowIfAny();
                c.Case.AddReporter(new ReporterInfo(name!, phone), c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
