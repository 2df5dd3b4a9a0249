using Microsoft.AspNetCore.Hosting;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Notifications;

/// <summary>The app with its notification senders pointed at <see cref="FakeProviders"/> and the file sink at a temporary file.</summary>
internal static class NotificationsSettings
{
    public static void Apply(IWebHostBuilder builder, FakeProviders fake, string file)
    {
        builder.UseSetting("Notifications:Sms:BaseUrl", fake.SmsUrl);
        builder.UseSetting("Notifications:Sms:AccessKeyId", FakeProviders.AccessKeyId);
        builder.UseSetting("Notifications:Sms:AccessKeySecret", FakeProviders.AccessKeySecret);
        builder.UseSetting("Notifications:Sms:SignName", "三岔镇人民政府");
        var i = 0;
        foreach (var t in NotificationTemplates.All)
        {
            builder.UseSetting("Notifications:Sms:Templates:" + t.Key, "SMS_90000" + i++);
        }
        builder.UseSetting("Notifications:WeChat:BaseUrl", fake.WeChatUrl);
        builder.UseSetting("WeChat:AppId", FakeProviders.AppId);
        builder.UseSetting("WeChat:AppSecret", FakeProviders.AppSecret);
        builder.UseSetting("Notifications:FilePath", file);
        builder.UseSetting("Notifications:PublicBaseUrl", "https://taizhang.example.cn");
        builder.UseSetting("Notifications:RetryBaseSeconds", "60");
        builder.UseSetting("Notifications:RetryMaxSeconds", "3600");
        builder.UseSetting("Notifications:MaxAttempts", "4");
    }
}

public interface INotificationsApp
{
    FakeProviders Fake { get; }

    string NotificationFile { get; }
}

public sealed class NotificationsSqliteApp : SqliteApp, INotificationsApp
{
    public FakeProviders Fake { get; } = FakeProviders.Start();

    public string NotificationFile { get; } = Path.Combine(Path.GetTempPath(), "taizhang-tests", Guid.NewGuid().ToString("N") + "-notifications.jsonl");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        NotificationsSettings.Apply(builder, Fake, NotificationFile);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
        File.Delete(NotificationFile);
    }
}

public sealed class NotificationsPostgresApp : PostgresApp, INotificationsApp
{
    public FakeProviders Fake { get; } = FakeProviders.Start();

    public string NotificationFile { get; } = Path.Combine(Path.GetTempPath(), "taizhang-tests", Guid.NewGuid().ToString("N") + "-notifications.jsonl");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        NotificationsSettings.Apply(builder, Fake, NotificationFile);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
        File.Delete(NotificationFile);
    }
}
