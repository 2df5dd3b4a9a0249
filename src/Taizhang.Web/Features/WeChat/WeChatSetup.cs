namespace Taizhang.Web.Features.WeChat;

/// <summary>The WeChat official account's settings (README "WeChat official account").</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    /// <summary>令牌 (Token) of the account's server configuration. Not set: the channel is off and /wechat/callback answers 404.</summary>
    public string? Token { get; set; }

    /// <summary>The account's AppID (for the notifications helper's customer messages; not needed to receive).</summary>
    public string? AppId { get; set; }

    /// <summary>原始ID (gh_…): the ToUserName every message to this account carries; messages to another account are refused.</summary>
    public string? OriginalId { get; set; }

    /// <summary>The unit code WeChat matters are registered at; not set: the first town.</summary>
    public string? OrgUnit { get; set; }

    /// <summary>How far a request's timestamp may be from our clock, either way (limits the replay of a captured request).</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>
    /// WeChat waits five seconds for the answer, then retries (three times in all). A registration not done
    /// within this is answered "being registered" and completes in the background.
    /// </summary>
    public int ReplyWithinMilliseconds { get; set; } = 4000;

    /// <summary>Largest message body read (WeChat's messages are a few KB).</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Where residents track a matter (e.g. https://taizhang.example.gov.cn): the replies name {this}/track; not set: "/track".</summary>
    public string? PublicBaseUrl { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Token);
}

public static class WeChatSetup
{
    public static IServiceCollection AddWeChat(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(WeChatOptions.Section).Get<WeChatOptions>() ?? new WeChatOptions();
        if (string.IsNullOrWhiteSpace(options.PublicBaseUrl) && configuration["Notifications:PublicBaseUrl"] is { Length: > 0 } notifications)
        {
            // One public address serves both: the notifications' {网址} and the replies' tracking link.
            options.PublicBaseUrl = notifications;
        }
        if (options.MaxClockSkewSeconds < 1 || options.ReplyWithinMilliseconds < 1 || options.MaxBodyBytes < 1024)
        {
            throw new InvalidOperationException(
                "WeChat:MaxClockSkewSeconds and WeChat:ReplyWithinMilliseconds must be positive, WeChat:MaxBodyBytes at least 1024.");
        }
        services.AddSingleton(options);
        services.AddScoped<WeChatMessages.Handler>();
        services.AddSingleton<WeChatInbox>();
        // Stops before the intake writer (hosted services stop in reverse order): registrations still in
        // the background are handed to the writer before it drains.
        services.AddHostedService(sp => sp.GetRequiredService<WeChatInbox>());
        services.AddSingleton<IWeChatLateRegistration, LoggedLateRegistration>();
        return services;
    }

    public static IEndpointRouteBuilder MapWeChatEndpoints(this IEndpointRouteBuilder app)
    {
        // Authenticated by the signature over the configured Token (WeChatCallback), not by an account.
        app.MapGet(WeChatCallback.Path, WeChatCallback.VerifyEndpoint)
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapPost(WeChatCallback.Path, WeChatCallback.MessageEndpoint)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
