using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>The responsible unit starts work on the case.</summary>
public static class StartCase
{
    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Start, c =>
            {
                c.Case.Start(c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}
