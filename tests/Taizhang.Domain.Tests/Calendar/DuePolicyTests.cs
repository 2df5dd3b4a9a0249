using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Calendar;

/// <summary>Due instants: service level + the real 2026 calendar + Asia/Shanghai.</summary>
public sealed class DuePolicyTests
{
    private static DuePolicy Due => TestData.Due;

    private static DateTime Sh(int month, int day, int hour, int minute = 0) => TestData.ShanghaiTime(2026, month, day, hour, minute);

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => TestData.Utc(2026, month, day, hour, minute);

    [Fact]
    public void Default_service_levels_match_the_brief()
    {
        var l = ServiceLevels.Default;
        Assert.Equal(new ServiceLevel(1, DurationUnit.CalendarDays), l.For(Urgency.Urgent));
        Assert.Equal(new ServiceLevel(3, DurationUnit.WorkingDays), l.For(Urgency.High));
        Assert.Equal(new ServiceLevel(7, DurationUnit.WorkingDays), l.For(Urgency.Normal));
        Assert.Equal(new ServiceLevel(15, DurationUnit.WorkingDays), l.For(Urgency.Low));
    }

    [Fact]
    public void Shanghai_offsets_are_plus_eight() =>
        Assert.Equal(TimeSpan.FromHours(8), TestData.Shanghai.GetUtcOffset(Utc(10, 1, 0)));

    [Fact]
    public void Normal_case_registered_before_National_Day_is_due_at_the_end_of_October_15()
    {
        // Oct 1-7 off; Oct 8, 9, 10 (adjusted Saturday), 12, 13, 14, 15 are the seven working days.
        Assert.Equal(Utc(10, 15, 16), Due.DueAt(Urgency.Normal, Sh(9, 30, 10)));
    }

    [Fact]
    public void High_case_registered_before_National_Day_is_due_at_the_end_of_the_adjusted_Saturday()
    {
        Assert.Equal(Utc(10, 10, 16), Due.DueAt(Urgency.High, Sh(9, 30, 10)));
    }

    [Fact]
    public void Low_case_counts_fifteen_working_days()
    {
        // From Sep 30: Oct 8, 9, 10, 12-16 (5), 19-23 (5), 26, 27 -> Oct 27.
        Assert.Equal(Utc(10, 27, 16), Due.DueAt(Urgency.Low, Sh(9, 30, 10)));
    }

    [Theory]
    [InlineData(9, 30, 10, 0)]
    [InlineData(10, 1, 0, 0)]
    [InlineData(10, 3, 23, 59)]
    public void Urgent_is_exactly_twenty_four_hours_even_over_a_holiday(int month, int day, int hour, int minute)
    {
        var from = Sh(month, day, hour, minute);
        Assert.Equal(from.AddHours(24), Due.DueAt(Urgency.Urgent, from));
    }

    [Fact]
    public void Late_evening_registration_counts_from_the_Shanghai_date()
    {
        // 2026-09-29 23:30 Shanghai = 15:30Z: 7 working days after Tue Sep 29 are Sep 30, Oct 8, 9, 10, 12, 13, 14.
        var from = Utc(9, 29, 15, 30);
        Assert.Equal(Sh(9, 29, 23, 30), from);
        Assert.Equal(new DateOnly(2026, 9, 29), Due.LocalDate(from));
        Assert.Equal(Utc(10, 14, 16), Due.DueAt(Urgency.Normal, from));
    }

    [Fact]
    public void Early_morning_registration_counts_from_the_Shanghai_date_not_the_UTC_date()
    {
        // 2026-09-30 07:00 Shanghai is still 2026-09-29 in UTC; counting from the UTC date would give Oct 14.
        var from = Utc(9, 29, 23);
        Assert.Equal(new DateOnly(2026, 9, 30), Due.LocalDate(from));
        Assert.Equal(Utc(10, 15, 16), Due.DueAt(Urgency.Normal, from));
        Assert.Equal(Utc(10, 10, 16), Due.DueAt(Urgency.High, from));
    }

    [Fact]
    public void Registration_on_a_holiday_counts_working_days_after_it()
    {
        Assert.Equal(Utc(10, 10, 16), Due.DueAt(Urgency.High, Sh(10, 3, 12)));
        Assert.Equal(Utc(10, 15, 16), Due.DueAt(Urgency.Normal, Sh(10, 1, 0, 30)));
    }

    [Fact]
    public void Spring_Festival_due_date_uses_the_adjusted_Saturdays()
    {
        // Fri Feb 13 + 3 working days: Sat Feb 14 (adjusted), then Feb 15-23 off, Tue Feb 24, Wed Feb 25.
        Assert.Equal(Utc(2, 25, 16), Due.DueAt(Urgency.High, Sh(2, 13, 9)));
    }

    [Fact]
    public void EndOfLocalDay_is_the_next_Shanghai_midnight()
    {
        Assert.Equal(Utc(10, 15, 16), Due.EndOfLocalDay(new DateOnly(2026, 10, 15)));
        Assert.Equal(DateTimeKind.Utc, Due.EndOfLocalDay(new DateOnly(2026, 10, 15)).Kind);
    }

    [Fact]
    public void Non_UTC_instants_are_refused()
    {
        var local = new DateTime(2026, 9, 30, 10, 0, 0, DateTimeKind.Unspecified);
        Assert.Throws<ArgumentException>(() => Due.DueAt(Urgency.Normal, local));
    }

    [Fact]
    public void Custom_levels_are_honoured()
    {
        var levels = ServiceLevels.Default with { Normal = new ServiceLevel(2, DurationUnit.CalendarDays) };
        var policy = new DuePolicy(levels, TestData.Calendar2026, TestData.Shanghai);
        var from = Sh(9, 30, 10);
        Assert.Equal(from.AddDays(2), policy.DueAt(Urgency.Normal, from));
    }

    [Fact]
    public void Weekends_only_calendar_ignores_the_holiday()
    {
        var policy = new DuePolicy(ServiceLevels.Default, WorkingCalendar.WeekendsOnly, TestData.Shanghai);
        // Without holiday data Oct 1-2, 5-7 count and Sat Oct 10 does not: Oct 1, 2, 5, 6, 7, 8, 9.
        Assert.Equal(Utc(10, 9, 16), policy.DueAt(Urgency.Normal, Sh(9, 30, 10)));
    }
    [Fact]
    public void Next_years_calendar_matters_from_the_first_registration_whose_due_date_can_fall_in_it()
    {
        // Low: 15 working days. From Friday 11 December 2026 the 15th working day after is 1 January
        // 2027 (a working day while 2027 has no data); from the 10th it is still 31 December.
        Assert.Equal(new DateOnly(2026, 12, 11), Due.FirstRegistrationReaching(new DateOnly(2027, 1, 1)));
        Assert.Equal(Utc(12, 31, 16), Due.DueAt(Urgency.Low, Sh(12, 10, 10)));
        Assert.Equal(TestData.Utc(2027, 1, 1, 16), Due.DueAt(Urgency.Low, Sh(12, 11, 10)));

        // Calendar days: 30 days before.
        var days = new DuePolicy(new ServiceLevels(new(1, DurationUnit.CalendarDays), new(3, DurationUnit.CalendarDays),
            new(7, DurationUnit.CalendarDays), new(30, DurationUnit.CalendarDays)), TestData.Calendar2026, TestData.Shanghai);
        Assert.Equal(new DateOnly(2026, 12, 2), days.FirstRegistrationReaching(new DateOnly(2027, 1, 1)));
    }
}
