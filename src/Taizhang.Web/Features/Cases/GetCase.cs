using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Cases;

/// <summary>One case with its reporters and its whole timeline.</summary>
public static class GetCase
{
    public static async Task<Ok<CaseDetail>> Endpoint(long id, CaseReader reader, CancellationToken ct) =>
        TypedResults.Ok(await reader.DetailAsync(id, ct));
}
