using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// The parties unmasked (phones, ID numbers) for a caller who may reveal the case's personal data; each
/// viewing is recorded on the case (<c>Case.RecordPersonalDataViewed</c>), as for the reporters.
/// Also what the printable agreement uses.
/// </summary>
public static class RevealMediationParties
{
    public sealed class Handler(CaseWorkbench work, MediationReader reader)
    {
        public async Task<MediationView> HandleAsync(long id, CancellationToken ct)
        {
            await work.ChangeAsync(id, CaseAction.ViewPersonalData, c => c.Case.RecordPersonalDataViewed(c.By, c.At), ct);
            return await reader.ReadAsync(id, ct, reveal: true) ?? throw new NotFoundException("mediation");
        }
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}
