using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// The administrators' audit trail: who changed which account, post, unit, client or setting,
/// who looked up a caller, who checked the ledger. Each entry names the unit it concerns, so an
/// administrator reads the entries of their own area only (a town administrator never sees another
/// town's); entries about what applies everywhere (categories, calendar, service levels) and older
/// entries without a unit are for the top level.
/// </summary>
public static partial class AdminAudit
{
    /// <param name="unit">The unit the change lies in (see <see cref="AreaOf"/>); null: only the top level reads it.</param>
    public static void Record(this TaizhangDb db, Actor actor, DateTime at, string action, string target, string? details = null, long? unit = null) =>
        db.AdminEvents.Add(new AdminEvent
        {
            At = at,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            Target = target,
            Details = details,
            OrgUnitId = unit,
        });

    /// <summary>The area of a person's posts: where an entry about what they did is filed.</summary>
    public static long? AreaOf(Accounts.CurrentUser.Principal principal) => AreaOf(principal.Posts.Select(p => p.Unit));

    /// <summary>The deepest unit that holds all of <paramref name="unitIds"/> (null for none, or units under different roots).</summary>
    public static long? AreaOf(OrgDirectory.Snapshot units, IEnumerable<long> unitIds)
    {
        var found = unitIds.Select(id => units.UnitsById.GetValueOrDefault(id)).ToList();
        return found.Any(u => u is null) ? null : AreaOf(found!);
    }

    /// <summary>The deepest unit that holds all of <paramref name="units"/> (null for none, or units under different roots).</summary>
    public static long? AreaOf(IEnumerable<UnitInfo> units)
    {
        string[]? common = null;
        foreach (var unit in units)
        {
            var path = unit.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            common = common is null ? path : common.Zip(path).TakeWhile(p => p.First == p.Second).Select(p => p.First).ToArray();
        }
        return common is { Length: > 0 } ? long.Parse(common[^1], System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public sealed record EventView(long Id, DateTime At, string ActorId, string ActorName, string Action, string Target, string? Details, UnitRef? OrgUnit);

    /// <param name="Actor">Part of the actor's name, or an actor id (<c>user:12</c>, <c>client:3</c>).</param>
    /// <param name="From">First day, yyyy-MM-dd in the offices' time zone.</param>
    /// <param name="To">Last day, yyyy-MM-dd in the offices' time zone.</param>
    /// <param name="Before">Entries older than this id (the next page: the last id of the previous one).</param>
    public sealed record Query(string? Actor = null, string? Action = null, string? From = null, string? To = null, long? Before = null, int? Take = null);

    /// <summary>Newest first; <see cref="NextBefore"/>: the <c>before</c> of the next (older) page, null on the last.</summary>
    public sealed record Page(IReadOnlyList<EventView> Items, long? NextBefore);

    public const int MaxTake = 1000;

    public sealed class Handler(TaizhangDb db, AdminScope admin, DuePolicy due, Texts texts)
    {
        public async Task<Page> ListAsync(Query q, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var errors = new FieldErrors();
            var actor = RequestParsing.Text(errors, texts, "actor", q.Actor, 128, required: false);
            var action = RequestParsing.Text(errors, texts, "action", q.Action, 64, required: false);
            var from = RequestParsing.Date(errors, texts, "from", q.From);
            var to = RequestParsing.Date(errors, texts, "to", q.To);
            if (from is { } f && to is { } t && f > t)
            {
                errors.Add("to", texts["field.date-range"]);
            }
            if (q.Take is { } n && n is < 1 or > MaxTake)
            {
                errors.Add("take", texts.Format("field.page-size", MaxTake));
            }
            errors.ThrowIfAny();
            var take = q.Take ?? 100;
            var events = InScope(scope);
            if (!string.IsNullOrEmpty(actor))
            {
                events = ActorId().IsMatch(actor) ? events.Where(e => e.ActorId == actor) : events.Where(e => e.ActorName.Contains(actor));
            }
            if (!string.IsNullOrEmpty(action))
            {
                events = events.Where(e => e.Action == action);
            }
            if (from is { } start)
            {
                var since = due.EndOfLocalDay(start.AddDays(-1));
                events = events.Where(e => e.At >= since);
            }
            if (to is { } end)
            {
                var until = due.EndOfLocalDay(end);
                events = events.Where(e => e.At < until);
            }
            if (q.Before is { } before)
            {
                events = events.Where(e => e.Id < before);
            }
            var rows = await events.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(ct);
            var items = rows.Take(take).Select(e => View(e, scope.Units)).ToList();
            return new Page(items, rows.Count > take ? items[^1].Id : null);
        }

        /// <summary>The actions that occur in the administrator's entries, for a filter's choices.</summary>
        public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            return await InScope(scope).Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        }

        private IQueryable<AdminEvent> InScope(AdminScope.Scope scope)
        {
            var events = db.AdminEvents.AsNoTracking();
            if (scope.IsTopLevel)
            {
                return events;
            }
            var units = scope.CoveredUnits.Select(u => (long?)u.Id).ToArray();
            return events.Where(e => units.Contains(e.OrgUnitId));
        }
    }

    /// <summary>Details hold no phone numbers by rule; any that slipped in are masked here, in the API and on the page.</summary>
    private static EventView View(AdminEvent e, OrgDirectory.Snapshot units) => new(
        e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.Target,
        e.Details is null ? null : Phone().Replace(e.Details, m => PersonalData.MaskPhone(m.Value)!),
        units.Ref(e.OrgUnitId));

    /// <summary>An actor id: a user's, an integration's, or the server's command line ("cli").</summary>
    [GeneratedRegex(@"^((user|client):\d+|cli)$")]
    private static partial Regex ActorId();

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex Phone();

    /// <summary>GET /api/v1/admin/audit: the entries of the caller's area, newest first; page on with <c>before</c>.</summary>
    public static async Task<Ok<IReadOnlyList<EventView>>> ListEndpoint(Handler h, string? actor, string? action, string? from, string? to,
        long? before, int? take, CancellationToken ct) =>
        TypedResults.Ok((await h.ListAsync(new Query(actor, action, from, to, before, take), ct)).Items);
}
