using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

/// <summary>What the meeting pages offer: the units whose meetings the caller runs, their bodies, partner units, and a unit's ledgered topics.</summary>
public static class GetMeetingChoices
{
    public const int TopicChoices = 100;

    public sealed record UnitOption(string Code, string Name, int Depth);

    public sealed record TopicOption(long Id, string TrackingCode, string Title, CaseStatus Status);

    public sealed record Choices(IReadOnlyList<UnitOption> RunUnits, IReadOnlyList<UnitOption> ReadUnits, IReadOnlyList<BodyView> Bodies,
        IReadOnlyList<UnitOption> PartnerUnits);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, MeetingScope scope, ListBodies.Handler bodies)
    {
        public async Task<Choices> HandleAsync(CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            var units = await org.GetAsync(ct);
            var run = access.RunArea.ToHashSet();
            var read = access.Cases.AreaUnitIds.ToHashSet();
            var ordered = units.Units.Order(OrgDirectory.Snapshot.TreeOrder).ToList();
            UnitOption Option(UnitInfo u) => new(u.Code, u.Name, u.Path.Count(ch => ch == '/'));
            var towns = run.Select(id => units.UnitsById[id].TownId).Where(t => t is not null).ToHashSet();
            return new Choices(
                ordered.Where(u => run.Contains(u.Id) && u.CanOwnCases).Select(Option).ToList(),
                ordered.Where(u => read.Contains(u.Id) && u.CanOwnCases).Select(Option).ToList(),
                run.Count == 0 ? [] : await bodies.HandleAsync(new ListBodies.Query(null), ct),
                ordered.Where(u => u.Kind == Domain.Organization.OrgUnitKind.Partner && (u.TownId is null || towns.Contains(u.TownId))).Select(Option).ToList());
        }

        /// <summary>The topics of the meeting's town waiting in the ledger (Ledgered) that the caller sees, oldest first.</summary>
        public async Task<IReadOnlyList<TopicOption>> TopicsAsync(long townId, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            return await access.Cases.Visible(db.Cases.AsNoTracking())
                .Where(c => c.TownId == townId && c.Status == CaseStatus.Ledgered)
                .OrderBy(c => c.RegisteredAt).Take(TopicChoices)
                .Select(c => new TopicOption(c.Id, c.TrackingCode, c.Title, c.Status)).ToListAsync(ct);
        }
    }
}
