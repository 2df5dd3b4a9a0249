namespace Taizhang.Web.Data;

/// <summary>What happened to the case that someone is told about.</summary>
public enum NotificationKind
{
    Registered,
    Resolved,
    Rejected,
    FollowedUp,
    Assigned,
    Returned,
    Transferred,
    /// <summary>延期 approved: the reporter is told the new due date.</summary>
    Extended,
    /// <summary>A message another part of the app enqueued itself (e.g. the WeChat channel's answer).</summary>
    Custom,
}

public enum RecipientKind
{
    Reporter,
    Unit,
}

public enum NotificationChannel
{
    Sms,
    WeChat,
    /// <summary>The file sink: a JSON line in a file (a unit nobody at which has a phone, and the demo).</summary>
    File,
}

public enum NotificationStatus
{
    /// <summary>Waiting for its next attempt (<see cref="Notification.NextAttemptAt"/>); a failed attempt that will be retried is Pending again.</summary>
    Pending,
    /// <summary>Claimed by a sender (<see cref="Notification.ClaimToken"/>) until <see cref="Notification.ClaimedUntil"/>.</summary>
    Sending,
    Delivered,
    /// <summary>Given up: too many attempts or a permanent refusal. An administrator may retry it.</summary>
    DeadLetter,
}

/// <summary>
/// One message of the notification outbox: written in the same transaction as the case change that
/// caused it, delivered later by <c>NotificationDispatcher</c>. The address is personal data (a phone
/// or an OpenID): shown masked, never logged; <see cref="LastError"/> holds a provider's code only.
/// </summary>
public sealed class Notification
{
    public const int AddressMaxLength = 128;
    public const int ErrorMaxLength = 300;

    public long Id { get; set; }
    public long CaseId { get; set; }
    public long TownId { get; set; }
    public NotificationKind Kind { get; set; }
    public RecipientKind RecipientKind { get; set; }
    public NotificationChannel Channel { get; set; }

    /// <summary>A phone number (SMS), an OpenID (WeChat), or "unit:{id}" (file sink for a unit without phones).</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>For a unit's notification: the unit told.</summary>
    public long? UnitId { get; set; }

    public string TemplateKey { get; set; } = string.Empty;

    /// <summary>JSON object of the template's values (trackingCode, ratingCode, url, town, unit, reason).</summary>
    public string Parameters { get; set; } = "{}";

    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public string? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// <summary>
    /// Delivered to the file sink in place of its channel (no SMS provider or WeChat secret configured):
    /// the outbox says so, so that nobody takes it for a text the resident received.
    /// </summary>
    public bool DeliveredToFile { get; set; }
}
