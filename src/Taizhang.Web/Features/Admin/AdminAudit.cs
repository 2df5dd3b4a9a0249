using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Admin;

public static class AdminAudit
{
    public static void Record(this TaizhangDb db, Actor actor, DateTime at, string action, string target, string? details = null) =>
        db.AdminEvents.Add(new AdminEvent
        {
            At = at,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            Target = target,
            Details = details,
        });

    public sealed record EventView(DateTime At, string ActorId, string ActorName, string Action, string Target, string? Details);

    /// <summary>The newest administrative changes, for administrators of the top level.</summary>
    public static async Task<Ok<IReadOnlyList<EventView>>> ListEndpoint(TaizhangDb db, AdminScope admin, int? take, CancellationToken ct)
    {
        (await admin.RequireAsync(ct)).RequireTopLevel();
        var rows = await db.AdminEvents.AsNoTracking().OrderByDescending(e => e.Id).Take(Math.Clamp(take ?? 100, 1, 1000))
            .Select(e => new EventView(e.At, e.ActorId, e.ActorName, e.Action, e.Target, e.Details))
            .ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<EventView>>(rows);
    }
}
