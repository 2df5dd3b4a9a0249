using System.Text.Json;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// Decides, from a case and the events one change appended to it, which notifications exist. Pure:
/// everything it needs (the reporters, the units' phones, names, the public address) is given.
/// </summary>
/// <remarks>
/// Reporters hear of registration, resolution, rejection and a return visit, through the channel
/// they came from: a WeChat customer message when the reporter wrote from WeChat (an OpenID), else an
/// SMS when they gave a phone AND agreed to be contacted (PIPL), else nothing. A unit hears when a case
/// is assigned or transferred to it (the accounts at the unit that handle cases), and the town when a
/// unit returns a case (the accounts at the town that triage): one SMS per distinct phone of an enabled
/// account. When nobody there has a phone, one file-sink entry records that the unit was not reached by
/// SMS, so the outbox shows it instead of silently skipping it.
/// </remarks>
public static class NotificationPlanner
{
    public sealed record Reporter(string? Phone, bool ContactConsent, string? WeChatOpenId);

    /// <summary>An enabled account's post at a unit, with the account's phone (Identity's PhoneNumber).</summary>
    public sealed record Contact(long UnitId, Role Role, string Phone);

    public sealed record Input(
        long TownId,
        string TrackingCode,
        IReadOnlyList<Reporter> Reporters,
        IReadOnlyList<CaseEvent> NewEvents,
        Func<long, string> UnitName,
        IReadOnlyList<Contact> Contacts,
        string TrackUrl,
        DateTime At,
        string? RatingCode = null,
        Func<DateTime, DateOnly>? LocalDate = null);

    public const int ReasonMaxLength = 200;

    /// <summary>The units whose accounts' phones <see cref="Plan"/> needs for these events.</summary>
    public static IReadOnlySet<long> UnitsToTell(long townId, IEnumerable<CaseEvent> events)
    {
        var units = new HashSet<long>();
        foreach (var e in events)
        {
            switch (e.Action)
            {
                case CaseAction.Assign when Long(e.Payload, "assigneeUnitId") is { } unit:
                    units.Add(unit);
                    break;
                case CaseAction.Plan when Long(e.Payload, "assigneeUnitId") is { } planned:
                    units.Add(planned);
                    break;
                case CaseAction.Transfer when Long(e.Payload, "toUnitId") is { } to:
                    units.Add(to);
                    break;
                case CaseAction.Return:
                    units.Add(townId);
                    break;
            }
        }
        return units;
    }

    public static IReadOnlyList<Notification> Plan(Input input)
    {
        var result = new List<Notification>();
        var town = input.UnitName(input.TownId);
        foreach (var e in input.NewEvents.OrderBy(e => e.Sequence))
        {
            var values = new Dictionary<string, string> { ["town"] = town, ["trackingCode"] = input.TrackingCode, ["url"] = input.TrackUrl };
            switch (e.Action)
            {
                case CaseAction.Register:
                    if (input.RatingCode is { } code)
                    {
                        values["ratingCode"] = code;
                    }
                    ToReporters(NotificationTemplates.Registered, values);
                    break;
                case CaseAction.Resolve:
                    ToReporters(NotificationTemplates.Resolved, values);
                    break;
                case CaseAction.Reject:
                    values["reason"] = Shorten(e.Reason ?? string.Empty);
                    ToReporters(NotificationTemplates.Rejected, values);
                    break;
                case CaseAction.FollowUp when !IsSelfService(e):
                    values["satisfaction"] = Satisfaction(e.Payload);
                    ToReporters(NotificationTemplates.FollowedUp, values);
                    break;
                case CaseAction.DecideExtension when Bool(e.Payload, "approved") == true && Instant(e.Payload, "dueAt") is { } dueAt:
                    // The last day to act: the local day the due instant (end of that day) closes.
                    values["dueDate"] = (input.LocalDate ?? ChinaDate)(dueAt.AddTicks(-1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    ToReporters(NotificationTemplates.Extended, values);
                    break;
                case CaseAction.Assign when Long(e.Payload, "assigneeUnitId") is { } unit:
                    ToUnit(NotificationTemplates.UnitAssigned, unit, Permission.Start, values, unit);
                    break;
                case CaseAction.Plan when Long(e.Payload, "assigneeUnitId") is { } planned:
                    ToUnit(NotificationTemplates.UnitAssigned, planned, Permission.Start, values, planned);
                    break;
                case CaseAction.Transfer when Long(e.Payload, "toUnitId") is { } to:
                    ToUnit(NotificationTemplates.UnitTransferred, to, Permission.Start, values, to);
                    break;
                case CaseAction.Return:
                    // The town triages it again; the message names the unit that gave it back.
                    ToUnit(NotificationTemplates.UnitReturned, input.TownId, Permission.Triage, values, Long(e.Payload, "fromUnitId"));
                    break;
            }
        }
        return result;

        void ToReporters(string template, Dictionary<string, string> values)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in input.Reporters)
            {
                var (channel, address) = ReporterChannel(r);
                if (channel is { } c && seen.Add(c + ":" + address))
                {
                    result.Add(New(template, RecipientKind.Reporter, c, address!, null, values));
                }
            }
        }

        void ToUnit(string template, long unitId, Permission permission, Dictionary<string, string> values, long? namedUnit)
        {
            values["unit"] = namedUnit is { } n ? input.UnitName(n) : string.Empty;
            var phones = input.Contacts.Where(c => c.UnitId == unitId && Permissions.Allows(c.Role, permission))
                .Select(c => c.Phone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (phones.Count == 0)
            {
                result.Add(New(template, RecipientKind.Unit, NotificationChannel.File, "unit:" + unitId.ToString(System.Globalization.CultureInfo.InvariantCulture), unitId, values));
                return;
            }
            foreach (var phone in phones)
            {
                result.Add(New(template, RecipientKind.Unit, NotificationChannel.Sms, phone, unitId, values));
            }
        }

        Notification New(string template, RecipientKind recipient, NotificationChannel channel, string address, long? unitId, Dictionary<string, string> values) => new()
        {
            TownId = input.TownId,
            Kind = NotificationTemplates.ByKey[template].Kind,
            RecipientKind = recipient,
            Channel = channel,
            Address = address,
            UnitId = unitId,
            TemplateKey = template,
            Parameters = JsonSerializer.Serialize(values, NotificationOutbox.Json),
            Status = NotificationStatus.Pending,
            NextAttemptAt = input.At,
            CreatedAt = input.At,
        };
    }

    /// <summary>WeChat for a reporter who wrote from WeChat; SMS with a phone and consent; otherwise none.</summary>
    public static (NotificationChannel? Channel, string? Address) ReporterChannel(Reporter r)
    {
        if (!string.IsNullOrWhiteSpace(r.WeChatOpenId))
        {
            return (NotificationChannel.WeChat, r.WeChatOpenId);
        }
        if (!string.IsNullOrWhiteSpace(r.Phone) && r.ContactConsent)
        {
            return (NotificationChannel.Sms, r.Phone);
        }
        return (null, null);
    }

    /// <summary>
    /// A rating the resident gave themselves on the tracking page: they know it, and are not told.
    /// Recognised by a payload method of "SelfService" or, failing that, by the public channel's system actor.
    /// </summary>
    public static bool IsSelfService(CaseEvent e) =>
        e.ActorKind == ActorKind.System
        || (e.Payload is { } p && p.Contains("\"SelfService\"", StringComparison.OrdinalIgnoreCase));

    private static string Satisfaction(string? payload)
    {
        var value = Text(payload, "satisfaction");
        var reopened = payload is not null && payload.Contains("\"reopened\":true", StringComparison.Ordinal);
        var word = value switch
        {
            nameof(Domain.Cases.Satisfaction.Satisfied) => "满意",
            nameof(Domain.Cases.Satisfaction.BasicallySatisfied) => "基本满意",
            nameof(Domain.Cases.Satisfaction.Unsatisfied) => "不满意",
            _ => string.Empty,
        };
        return reopened ? word + "（已重新办理）" : word;
    }

    private static string Shorten(string text) => text.Length <= ReasonMaxLength ? text : text[..(ReasonMaxLength - 1)] + "…";

    private static long? Long(string? payload, string name)
    {
        if (payload is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
    }

    private static bool? Bool(string? payload, string name)
    {
        if (payload is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
    }

    private static DateTime? Instant(string? payload, string name) =>
        Text(payload, name) is { } s && DateTime.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : null;

    /// <summary>When no calendar is given (the planner's own tests): China Standard Time, UTC+8 all year.</summary>
    private static DateOnly ChinaDate(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    private static string? Text(string? payload, string name)
    {
        if (payload is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
