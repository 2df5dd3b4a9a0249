namespace Taizhang.Web.Features.Notifications;

/// <summary>The <c>Notifications</c> section. Durations in seconds.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Whether this process runs the background sender (several web nodes may all run it: claims are exclusive).</summary>
    public bool SenderEnabled { get; set; } = true;

    /// <summary>How often the sender looks for due messages.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Most messages claimed at once.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>A claim not finished after this long (a crashed process) may be claimed again.</summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>The first retry waits this long, each next one twice as long …</summary>
    public double RetryBaseSeconds { get; set; } = 60;

    /// <summary>… up to this.</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>Attempts before a message goes to the dead letters.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The address residents open the tracking page at (https://…); the messages' {网址}.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>The file sink's file (JSON lines); default: notifications.jsonl beside the SQLite file (<see cref="FileSink.Resolve"/>).</summary>
    public string? FilePath { get; set; }

    public SmsOptions Sms { get; set; } = new();

    public WeChatApiOptions WeChat { get; set; } = new();

    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(RetryMaxSeconds, RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempts - 1))));
}

/// <summary>Alibaba Cloud SMS (dysmsapi). Without an AccessKeyId, SMS go to the file sink.</summary>
public sealed class SmsOptions
{
    public string BaseUrl { get; set; } = "https://dysmsapi.aliyuncs.com/";
    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }
    public string SignName { get; set; } = string.Empty;
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>Our template key (reporter.registered …) → the provider's approved TemplateCode (SMS_…).</summary>
    public Dictionary<string, string> Templates { get; set; } = [];

    public bool Configured => !string.IsNullOrWhiteSpace(AccessKeyId);
}

/// <summary>The WeChat official account's API (AppId is <c>WeChat:AppId</c>, the secret <c>WeChat:AppSecret</c>). Without a secret, WeChat messages go to the file sink.</summary>
public sealed class WeChatApiOptions
{
    public string BaseUrl { get; set; } = "https://api.weixin.qq.com/";
}
