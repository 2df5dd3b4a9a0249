using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Show the reporters' names and phone numbers unmasked, for a caller who handles the case.
/// A POST because it is itself recorded: every viewing is an event on the case's timeline.
/// </summary>
public static class RevealPersonalData
{
    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.ViewPersonalData, c => c.Case.RecordPersonalDataViewed(c.By, c.At), ct, reveal: true);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}
