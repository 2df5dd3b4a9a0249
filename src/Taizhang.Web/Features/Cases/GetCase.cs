using Microsoft.AspNetCore.Http.HttpResults;

namespace Taizhang.Web.Features.Cases;

public static class GetCase
{
    /// <summary>How long a read of a case answered from the intake journal (202) waits for the ledger to have it.</summary>
    public static readonly TimeSpan PendingWait = TimeSpan.FromSeconds(10);

    public static async Task<Ok<CaseDetail>> Endpoint(long id, CaseReader reader, IntakeWriter writer, CancellationToken ct)
    {
        // Registered with Prefer: respond-async and not yet applied: the Location of the 202 answers once it is
        // (milliseconds behind at a normal load). Past the wait, the read answers as for any id it cannot show.
        await writer.WaitAppliedAsync(id, PendingWait, ct);
        return TypedResults.Ok(await reader.DetailAsync(id, ct));
    }
}
