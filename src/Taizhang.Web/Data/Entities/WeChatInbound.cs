namespace Taizhang.Web.Data;

/// <summary>
/// One message or event the WeChat official account's server pushed to /wechat/callback, recorded
/// once (a unique <see cref="DedupeKey"/>): WeChat retries a message it got no answer for within five
/// seconds, up to three times, and the retries must find the first. Holds no personal data: no OpenID
/// in clear (events are keyed by a hash of it), no message text, and not the reply (which carries the
/// rating code; a repeat derives it again from the registration's Idempotency-Key).
/// </summary>
public sealed class WeChatInbound
{
    public const int DedupeKeyMaxLength = 160;

    public long Id { get; set; }

    /// <summary>"msg:" + MsgId for messages; "event:" + SHA-256(FromUserName) + ":" + CreateTime + ":" + Event for events
    /// (the documentation's advice: MsgId for messages, FromUserName + CreateTime for events).</summary>
    public string DedupeKey { get; set; } = string.Empty;

    /// <summary>text, image, event:subscribe …</summary>
    public string Kind { get; set; } = string.Empty;

    public DateTime ReceivedAt { get; set; }

    /// <summary>The case the message registered, once it is registered.</summary>
    public long? CaseId { get; set; }

    /// <summary>When handling finished (answered, or registered); null while in hand or after a failure.</summary>
    public DateTime? CompletedAt { get; set; }
}
