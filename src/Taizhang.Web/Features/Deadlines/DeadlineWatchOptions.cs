namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// The deadline watch's settings, read from the <c>Deadlines</c> section. <see cref="NoticeAfterWorkingDays"/>
/// is the deadline practice's own setting (<c>Deadlines:NoticeAfterWorkingDays</c>), read here through the
/// configuration so the watch needs nothing else of that feature.
/// </summary>
/// <param name="WatchEnabled">Whether this process runs the watch's loop (tests turn it off and call the pass themselves).</param>
/// <param name="WatchIntervalMinutes">How often a pass runs.</param>
/// <param name="NoticeAfterWorkingDays">通报 after this many further working days without an answer to the automatic 催办.</param>
/// <param name="BatchSize">Most cases loaded and saved at once.</param>
/// <param name="WatchStartDelaySeconds">How long after start the first pass waits (after start-up, not during it).</param>
public sealed record DeadlineWatchOptions(bool WatchEnabled = true, double WatchIntervalMinutes = 5, int NoticeAfterWorkingDays = 5, int BatchSize = 200,
    double WatchStartDelaySeconds = 15)
{
    public const string Section = "Deadlines";

    public TimeSpan Interval => TimeSpan.FromMinutes(WatchIntervalMinutes);

    public static DeadlineWatchOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var defaults = new DeadlineWatchOptions();
        var options = new DeadlineWatchOptions(
            section.GetValue(nameof(WatchEnabled), defaults.WatchEnabled),
            section.GetValue(nameof(WatchIntervalMinutes), defaults.WatchIntervalMinutes),
            section.GetValue(nameof(NoticeAfterWorkingDays), defaults.NoticeAfterWorkingDays),
            section.GetValue("WatchBatchSize", defaults.BatchSize),
            section.GetValue(nameof(WatchStartDelaySeconds), defaults.WatchStartDelaySeconds));
        // A bad value stops the start with its name, rather than a watch that never (or always) fires.
        if (!(options.WatchIntervalMinutes > 0) || options.WatchIntervalMinutes > 24 * 60)
        {
            throw new InvalidOperationException($"{Section}:{nameof(WatchIntervalMinutes)} must be more than 0 and at most 1440.");
        }
        if (options.NoticeAfterWorkingDays is < 0 or > 365)
        {
            throw new InvalidOperationException($"{Section}:{nameof(NoticeAfterWorkingDays)} must be between 0 and 365.");
        }
        if (!(options.WatchStartDelaySeconds is >= 0 and <= 3600))
        {
            throw new InvalidOperationException($"{Section}:{nameof(WatchStartDelaySeconds)} must be between 0 and 3600.");
        }
        if (options.BatchSize is < 1 or > 10_000)
        {
            throw new InvalidOperationException($"{Section}:WatchBatchSize must be between 1 and 10000.");
        }
        return options;
    }
}

public static class DeadlineWatchSetup
{
    /// <summary>The deadline watch (automatic 催办 and 通报) and its options.</summary>
    public static IServiceCollection AddDeadlineWatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DeadlineWatchOptions.From(configuration));
        services.AddSingleton<DeadlineWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineWatch>());
        return services;
    }
}
