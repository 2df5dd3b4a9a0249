namespace Taizhang.Web.Features.Notifications;

public static class NotificationsSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions());
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationSenders>();
        services.AddSingleton<FileSink>();
        services.AddHttpClient<AliyunSmsSender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddHttpClient<WeChatCustomMessageSender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        // One token for the whole process (the API invalidates the previous one on each fetch).
        services.AddHttpClient(nameof(WeChatAccessToken), c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(sp => new WeChatAccessToken(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WeChatAccessToken)),
            sp.GetRequiredService<NotificationOptions>(), sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddScoped<NotificationAdmin.Handler>();
        services.AddScoped<ManageNotificationTemplates.Handler>();
        return services;
    }
}
