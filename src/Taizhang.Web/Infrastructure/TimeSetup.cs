using Taizhang.Domain.Calendar;

namespace Taizhang.Web.Infrastructure;

/// <summary>Service levels (configurable under ServiceLevels:Urgent etc.) and the working calendar.</summary>
public sealed class ServiceLevelOptions
{
    public const string Section = "ServiceLevels";

    public ServiceLevel Urgent { get; set; } = ServiceLevels.Default.Urgent;
    public ServiceLevel High { get; set; } = ServiceLevels.Default.High;
    public ServiceLevel Normal { get; set; } = ServiceLevels.Default.Normal;
    public ServiceLevel Low { get; set; } = ServiceLevels.Default.Low;
}

public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>Folder of yearly holiday files (2026.json …); relative paths are under the app's folder.</summary>
    public string Directory { get; set; } = "Calendar";

    /// <summary>The offices' time zone: days, due dates and reports are local to it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
}

public static class TimeSetup
{
    public static IServiceCollection AddTaizhangTime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        var levelsSection = configuration.GetSection(ServiceLevelOptions.Section);
        var levels = new ServiceLevelOptions();
        Bind(levelsSection.GetSection("Urgent"), v => levels.Urgent = v, levels.Urgent);
        Bind(levelsSection.GetSection("High"), v => levels.High = v, levels.High);
        Bind(levelsSection.GetSection("Normal"), v => levels.Normal = v, levels.Normal);
        Bind(levelsSection.GetSection("Low"), v => levels.Low = v, levels.Low);
        var calendarOptions = configuration.GetSection(CalendarOptions.Section).Get<CalendarOptions>() ?? new CalendarOptions();
        services.AddSingleton(calendarOptions);
        services.AddSingleton(sp => new DuePolicySource(
            new ServiceLevels(levels.Urgent, levels.High, levels.Normal, levels.Low), calendarOptions,
            sp.GetRequiredService<IServiceScopeFactory>()));
        // Each request works with the policy in force when it starts.
        services.AddScoped(sp => sp.GetRequiredService<DuePolicySource>().Current);
        return services;
    }

    private static void Bind(IConfigurationSection section, Action<ServiceLevel> set, ServiceLevel fallback)
    {
        if (!section.Exists())
        {
            return;
        }
        var count = section.GetValue("Count", fallback.Count);
        var unit = section.GetValue("Unit", fallback.Unit);
        if (count < 0)
        {
            throw new InvalidOperationException($"{section.Path}:Count must not be negative.");
        }
        set(new ServiceLevel(count, unit));
    }
}
