using System.Text.Json;
using System.Text.Json.Serialization;

namespace Taizhang.Domain.Calendar;

/// <summary>
/// Which dates are working days: Monday to Friday, minus official holidays, plus the
/// adjusted working weekends (调休上班) of each year's State Council notice.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _daysOff;
    private readonly HashSet<DateOnly> _extraWorkdays;
    private readonly SortedSet<int> _years;
    private readonly List<Holiday> _holidays;

    public WorkingCalendar(IEnumerable<Holiday> holidays, IEnumerable<DateOnly> extraWorkdays, IEnumerable<int> coveredYears)
    {
        _holidays = holidays.OrderBy(h => h.From).ToList();
        _daysOff = [];
        foreach (var h in _holidays)
        {
            if (h.To < h.From)
            {
                throw new DomainRuleException("calendar.invalid-range", $"Holiday {h.Name} ends before it starts.");
            }
            for (var d = h.From; d <= h.To; d = d.AddDays(1))
            {
                _daysOff.Add(d);
            }
        }
        _extraWorkdays = [.. extraWorkdays];
        var clash = _extraWorkdays.FirstOrDefault(_daysOff.Contains);
        if (_extraWorkdays.Overlaps(_daysOff))
        {
            throw new DomainRuleException("calendar.conflict", $"{clash:yyyy-MM-dd} is both a holiday and a working day.");
        }
        _years = [.. coveredYears];
    }

    /// <summary>A calendar that only knows weekends. Used when no data file is configured.</summary>
    public static WorkingCalendar WeekendsOnly { get; } = new([], [], []);

    public IReadOnlyList<Holiday> Holidays => _holidays;
    public IReadOnlyCollection<DateOnly> ExtraWorkdays => _extraWorkdays;
    public IReadOnlyCollection<int> CoveredYears => _years;

    /// <summary>True when the calendar has the official holiday data for the date's year.</summary>
    public bool Covers(DateOnly date) => _years.Contains(date.Year);

    public bool IsWorkingDay(DateOnly date)
    {
        if (_extraWorkdays.Contains(date))
        {
            return true;
        }
        if (_daysOff.Contains(date))
        {
            return false;
        }
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The <paramref name="workingDays"/>-th working day after <paramref name="start"/> (start itself not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var d = start;
        var left = workingDays;
        while (left > 0)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d))
            {
                left--;
            }
        }
        return d;
    }

    /// <summary>Working days in (from, to]: how many working days a deadline gives.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var n = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Years in [from, to] that have no holiday data: administrators must add them.</summary>
    public IReadOnlyList<int> MissingYears(DateOnly from, DateOnly to) =>
        Enumerable.Range(from.Year, to.Year - from.Year + 1).Where(y => !_years.Contains(y)).ToList();

    /// <summary>Reads calendar data files (one per year, see calendar/README.md) into one calendar.</summary>
    public static WorkingCalendar FromJson(IEnumerable<string> jsonDocuments)
    {
        var holidays = new List<Holiday>();
        var workdays = new List<DateOnly>();
        var years = new List<int>();
        foreach (var json in jsonDocuments)
        {
            CalendarFile file;
            try
            {
                file = JsonSerializer.Deserialize<CalendarFile>(json, JsonOptions)
                    ?? throw new DomainRuleException("calendar.invalid-file", "Calendar file is empty.");
            }
            catch (JsonException e)
            {
                throw new DomainRuleException("calendar.invalid-file", $"Calendar file is not valid: {e.Message}");
            }
            if (years.Contains(file.Year))
            {
                throw new DomainRuleException("calendar.duplicate-year", $"Calendar year {file.Year} is given twice.");
            }
            years.Add(file.Year);
            foreach (var h in file.Holidays ?? [])
            {
                if (h.From is not { } from || h.To is not { } to)
                {
                    throw new DomainRuleException("calendar.invalid-file", $"Holiday {h.Name} of {file.Year} needs both from and to.");
                }
                RequireYear(file.Year, from);
                RequireYear(file.Year, to);
                holidays.Add(new Holiday(h.Name ?? string.Empty, from, to));
            }
            foreach (var d in file.Workdays ?? [])
            {
                RequireYear(file.Year, d);
                workdays.Add(d);
            }
        }
        return new WorkingCalendar(holidays, workdays, years);
    }

    private static void RequireYear(int year, DateOnly date)
    {
        if (date.Year != year)
        {
            throw new DomainRuleException("calendar.invalid-file", $"{date:yyyy-MM-dd} is not in the file's year {year}.");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private sealed record CalendarFile(
        [property: JsonRequired] int Year,
        string? Source,
        List<HolidayEntry>? Holidays,
        List<DateOnly>? Workdays);

    private sealed record HolidayEntry(string? Name, DateOnly? From, DateOnly? To);
}

public sealed record Holiday(string Name, DateOnly From, DateOnly To);
