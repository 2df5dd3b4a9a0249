using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests;

/// <summary>Shared fixtures: the shipped 2026 calendar, the Shanghai zone and a due policy on both.</summary>
internal static class TestData
{
    public const long Town = 1;
    public const long OtherTown = 2;
    public const long Village = 11;
    public const long UnitA = 101;
    public const long UnitB = 102;

    public static readonly Actor Clerk = new(ActorKind.User, "u-7", "王受理");

    public static string CalendarPath => Path.Combine(AppContext.BaseDirectory, "Calendar", "2026.json");

    private static readonly Lazy<string> CalendarJsonLazy = new(() => File.ReadAllText(CalendarPath));
    private static readonly Lazy<WorkingCalendar> CalendarLazy = new(() => WorkingCalendar.FromJson([CalendarJsonLazy.Value]));

    public static string CalendarJson => CalendarJsonLazy.Value;

    /// <summary>The real shipped 2026 calendar.</summary>
    public static WorkingCalendar Calendar2026 => CalendarLazy.Value;

    public static TimeZoneInfo Shanghai { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DuePolicy Due { get; } = new(ServiceLevels.Default, Calendar2026, Shanghai);

    /// <summary>A UTC instant given as Shanghai wall-clock time (UTC+8, no daylight saving).</summary>
    public static DateTime ShanghaiTime(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);

    public static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);
}
