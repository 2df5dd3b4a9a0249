using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// The outbox as administrators see it: the messages of the towns they administer, newest first,
/// with counts per status; recipients masked (a phone as 139****5678, an OpenID by its first letters),
/// the rating code never shown (only whether the row still holds it); a dead letter can be retried.
/// </summary>
public static class NotificationAdmin
{
    public const int MaxTake = 200;

    public sealed record Query(string? Status = null, string? Kind = null, string? Channel = null, long? Before = null, int? Take = null);

    public sealed record Item(long Id, DateTime CreatedAt, long CaseId, string TrackingCode, NotificationKind Kind, RecipientKind Recipient,
        NotificationChannel Channel, string To, NotificationStatus Status, int Attempts, DateTime NextAttemptAt, string? LastError,
        DateTime? DeliveredAt, bool HoldsRatingCode, bool DeliveredToFile = false);

    public sealed record Page(IReadOnlyList<Item> Items, IReadOnlyDictionary<NotificationStatus, int> Counts, long? NextBefore);

    public sealed class Handler(TaizhangDb db, AdminScope admin, Texts texts, TimeProvider clock)
    {
        public async Task<Page> ListAsync(Query q, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var errors = new FieldErrors();
            var status = Parse<NotificationStatus>(errors, "status", q.Status);
            var kind = Parse<NotificationKind>(errors, "kind", q.Kind);
            var channel = Parse<NotificationChannel>(errors, "channel", q.Channel);
            errors.ThrowIfAny();
            var towns = Towns(scope);
            var mine = db.Notifications.AsNoTracking().Where(n => towns.Contains(n.TownId));
            var counts = await mine.GroupBy(n => n.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
            var filtered = mine;
            if (status is { } s)
            {
                filtered = filtered.Where(n => n.Status == s);
            }
            if (kind is { } k)
            {
                filtered = filtered.Where(n => n.Kind == k);
            }
            if (channel is { } c)
            {
                filtered = filtered.Where(n => n.Channel == c);
            }
            if (q.Before is { } before)
            {
                filtered = filtered.Where(n => n.Id < before);
            }
            var take = Math.Clamp(q.Take ?? 50, 1, MaxTake);
            var rows = await filtered.OrderByDescending(n => n.Id).Take(take + 1)
                .Join(db.Cases, n => n.CaseId, x => x.Id, (n, x) => new { n, x.TrackingCode })
                .ToListAsync(ct);
            var items = rows.Take(take).Select(r => new Item(r.n.Id, r.n.CreatedAt, r.n.CaseId, r.TrackingCode, r.n.Kind, r.n.RecipientKind,
                r.n.Channel, MaskAddress(r.n, scope.Units), r.n.Status, r.n.Attempts, r.n.NextAttemptAt, r.n.LastError, r.n.DeliveredAt,
                HoldsRatingCode(r.n.Parameters), r.n.DeliveredToFile)).OrderByDescending(i => i.Id).ToList();
            var counted = Enum.GetValues<NotificationStatus>().ToDictionary(x => x, x => counts.GetValueOrDefault(x));
            return new Page(items, counted, rows.Count > take ? items[^1].Id : null);
        }

        /// <summary>Puts a dead letter back in the queue, due now, with its attempts counted afresh.</summary>
        public async Task RetryAsync(long id, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var towns = Towns(scope);
            var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && towns.Contains(x.TownId), ct)
                ?? throw new NotFoundException("notification");
            if (n.Status != NotificationStatus.DeadLetter)
            {
                throw new DomainRuleException("notification.not-dead-letter", "Only a dead letter can be retried.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            n.Status = NotificationStatus.Pending;
            n.Attempts = 0;
            n.NextAttemptAt = now;
            db.Record(scope.Principal.Actor, now, "notification.retry", "notification:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                JsonSerializer.Serialize(new { n.Kind, n.Channel, n.LastError }), n.TownId);
            await db.SaveChangesAsync(ct);
        }

        private static List<long> Towns(AdminScope.Scope scope) =>
            scope.CoveredUnits.Where(u => u.Kind == OrgUnitKind.Town).Select(u => u.Id).ToList();

        private T? Parse<T>(FieldErrors errors, string field, string? value)
            where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }
            if (Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                return parsed;
            }
            errors.Add(field, texts.Format("field.one-of", string.Join(", ", Enum.GetNames<T>())));
            return null;
        }
    }

    /// <summary>A phone as 139****5678, an OpenID by its first four letters, a unit by its name.</summary>
    public static string MaskAddress(Notification n, OrgDirectory.Snapshot units) => n.Channel switch
    {
        NotificationChannel.Sms => PersonalData.MaskPhone(n.Address) ?? string.Empty,
        NotificationChannel.WeChat => n.Address.Length <= 4 ? "****" : n.Address[..4] + "****",
        _ => n.UnitId is { } u && units.UnitsById.TryGetValue(u, out var unit) ? unit.Name : PersonalData.MaskPhone(n.Address) ?? string.Empty,
    };

    private static bool HoldsRatingCode(string parameters) => parameters.Contains("\"ratingCode\"", StringComparison.Ordinal);
}
