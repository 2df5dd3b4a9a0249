// The demo year's meetings: four deliberations, the forums (seasonal ones in their month) and three
// concentrated-handling meetings, at most one a working day. Planned before the cases, which refer to them.
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private void PlanMeetings()
    {
        var rotate = _rng.Next(DemoCatalogue.DeliberationThemes.Length);
        var perYear = new Dictionary<int, int>();
        for (var i = 0; i < 4; i++)
        {
            var at = MeetingTime(45 + (90 * i) + _rng.Next(-7, 8), morning: true);
            var year = _due.LocalDate(at).Year;
            perYear[year] = perYear.GetValueOrDefault(year) + 1;
            var theme = DemoCatalogue.DeliberationThemes[(i + rotate) % DemoCatalogue.DeliberationThemes.Length];
            AddMeeting(_town, MeetingKind.Deliberation, $"三岔镇{year}年第{perYear[year]}次协商议事会议({theme})", at, null);
        }
        // About one forum a month; seasonal ones take the slot nearest their month, the others fill in at random.
        var slots = Enumerable.Range(0, DemoCatalogue.Forums.Length)
            .Select(i => MeetingTime(12 + (29 * i) + _rng.Next(-5, 6), morning: Chance(0.5)))
            .ToList();
        var others = DemoCatalogue.Forums.Where(f => f.Month == 0).ToArray();
        Shuffle(others);
        foreach (var (village, title, category, month) in DemoCatalogue.Forums.Where(f => f.Month != 0).Concat(others))
        {
            var slot = month == 0 ? slots[0] : slots.MinBy(s => MonthDistance(_due.LocalDate(s).Month, month));
            slots.Remove(slot);
            AddMeeting(village is null ? _town : _units[village], MeetingKind.Forum, title, slot, category);
        }
        perYear.Clear();
        for (var i = 0; i < 3; i++)
        {
            var at = MeetingTime(100 + (120 * i) + _rng.Next(-5, 6), morning: false);
            var year = _due.LocalDate(at).Year;
            perYear[year] = perYear.GetValueOrDefault(year) + 1;
            AddMeeting(_town, MeetingKind.ConcentratedHandling, $"三岔镇议题台账集中办理会({year}年第{perYear[year]}次)", at, null);
        }
        _meetings.Sort((a, b) => a.HeldAt.CompareTo(b.HeldAt));
    }

    private static int MonthDistance(int a, int b) => Math.Min(Math.Abs(a - b), 12 - Math.Abs(a - b));

    private void AddMeeting(OrgUnit unit, MeetingKind kind, string title, DateTime at, string? category)
    {
        var meeting = NewMeeting(unit, kind, title, at);
        _meetings.Add(meeting);
        _meetingCategory[meeting] = category;
    }

    /// <summary>A working day about <paramref name="dayOfYear"/> days into the demo year, at 09:00 or 14:30 local.</summary>
    private DateTime MeetingTime(int dayOfYear, bool morning)
    {
        var day = _due.LocalDate(_start.AddDays(Math.Clamp(dayOfYear, 1, 360)));
        while (!_due.Calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        // One meeting a day at most.
        while (!_due.Calendar.IsWorkingDay(day) || _meetings.Any(m => _due.LocalDate(m.HeldAt) == day))
        {
            day = day.AddDays(1);
        }
        var at = LocalToUtc(day, morning ? new TimeSpan(9, 0, 0) : new TimeSpan(14, 30, 0));
        return at < _end.AddDays(-1) ? at : _end.AddDays(-2);
    }
}
