using System.Globalization;
using System.Text.RegularExpressions;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Pages.Admin;

/// <summary>The administration pages' forms: what a browser posts, turned into the admin API's requests.</summary>
public sealed class UnitForm
{
    public string? Parent { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public string? Code { get; set; }

    public ManageOrganisation.CreateUnitRequest ToRequest() => new(Code, Name, Kind, Parent);
}

public sealed class RenameForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
}

public sealed class CategoryForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public bool IsDispute { get; set; }

    public ManageOrganisation.CategoryRequest ToRequest() => new(Code, Name, IsDispute);
}

public sealed class ApiClientForm
{
    public string? Name { get; set; }
    public string? OrgUnit { get; set; }
    public List<string> Channels { get; set; } = [];

    /// <summary>A date (yyyy-MM-dd): the token works through that day; empty: until revoked.</summary>
    public string? ExpiresAt { get; set; }

    public ManageApiClients.CreateRequest ToRequest() => new(Name, OrgUnit, Channels, ExpiresAt);
}

public sealed class RevokeForm
{
    public long Id { get; set; }
}

/// <summary>
/// A year of the holiday calendar as two text boxes: a holiday per line ("春节 2027-02-06 2027-02-13",
/// one date for a single day) and a working day per line ("2027-02-14", a note after the date may stay).
/// </summary>
public sealed partial class CalendarYearForm
{
    public string? Source { get; set; }
    public string? Holidays { get; set; }
    public string? Workdays { get; set; }

    /// <summary>The request and, for each entry, its line in the text box (messages name the line).</summary>
    public (ManageCalendar.YearRequest Request, IReadOnlyList<int> HolidayLines, IReadOnlyList<int> WorkdayLines) ToRequest(int year)
    {
        var holidays = new List<ManageCalendar.HolidayBody?>();
        var holidayLines = new List<int>();
        foreach (var (line, number) in Lines(Holidays))
        {
            var parts = Separators().Split(line).Where(p => p.Length > 0 && p != "-" && p != "—").ToList();
            var dates = parts.Where(p => char.IsAsciiDigit(p[0])).ToList();
            var name = string.Join(" ", parts.Where(p => !char.IsAsciiDigit(p[0])));
            holidays.Add(new ManageCalendar.HolidayBody(name, dates.FirstOrDefault(), dates.Count > 1 ? string.Join(" ", dates.Skip(1)) : null));
            holidayLines.Add(number);
        }
        var workdays = new List<string?>();
        var workdayLines = new List<int>();
        foreach (var (line, number) in Lines(Workdays))
        {
            // The date, without a note written straight after it ("2027-02-14（春节调休）").
            var first = Separators().Split(line).FirstOrDefault(p => p.Length > 0) ?? line;
            workdays.Add(DatePart().Match(first) is { Success: true } date ? date.Value : first);
            workdayLines.Add(number);
        }
        return (new ManageCalendar.YearRequest(year, Source, holidays, workdays), holidayLines, workdayLines);
    }

    private static IEnumerable<(string Line, int Number)> Lines(string? text) =>
        (text ?? "").Split('\n').Select((l, i) => (l.Trim(), i + 1)).Where(l => l.Item1.Length > 0);

    public static CalendarYearForm From(ManageCalendar.YearView year) => new()
    {
        Source = year.Source,
        Holidays = string.Join("\n", year.Holidays.Select(h => h.From == h.To ? $"{h.Name} {D(h.From)}" : $"{h.Name} {D(h.From)} {D(h.To)}")),
        Workdays = string.Join("\n", year.Workdays.Select(D)),
    };

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9./-]+")]
    private static partial Regex DatePart();

    [GeneratedRegex(@"[\s,，;；~～至到]+")]
    private static partial Regex Separators();
}

public sealed class ServiceLevelsForm
{
    public LevelForm Urgent { get; set; } = new();
    public LevelForm High { get; set; } = new();
    public LevelForm Normal { get; set; } = new();
    public LevelForm Low { get; set; } = new();

    public sealed class LevelForm
    {
        public string? Count { get; set; }
        public string? Unit { get; set; }

        /// <summary>A count that is not a whole number goes as none: the handler says what it must be.</summary>
        public ManageCalendar.ServiceLevelBody ToBody() =>
            new(int.TryParse(Count?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null, Unit);
    }

    public ManageCalendar.ServiceLevelsRequest ToRequest() => new(Urgent.ToBody(), High.ToBody(), Normal.ToBody(), Low.ToBody());

    public static ServiceLevelsForm From(Domain.Calendar.ServiceLevels levels)
    {
        static LevelForm Of(Domain.Calendar.ServiceLevel l) => new() { Count = l.Count.ToString(CultureInfo.InvariantCulture), Unit = l.Unit.ToString() };
        return new() { Urgent = Of(levels.Urgent), High = Of(levels.High), Normal = Of(levels.Normal), Low = Of(levels.Low) };
    }
}
