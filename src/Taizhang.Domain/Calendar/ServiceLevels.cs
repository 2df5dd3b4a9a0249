using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Calendar;

public enum DurationUnit
{
    CalendarDays,
    WorkingDays,
}

/// <summary>How long a case of one urgency may take.</summary>
public sealed record ServiceLevel(int Count, DurationUnit Unit);

/// <summary>Service levels by urgency; configurable, with the defaults of the product brief.</summary>
public sealed record ServiceLevels(ServiceLevel Urgent, ServiceLevel High, ServiceLevel Normal, ServiceLevel Low)
{
    public static ServiceLevels Default { get; } = new(
        new ServiceLevel(1, DurationUnit.CalendarDays),
        new ServiceLevel(3, DurationUnit.WorkingDays),
        new ServiceLevel(7, DurationUnit.WorkingDays),
        new ServiceLevel(15, DurationUnit.WorkingDays));

    public ServiceLevel For(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => Urgent,
        Urgency.High => High,
        Urgency.Normal => Normal,
        Urgency.Low => Low,
    };
}

/// <summary>Computes due instants: service level + working calendar + the office's time zone.</summary>
public sealed class DuePolicy(ServiceLevels levels, WorkingCalendar calendar, TimeZoneInfo zone)
{
    public ServiceLevels Levels { get; } = levels;
    public WorkingCalendar Calendar { get; } = calendar;
    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>
    /// Calendar-day levels run from the instant of registration; working-day levels end at
    /// local midnight after the N-th working day following the day of registration.
    /// </summary>
    public DateTime DueAt(Urgency urgency, DateTime fromUtc)
    {
        if (fromUtc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(fromUtc));
        }
        var level = Levels.For(urgency);
        return level.Unit switch
        {
            DurationUnit.CalendarDays => fromUtc.AddDays(level.Count),
            DurationUnit.WorkingDays => EndOfLocalDay(Calendar.AddWorkingDays(LocalDate(fromUtc), level.Count)),
        };
    }

    public DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    public DateTime EndOfLocalDay(DateOnly date)
    {
        var nextMidnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(nextMidnight, Zone);
    }
}
