using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Notifications;

/// <summary>One message as a sender gets it: the recipient, the template's values and our rendered text.</summary>
public sealed record OutgoingMessage(long Id, long CaseId, NotificationKind Kind, NotificationChannel Channel, string Address,
    string TemplateKey, IReadOnlyDictionary<string, string> Parameters, string Text);

public enum SendOutcome
{
    Delivered,
    /// <summary>Try again later (the provider is busy, throttled, unreachable).</summary>
    Retry,
    /// <summary>It will never work (an invalid number, a closed 48-hour window): straight to the dead letters.</summary>
    Permanent,
}

/// <param name="Error">The provider's code and a word: never the address or the text.</param>
public sealed record SendResult(SendOutcome Outcome, string? Error = null)
{
    public static readonly SendResult Delivered = new(SendOutcome.Delivered);
}

/// <summary>A delivery channel. Implementations: <see cref="AliyunSmsSender"/>, <see cref="WeChatCustomMessageSender"/>, <see cref="FileSink"/>.</summary>
public interface INotificationSender
{
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// Which sender serves each channel: the real provider when it is configured, else the file sink
/// (the default in development and the demo, so deliveries show without a provider).
/// </summary>
public sealed class NotificationSenders(NotificationOptions options, IConfiguration configuration)
{
    /// <param name="services">The sending round's scope (typed HTTP clients are transient: resolved there, disposed with it).</param>
    public INotificationSender For(NotificationChannel channel, IServiceProvider services) => channel switch
    {
        NotificationChannel.Sms when options.Sms.Configured => services.GetRequiredService<AliyunSmsSender>(),
        NotificationChannel.WeChat when !string.IsNullOrWhiteSpace(configuration["WeChat:AppSecret"]) => services.GetRequiredService<WeChatCustomMessageSender>(),
        _ => services.GetRequiredService<FileSink>(),
    };
}
