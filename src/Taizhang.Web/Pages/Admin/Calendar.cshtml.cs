using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 日历与办理时限: a year's holidays and adjusted working days (调休), and the service level of each
/// urgency; a warning while next year's holidays are missing, with the day they start to matter.
/// Everyone administering reads them; top-level administrators change them (they apply to every
/// town), through the same handler as PUT /api/v1/admin/calendar/{year} and …/service-levels.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed partial class CalendarModel(ManageCalendar.Handler calendar, Texts texts) : StaffPage
{
    [BindProperty(SupportsGet = true, Name = "year")]
    public int? YearNumber { get; set; }

    public GetCalendar.Response Current { get; private set; } = null!;

    public ManageCalendar.YearView Year { get; private set; } = null!;

    public CalendarYearForm YearForm { get; private set; } = new();

    public ServiceLevelsForm LevelsForm { get; private set; } = new();

    /// <summary>The years to choose from: those with data, this year and next.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    private IReadOnlyList<int> _holidayLines = [];
    private IReadOnlyList<int> _workdayLines = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        YearForm = CalendarYearForm.From(Year);
        LevelsForm = ServiceLevelsForm.From(Current.ServiceLevels);
    }

    public async Task<IActionResult> OnPostYearAsync([Bind(Prefix = "Year")] CalendarYearForm form, CancellationToken ct)
    {
        var year = YearNumber ?? calendar.Current().NextYear.Year - 1;
        var (request, holidayLines, workdayLines) = form.ToRequest(year);
        if (await TryAsync(() => calendar.PutYearAsync(year, request, ct), "Year."))
        {
            return Done(texts.Format("admin.calendar.saved", year), $"/admin/calendar?year={year.ToString(CultureInfo.InvariantCulture)}");
        }
        (_holidayLines, _workdayLines) = (holidayLines, workdayLines);
        await LoadAsync(ct);
        YearForm = form;
        LevelsForm = ServiceLevelsForm.From(Current.ServiceLevels);
        return Page();
    }

    public async Task<IActionResult> OnPostLevelsAsync([Bind(Prefix = "Levels")] ServiceLevelsForm form, CancellationToken ct)
    {
        if (await TryAsync(() => calendar.PutServiceLevelsAsync(form.ToRequest(), ct), "Levels."))
        {
            return Done(texts["admin.calendar.levels-saved"], "/admin/calendar" + (YearNumber is { } y ? "?year=" + y.ToString(CultureInfo.InvariantCulture) : "") + "#levels");
        }
        await LoadAsync(ct);
        YearForm = CalendarYearForm.From(Year);
        LevelsForm = form;
        return Page();
    }

    /// <summary>The messages for a text box of the year form, each naming its line ("第 3 行：…").</summary>
    public IReadOnlyList<string> LineErrors(string box)
    {
        var lines = box == "Holidays" ? _holidayLines : _workdayLines;
        var prefix = "Year." + box;
        var result = new List<string>();
        foreach (var (key, entry) in ModelState)
        {
            if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || entry.Errors.Count == 0)
            {
                continue;
            }
            var index = Index().Match(key[prefix.Length..]);
            var line = index.Success && int.TryParse(index.Groups[1].Value, CultureInfo.InvariantCulture, out var i) && i < lines.Count ? lines[i] : (int?)null;
            result.AddRange(entry.Errors.Select(e => line is { } n ? texts.Format("admin.calendar.line", n, e.ErrorMessage) : e.ErrorMessage));
        }
        return result;
    }

    [GeneratedRegex(@"^\[(\d+)\]")]
    private static partial Regex Index();

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = calendar.Current();
        var thisYear = Current.NextYear.Year - 1;
        var year = YearNumber is { } y && y is >= 2000 and <= 2100 ? y : thisYear;
        YearNumber = year;
        Year = await calendar.GetYearAsync(year, ct);
        Years = Current.CoveredYears.Append(thisYear).Append(thisYear + 1).Append(year).Distinct().Order().ToList();
    }
}
