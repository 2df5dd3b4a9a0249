using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Mediation;

/// <summary>The case's mediation (404 when the case has none, or the caller may not read the case).</summary>
public static class GetMediation
{
    public static async Task<Ok<MediationView>> Endpoint(long id, MediationReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.ReadAsync(id, ct) ?? throw new NotFoundException("mediation"));
}
