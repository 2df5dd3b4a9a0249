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

    /// <summary>
    /// The first local day on which a registration's due date, at some urgency, can fall on or after
    /// <paramref name="date"/>: from then on the calendar of <paramref name="date"/>'s year matters.
    /// </summary>
    public DateOnly FirstRegistrationReaching(DateOnly date)
    {
        var first = date;
        foreach (var level in new[] { Levels.Urgent, Levels.High, Levels.Normal, Levels.Low })
        {
            // A registration late on day d with a calendar-day level is due on day d + count.
            bool Reaches(DateOnly d) => level.Unit == DurationUnit.CalendarDays
                ? d.AddDays(level.Count) >= date
                : Calendar.AddWorkingDays(d, level.Count) >= date;
            var day = date;
            // Bounded: a year of working days reaches back at most about two years.
            for (var i = 0; i < 800 && Reaches(day.AddDays(-1)); i++)
            {
                day = day.AddDays(-1);
            }
            if (day < first)
            {
                first = day;
            }
        }
        return first;
    }

    public DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    public DateTime EndOfLocalDay(DateOnly date)
    {
        var nextMidnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(nextMidnight, Zone);
    }
}
