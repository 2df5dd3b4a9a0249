using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// Writes notifications into the outbox, always beside the case change that causes them: the intake
/// writer inserts a registration's rows in the registration's transaction, and the case workbench adds
/// a change's rows to the change's one SaveChanges. Nothing here sends anything.
/// </summary>
public sealed class NotificationOutbox(NotificationOptions options, OrgDirectory org, TimeProvider clock, CalendarOptions calendar)
{
    /// <summary>The offices' time zone: a new due date is told as the local day.</summary>
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZone);

    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The public tracking page of a case, as the resident is sent it.</summary>
    public string TrackUrl(string trackingCode) => options.PublicBaseUrl.TrimEnd('/') + "/track/" + trackingCode;

    /// <summary>
    /// A registration's notifications, planned before the case has an id (the intake writer sets it
    /// when it inserts the rows). <paramref name="ratingCode"/> exists only here, in the request.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> PlanRegistrationAsync(Case @case, string? ratingCode, CancellationToken ct)
    {
        var units = await org.GetAsync(ct);
        return NotificationPlanner.Plan(InputFor(@case, @case.Events, units, [], clock.GetUtcNow().UtcDateTime, ratingCode));
    }

    /// <summary>What the planner needs of a case and the events of one change.</summary>
    private NotificationPlanner.Input InputFor(Case @case, IReadOnlyList<CaseEvent> events, OrgDirectory.Snapshot units,
        IReadOnlyList<NotificationPlanner.Contact> contacts, DateTime at, string? ratingCode = null) =>
        new(@case.TownId, @case.TrackingCode,
            @case.Reporters.Select(r => new NotificationPlanner.Reporter(r.Phone, r.ContactConsent, r.WeChatOpenId)).ToList(),
            events, id => units.UnitsById.GetValueOrDefault(id)?.Name ?? string.Empty, contacts,
            TrackUrl(@case.TrackingCode), at, ratingCode, utc => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, _zone)));

    /// <summary>
    /// Adds the notifications of the events this context is about to save (every case it tracks with
    /// new events) to the same unit of work, so they are saved — or not — together with the change.
    /// </summary>
    public async Task AddForChangesAsync(TaizhangDb db, CancellationToken ct)
    {
        var fresh = db.ChangeTracker.Entries<CaseEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (fresh.Count == 0)
        {
            return;
        }
        var units = await org.GetAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var group in fresh.GroupBy(e => e.Case!))
        {
            var @case = group.Key;
            var unitsToTell = NotificationPlanner.UnitsToTell(@case.TownId, group);
            var contacts = unitsToTell.Count == 0 ? [] : await ContactsAsync(db, unitsToTell, ct);
            var planned = NotificationPlanner.Plan(InputFor(@case, group.ToList(), units, contacts, now));
            foreach (var n in planned)
            {
                n.CaseId = @case.Id;
                db.Notifications.Add(n);
            }
        }
    }

    /// <summary>The phones of the enabled accounts holding posts at these units.</summary>
    public static async Task<IReadOnlyList<NotificationPlanner.Contact>> ContactsAsync(TaizhangDb db, IReadOnlySet<long> unitIds, CancellationToken ct)
    {
        var ids = unitIds.ToList();
        var rows = await db.UserPosts.AsNoTracking()
            .Where(p => ids.Contains(p.OrgUnitId))
            .Join(db.Users.Where(u => !u.IsDisabled && u.PhoneNumber != null && u.PhoneNumber != ""), p => p.UserId, u => u.Id,
                (p, u) => new { p.OrgUnitId, p.Role, u.PhoneNumber })
            .ToListAsync(ct);
        return rows.Select(r => new NotificationPlanner.Contact(r.OrgUnitId, r.Role, r.PhoneNumber!)).ToList();
    }

    /// <summary>
    /// Queues one message about a case for one recipient, in <paramref name="db"/>'s unit of work: the
    /// caller's SaveChanges writes it with whatever else it saves. For other parts of the app (the WeChat
    /// channel's later answer by customer message): <paramref name="text"/> is sent as it is (template
    /// <see cref="NotificationTemplates.CustomText"/>); for SMS, configure that template's TemplateCode.
    /// </summary>
    public static Notification Enqueue(TaizhangDb db, long caseId, long townId, NotificationChannel channel, string address, string text,
        DateTime at, RecipientKind recipient = RecipientKind.Reporter)
    {
        var n = new Notification
        {
            CaseId = caseId,
            TownId = townId,
            Kind = NotificationKind.Custom,
            RecipientKind = recipient,
            Channel = channel,
            Address = address,
            TemplateKey = NotificationTemplates.CustomText,
            Parameters = JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = text }, Json),
            Status = NotificationStatus.Pending,
            NextAttemptAt = at,
            CreatedAt = at,
        };
        db.Notifications.Add(n);
        return n;
    }
}
