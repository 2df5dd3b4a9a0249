// When things happen: registrations by channel and season, office hours and working days, resolution
// on time or late, follow-ups. Local times are in the due policy's zone and calendar.
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>A registration instant in [lo, hi): office channels on working days in office hours, the others from morning to late evening.</summary>
    private DateTime PickRegistration(Channel channel, string category, DateTime lo, DateTime hi)
    {
        var office = channel is Channel.WalkIn or Channel.CadreVisit or Channel.HigherLevel or Channel.Petition
            or Channel.LivelihoodPlatform or Channel.Meeting;
        var seasonal = hi - lo > TimeSpan.FromDays(60);
        for (var i = 0; i < 80; i++)
        {
            var at = lo + ((hi - lo) * _rng.NextDouble());
            var day = _due.LocalDate(at);
            if (seasonal && _rng.NextDouble() * 3 > DemoCatalogue.MonthWeight(category, day.Month))
            {
                continue;
            }
            if (office && !_due.Calendar.IsWorkingDay(day))
            {
                continue;
            }
            var timeOfDay = office
                ? TimeSpan.FromMinutes(U(8 * 60 + 40, 17 * 60 + 20))
                : channel == Channel.Hotline ? TimeSpan.FromMinutes(U(7 * 60 + 30, 21 * 60 + 30)) : TimeSpan.FromMinutes(U(6 * 60 + 30, 23 * 60 + 30));
            var result = LocalToUtc(day, timeOfDay);
            if (result >= lo && result < hi)
            {
                return result;
            }
        }
        return lo + ((hi - lo) * _rng.NextDouble());
    }

    private DateTime ResolveTime(DateTime t, DateTime dueAt, bool urgent, double onTime)
    {
        if (Chance(onTime) && dueAt > t.AddHours(1))
        {
            var r = t + ((dueAt - t) * U(0.15, 0.85));
            if (!urgent)
            {
                var office = Office(r);
                if (office < dueAt)
                {
                    r = office;
                }
            }
            return r;
        }
        var late = (dueAt > t ? dueAt : t).AddHours(U(4, 24 * 6));
        return urgent ? late : Office(late);
    }

    private DateTime FollowUpTime(DateTime resolvedAt) => Office(resolvedAt.AddDays(U(1, 6)));

    private DateTime Later(DateTime t, double minHours, double maxHours, bool anyHour)
    {
        var next = t.AddHours(U(minHours, maxHours));
        return anyHour ? next : Office(next);
    }

    /// <summary>The instant itself when the office is open, else some time in the office hours of the next working day.</summary>
    private DateTime Office(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _due.Zone);
        var day = DateOnly.FromDateTime(local);
        var time = local.TimeOfDay;
        var opens = new TimeSpan(8, 30, 0);
        var closes = new TimeSpan(17, 30, 0);
        var working = _due.Calendar.IsWorkingDay(day);
        if (working && time >= opens && time < closes)
        {
            return utc;
        }
        if (!working || time >= closes)
        {
            do
            {
                day = day.AddDays(1);
            }
            while (!_due.Calendar.IsWorkingDay(day));
        }
        // Most of what waits overnight is done in the morning.
        return LocalToUtc(day, opens + TimeSpan.FromMinutes(Chance(0.6) ? _rng.Next(0, 180) : _rng.Next(0, 480)));
    }

    /// <summary>The instant itself between 07:30 and 21:30 local (when people call), else the next office opening.</summary>
    private DateTime Awake(DateTime utc)
    {
        var time = TimeZoneInfo.ConvertTimeFromUtc(utc, _due.Zone).TimeOfDay;
        return time >= new TimeSpan(7, 30, 0) && time < new TimeSpan(21, 30, 0) ? utc : Office(utc);
    }

    private DateTime LocalToUtc(DateOnly day, TimeSpan timeOfDay) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay, _due.Zone);
}
