using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Mediation;

/// <summary>受理登记: the dispute is accepted for people's mediation (the case action Mediate's route).</summary>
public static class AcceptMediation
{
    public sealed record PartyRequest(string? Role, string? Name, string? Phone, string? IdType, string? IdNumber, string? Address);

    public sealed record Request(string? DisputeType, string? Source, string? Summary, decimal? Amount, int? PeopleInvolved, string? RiskGrade,
        string? LeaderName, string? LeaderPost, string? AcceptedOn, string? Mediators, IReadOnlyList<PartyRequest>? Parties);

    public sealed class Handler(CaseWorkbench work, MediationReader reader)
    {
        public async Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct)
        {
            await work.ChangeAsync(id, CaseAction.Mediate, async c =>
            {
                if (await c.Db.Mediations.AnyAsync(m => m.CaseId == c.Case.Id, ct))
                {
                    throw new DomainRuleException("mediation.already-accepted", "The dispute is already accepted for mediation.");
                }
                var today = MediationWork.Today(c);
                var type = RequestParsing.Enum<DisputeType>(c.Errors, c.Texts, "disputeType", request.DisputeType, required: true);
                var source = RequestParsing.Enum<MediationSource>(c.Errors, c.Texts, "source", request.Source, required: true);
                var risk = RequestParsing.Enum<RiskGrade>(c.Errors, c.Texts, "riskGrade", request.RiskGrade, required: true);
                var acceptedOn = MediationWork.Date(c, "acceptedOn", request.AcceptedOn, today);
                foreach (var (field, value) in new[] { ("summary", request.Summary), ("leaderName", request.LeaderName), ("leaderPost", request.LeaderPost), ("mediators", request.Mediators) })
                {
                    c.CheckText(field, value);
                }
                var parties = Parties(c, request.Parties ?? [], "parties");
                c.Errors.ThrowIfAny();
                var file = MediationFile.Accept(c.Case.TownId, c.Case.Id, type!.Value, source!.Value, request.Summary!, request.Amount,
                    request.PeopleInvolved ?? parties.Count, risk!.Value, request.LeaderName!, request.LeaderPost, acceptedOn!.Value,
                    request.Mediators!, parties, today, c.At);
                c.Db.Mediations.Add(file);
                // The timeline says what happened, never who the parties are.
                c.Case.RecordMediation(MediationStep.Intake, new
                {
                    disputeType = file.DisputeType,
                    source = file.Source,
                    riskGrade = file.RiskGrade,
                    parties = file.Parties.Count,
                    acceptedOn = file.AcceptedOn,
                    deadline = file.Deadline,
                }, c.By, c.At, c.Due, file.Deadline);
            }, ct);
            return await reader.ReadAsync(id, ct) ?? throw new Infrastructure.NotFoundException("mediation");
        }
    }

    /// <summary>Parties from a request: role required, phones normalised as everywhere, text printable.</summary>
    public static List<PartyInput> Parties(CaseChange c, IReadOnlyList<PartyRequest> requests, string prefix)
    {
        var parties = new List<PartyInput>();
        for (var i = 0; i < requests.Count; i++)
        {
            var p = requests[i] ?? new PartyRequest(null, null, null, null, null, null);
            var f = $"{prefix}[{i}]";
            if (Party(c, p, f) is { } party)
            {
                parties.Add(party);
            }
        }
        return parties;
    }

    public static PartyInput? Party(CaseChange c, PartyRequest p, string prefix)
    {
        string F(string name) => prefix.Length == 0 ? name : prefix + "." + name;
        var role = RequestParsing.Enum<PartyRole>(c.Errors, c.Texts, F("role"), p.Role, required: true);
        var phone = RequestParsing.Phone(c.Errors, c.Texts, F("phone"), p.Phone);
        if (string.IsNullOrWhiteSpace(p.Name))
        {
            c.Errors.Add(F("name"), c.Texts["field.required"]);
        }
        c.CheckText(F("name"), p.Name);
        c.CheckText(F("idType"), p.IdType);
        c.CheckText(F("idNumber"), p.IdNumber);
        c.CheckText(F("address"), p.Address);
        return role is null || string.IsNullOrWhiteSpace(p.Name) ? null : new PartyInput(role.Value, p.Name, phone, p.IdType, p.IdNumber, p.Address);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null, null, null, null, null, null, null, null), ct));
}
