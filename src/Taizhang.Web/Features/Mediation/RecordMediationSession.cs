using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// 调解记录: a session with the parties. Each participating unit (司法所, 派出所 …) becomes a participant of
/// the case (<see cref="CaseParticipant"/>), so it keeps reading the case after it moves on.
/// </summary>
public static class RecordMediationSession
{
    public sealed record Request(string? HeldOn, string? Mediators, IReadOnlyList<string>? Units, string? PartiesPresent, string? Record, string? Outcome);

    public sealed class Handler(MediationWork work)
    {
        public Task<MediationView> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, async (c, file, today) =>
            {
                var on = MediationWork.Date(c, "heldOn", request.HeldOn, today);
                var units = new List<long>();
                var codes = request.Units ?? [];
                for (var i = 0; i < codes.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(codes[i]))
                    {
                        continue;
                    }
                    if (c.HandlingUnit($"units[{i}]", codes[i], required: true) is { } unit && !units.Contains(unit))
                    {
                        units.Add(unit);
                    }
                }
                foreach (var (field, value) in new[] { ("mediators", request.Mediators), ("partiesPresent", request.PartiesPresent), ("record", request.Record), ("outcome", request.Outcome) })
                {
                    c.CheckText(field, value);
                }
                c.Errors.ThrowIfAny();
                var session = file.RecordSession(on!.Value, request.Mediators ?? "", units, request.PartiesPresent, request.Record ?? "", request.Outcome, today, c.At);
                var known = await c.Db.CaseParticipants.Where(p => p.CaseId == c.Case.Id && units.Contains(p.UnitId)).Select(p => p.UnitId).ToListAsync(ct);
                foreach (var unit in units.Except(known))
                {
                    c.Db.CaseParticipants.Add(new CaseParticipant
                    {
                        CaseId = c.Case.Id, TownId = c.Case.TownId, UnitId = unit, Reason = CaseParticipant.MediationSession, AddedAt = c.At,
                    });
                }
                c.Case.RecordMediation(MediationStep.Session, new { session = session.Seq, heldOn = session.HeldOn, units }, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<MediationView>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null, null, null), ct));
}
