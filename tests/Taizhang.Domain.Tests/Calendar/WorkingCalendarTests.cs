using Taizhang.Domain.Calendar;

namespace Taizhang.Domain.Tests.Calendar;

/// <summary>The shipped 2026 calendar against the State Council notice, and the calendar's own rules.</summary>
public sealed class WorkingCalendarTests
{
    private static WorkingCalendar Cal => TestData.Calendar2026;

    private static DateOnly D(int month, int day) => new(2026, month, day);

    [Fact]
    public void Shipped_file_is_copied_next_to_the_tests()
    {
        Assert.True(File.Exists(TestData.CalendarPath), TestData.CalendarPath);
        Assert.Equal([2026], Cal.CoveredYears.ToArray());
    }

    // Days off from PRODUCT.md, including the weekend days inside each span.
    [Theory]
    [InlineData("New Year", 1, 1, 1, 3)]
    [InlineData("Spring Festival", 2, 15, 2, 23)]
    [InlineData("Qingming", 4, 4, 4, 6)]
    [InlineData("Labour Day", 5, 1, 5, 5)]
    [InlineData("Dragon Boat", 6, 19, 6, 21)]
    [InlineData("Mid-Autumn", 9, 25, 9, 27)]
    [InlineData("National Day", 10, 1, 10, 7)]
    public void Every_day_of_each_official_holiday_is_off(string holiday, int fromMonth, int fromDay, int toMonth, int toDay)
    {
        for (var d = D(fromMonth, fromDay); d <= D(toMonth, toDay); d = d.AddDays(1))
        {
            Assert.False(Cal.IsWorkingDay(d), $"{holiday}: {d:yyyy-MM-dd} should be off");
        }
        Assert.Contains(Cal.Holidays, h => h.From == D(fromMonth, fromDay) && h.To == D(toMonth, toDay));
    }

    [Fact]
    public void Shipped_file_has_exactly_the_seven_holidays_of_the_notice()
    {
        Assert.Equal(7, Cal.Holidays.Count);
        Assert.All(Cal.Holidays, h => Assert.False(string.IsNullOrWhiteSpace(h.Name)));
    }

    // Adjusted working weekends (调休上班).
    [Theory]
    [InlineData(1, 4, DayOfWeek.Sunday)]
    [InlineData(2, 14, DayOfWeek.Saturday)]
    [InlineData(2, 28, DayOfWeek.Saturday)]
    [InlineData(5, 9, DayOfWeek.Saturday)]
    [InlineData(9, 20, DayOfWeek.Sunday)]
    [InlineData(10, 10, DayOfWeek.Saturday)]
    public void Adjusted_weekend_is_a_working_day(int month, int day, DayOfWeek weekday)
    {
        var d = D(month, day);
        Assert.Equal(weekday, d.DayOfWeek);
        Assert.True(Cal.IsWorkingDay(d));
    }

    [Fact]
    public void Shipped_file_has_exactly_the_six_adjusted_working_days()
    {
        Assert.Equal(
            [D(1, 4), D(2, 14), D(2, 28), D(5, 9), D(9, 20), D(10, 10)],
            Cal.ExtraWorkdays.Order().ToArray());
    }

    [Theory]
    [InlineData(3, 7)]   // Sat
    [InlineData(3, 8)]   // Sun
    [InlineData(9, 19)]  // Sat before the adjusted Sunday
    [InlineData(10, 11)] // Sun after the adjusted Saturday
    [InlineData(1, 10)]  // Sat
    [InlineData(12, 27)] // Sun
    public void Ordinary_weekends_are_off(int month, int day) => Assert.False(Cal.IsWorkingDay(D(month, day)));

    [Theory]
    [InlineData(3, 9)]   // Mon
    [InlineData(9, 30)]  // Wed before National Day
    [InlineData(10, 8)]  // Thu after National Day
    [InlineData(2, 24)]  // Tue after Spring Festival
    [InlineData(12, 31)] // Thu
    public void Ordinary_weekdays_are_working_days(int month, int day) => Assert.True(Cal.IsWorkingDay(D(month, day)));

    [Fact]
    public void Year_2026_has_the_expected_number_of_working_days()
    {
        // 261 weekdays in 2026, minus the holiday weekdays, plus the 6 adjusted working weekends.
        var weekdays = 0;
        for (var d = D(1, 1); d.Year == 2026; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                weekdays++;
            }
        }
        Assert.Equal(261, weekdays);
        // Holiday weekdays: NY Jan 1-2 (2), SF Feb 16-20, 23 (6), Qingming Apr 6 (1), Labour May 1, 4, 5 (3),
        // Dragon Boat Jun 19 (1), Mid-Autumn Sep 25 (1), National Day Oct 1, 2, 5, 6, 7 (5) = 19.
        Assert.Equal(261 - 19 + 6, Cal.WorkingDaysBetween(new DateOnly(2025, 12, 31), D(12, 31)));
    }

    [Fact]
    public void Covers_only_the_years_with_data()
    {
        Assert.True(Cal.Covers(D(1, 1)));
        Assert.True(Cal.Covers(D(12, 31)));
        Assert.False(Cal.Covers(new DateOnly(2027, 1, 1)));
        Assert.False(Cal.Covers(new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void MissingYears_lists_years_without_data()
    {
        Assert.Empty(Cal.MissingYears(D(1, 1), D(12, 31)));
        Assert.Equal([2027], Cal.MissingYears(D(11, 1), new DateOnly(2027, 3, 1)));
        Assert.Equal([2025, 2027, 2028], Cal.MissingYears(new DateOnly(2025, 6, 1), new DateOnly(2028, 1, 1)));
    }

    [Fact]
    public void Weekends_only_calendar_knows_no_holidays_and_covers_nothing()
    {
        var cal = WorkingCalendar.WeekendsOnly;
        Assert.True(cal.IsWorkingDay(D(10, 1)));
        Assert.False(cal.IsWorkingDay(D(10, 10)));
        Assert.False(cal.Covers(D(10, 1)));
    }

    // ---------- AddWorkingDays / WorkingDaysBetween ----------

    [Fact]
    public void AddWorkingDays_skips_the_National_Day_holiday_and_uses_the_adjusted_Saturday()
    {
        Assert.Equal(D(10, 8), Cal.AddWorkingDays(D(9, 30), 1));
        Assert.Equal(D(10, 10), Cal.AddWorkingDays(D(9, 30), 3));
        Assert.Equal(D(10, 15), Cal.AddWorkingDays(D(9, 30), 7));
        Assert.Equal(7, Cal.WorkingDaysBetween(D(9, 30), D(10, 15)));
        Assert.Equal(0, Cal.WorkingDaysBetween(D(9, 30), D(10, 7)));
    }

    [Fact]
    public void AddWorkingDays_counts_from_the_day_after_the_start_even_on_a_holiday()
    {
        Assert.Equal(D(10, 8), Cal.AddWorkingDays(D(10, 3), 1));
        Assert.Equal(D(9, 21), Cal.AddWorkingDays(D(9, 19), 2)); // Sun Sep 20 is a working day
    }

    [Fact]
    public void AddWorkingDays_zero_returns_the_start_even_when_it_is_a_day_off()
    {
        Assert.Equal(D(9, 30), Cal.AddWorkingDays(D(9, 30), 0));
        Assert.Equal(D(10, 1), Cal.AddWorkingDays(D(10, 1), 0));
    }

    [Fact]
    public void AddWorkingDays_negative_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Cal.AddWorkingDays(D(9, 30), -1));

    // ---------- FromJson validation ----------

    private const string Year2027 = """
        { "year": 2027, "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-01" } ], "workdays": [] }
        """;

    [Fact]
    public void FromJson_merges_several_years()
    {
        var cal = WorkingCalendar.FromJson([TestData.CalendarJson, Year2027]);
        Assert.True(cal.Covers(new DateOnly(2027, 6, 1)));
        Assert.False(cal.IsWorkingDay(new DateOnly(2027, 1, 1))); // a Friday, off
        Assert.False(cal.IsWorkingDay(D(10, 1)));
        Assert.Equal([2026, 2027], cal.CoveredYears.ToArray());
        Assert.Empty(cal.MissingYears(D(1, 1), new DateOnly(2027, 12, 31)));
    }

    [Fact]
    public void FromJson_accepts_comments_and_trailing_commas()
    {
        var cal = WorkingCalendar.FromJson(["""
            // note
            { "year": 2030, "holidays": [ { "name": "x", "from": "2030-01-01", "to": "2030-01-02", }, ], "workdays": [ "2030-01-05", ], }
            """]);
        Assert.False(cal.IsWorkingDay(new DateOnly(2030, 1, 2)));
        Assert.True(cal.IsWorkingDay(new DateOnly(2030, 1, 5))); // Saturday
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{ "year": "twenty" }""")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-13-01", "to": "2026-13-02" } ] }""")]
    [InlineData("""{ "holidays": [] }""")]
    [InlineData("null")]
    public void FromJson_rejects_malformed_files(string json)
    {
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([json]));
        Assert.Equal("calendar.invalid-file", ex.Code);
    }

    [Fact]
    public void FromJson_rejects_a_duplicate_year()
    {
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([TestData.CalendarJson, TestData.CalendarJson]));
        Assert.Equal("calendar.duplicate-year", ex.Code);
    }

    [Fact]
    public void FromJson_rejects_a_date_that_is_both_holiday_and_workday()
    {
        const string json = """
            { "year": 2026, "holidays": [ { "name": "国庆节", "from": "2026-10-01", "to": "2026-10-07" } ], "workdays": [ "2026-10-03" ] }
            """;
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([json]));
        Assert.Equal("calendar.conflict", ex.Code);
        Assert.Contains("2026-10-03", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_rejects_a_date_outside_the_files_year()
    {
        const string json = """{ "year": 2027, "workdays": [ "2026-10-01" ] }""";
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([TestData.CalendarJson, json]));
        Assert.Equal("calendar.invalid-file", ex.Code);
    }

    [Theory]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-10-01" } ] }""")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "to": "2026-10-01" } ] }""")]
    [InlineData("""{ "year": 2026, "holidays": [ { "name": "x", "from": "2025-12-31", "to": "2026-01-01" } ] }""")]
    public void FromJson_rejects_holidays_without_both_dates_in_the_year(string json)
    {
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([json]));
        Assert.Equal("calendar.invalid-file", ex.Code);
    }

    [Fact]
    public void Holiday_ending_before_it_starts_is_refused()
    {
        const string json = """{ "year": 2026, "holidays": [ { "name": "x", "from": "2026-10-07", "to": "2026-10-01" } ] }""";
        var ex = Assert.Throws<DomainRuleException>(() => WorkingCalendar.FromJson([json]));
        Assert.Equal("calendar.invalid-range", ex.Code);
    }
}
