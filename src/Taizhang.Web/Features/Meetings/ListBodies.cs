using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

public sealed record BodyMemberView(int Seq, string Name, string? Post, long? UserId, bool Active);

public sealed record BodyView(long Id, UnitRef? Unit, BodyKind Kind, string Name, int? AdultCount, int? HouseholdCount, int ActiveMembers,
    IReadOnlyList<BodyMemberView> Members)
{
    public static BodyView Of(Body b, OrgDirectory.Snapshot units) => new(b.Id, units.Ref(b.OrgUnitId), b.Kind, b.Name, b.AdultCount, b.HouseholdCount,
        b.Members.Count(m => m.Active), b.Members.OrderBy(m => m.Seq).Select(m => new BodyMemberView(m.Seq, m.Name, m.Post, m.UserId, m.Active)).ToList());
}

/// <summary>The bodies (议事会, 村民代表会议 …) of the units whose meetings the caller runs, with their members.</summary>
public static class ListBodies
{
    public sealed record Query(string? Unit);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, MeetingScope scope, Texts texts)
    {
        public async Task<IReadOnlyList<BodyView>> HandleAsync(Query query, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            var units = await org.GetAsync(ct);
            var area = access.RunArea;
            if (!string.IsNullOrWhiteSpace(query.Unit))
            {
                if (!units.UnitsByCode.TryGetValue(query.Unit.Trim(), out var unit))
                {
                    throw new RequestValidationException(new Dictionary<string, string[]>
                    {
                        ["unit"] = [texts.Format("field.unknown-org-unit", query.Unit.Trim())],
                    });
                }
                area = area.Contains(unit.Id) ? [unit.Id] : [];
            }
            var bodies = await db.Set<Body>().AsNoTracking().Include(b => b.Members).Where(b => area.Contains(b.OrgUnitId))
                .OrderBy(b => b.OrgUnitId).ThenBy(b => b.Id).Take(500).ToListAsync(ct);
            return bodies.Select(b => BodyView.Of(b, units)).ToList();
        }
    }

    public static async Task<Ok<IReadOnlyList<BodyView>>> Endpoint([AsParameters] Query query, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(query, ct));
}
