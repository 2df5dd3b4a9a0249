using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// One administrative change: who did what to which account, unit, category, client or setting.
/// Appended in the same save as the change; never updated or deleted — the administrators'
/// counterpart of the case timeline.
/// </summary>
public sealed class AdminEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string ActorId { get; set; } = string.Empty;
    public string ActorName { get; set; } = string.Empty;

    /// <summary>e.g. user.create, user.post-add, api-client.revoke, calendar.put.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>What was changed: "user:12", "org-unit:SCH-MJC", "calendar:2027" …</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Non-personal details (roles, unit codes, flags); never passwords, tokens or phone numbers.</summary>
    public string? Details { get; set; }
}

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
