using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>A party joins the mediation's record after intake (a respondent named later, a third party).</summary>
public static class AddMediationParty
{
    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, AcceptMediation.PartyRequest request, CancellationToken ct) =>
            work.ChangeAsync(id, (c, file, _) =>
            {
                var party = AcceptMediation.Party(c, request, "");
                c.Errors.ThrowIfAny();
                var added = file.AddParty(party!, c.At);
                c.Case.RecordMediation(MediationStep.PartyAdded, new { partyAdded = added.Role, parties = file.Parties.Count }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, AcceptMediation.PartyRequest? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new AcceptMediation.PartyRequest(null, null, null, null, null, null), ct));
}
