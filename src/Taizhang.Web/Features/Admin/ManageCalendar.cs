using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// The holiday calendar (one year at a time, in the calendar file format) and the service
/// levels. They apply to every town, so only an administrator of a top-level unit changes them.
/// Due dates already set stay; new registrations and re-triages use the new policy.
/// </summary>
public static class ManageCalendar
{
    public sealed record ServiceLevelBody(int? Count, string? Unit);

    public sealed record ServiceLevelsRequest(ServiceLevelBody? Urgent, ServiceLevelBody? High, ServiceLevelBody? Normal, ServiceLevelBody? Low);

    /// <summary>A holiday span: <c>to</c> may be left out for a single day.</summary>
    public sealed record HolidayBody(string? Name, string? From, string? To);

    /// <summary>One year in the calendar file's shape (<c>Calendar/2026.json</c>); <see cref="Year"/>, if given, must be the year changed.</summary>
    public sealed record YearRequest(int? Year, string? Source, IReadOnlyList<HolidayBody?>? Holidays, IReadOnlyList<string?>? Workdays);

    /// <summary>
    /// A year as stored. <see cref="Stored"/>: false when the year has no data (due dates in it count
    /// weekends only); <see cref="Editable"/>: the caller may change it (top-level administrators).
    /// </summary>
    public sealed record YearView(int Year, bool Stored, string? Source, IReadOnlyList<Holiday> Holidays, IReadOnlyList<DateOnly> Workdays,
        DateTime? UpdatedAt, string? UpdatedBy, bool Editable);

    public const int MaxEntries = 200;

    public sealed class Handler(TaizhangDb db, AdminScope admin, DuePolicySource source, TimeProvider clock, Texts texts)
    {
        /// <summary>The calendar and service levels in force (GET /api/v1/calendar).</summary>
        public GetCalendar.Response Current() => GetCalendar.Describe(source.Current, clock.GetUtcNow().UtcDateTime);

        /// <summary>Any administrator reads the calendar in force; only the top level changes it.</summary>
        public async Task<YearView> GetYearAsync(int year, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            RequireYear(year);
            var row = await db.HolidayCalendars.AsNoTracking().FirstOrDefaultAsync(y => y.Year == year, ct);
            if (row is null)
            {
                return new YearView(year, false, null, [], [], null, null, scope.IsTopLevel);
            }
            var calendar = WorkingCalendar.FromJson([row.Json]);
            return new YearView(year, true, SourceOf(row.Json), calendar.Holidays, calendar.ExtraWorkdays.Order().ToList(),
                row.UpdatedAt, row.UpdatedBy, scope.IsTopLevel);
        }

        public async Task<GetCalendar.Response> PutYearAsync(int year, YearRequest r, CancellationToken ct)
        {
            var scope = await RequireTopLevelAsync(ct);
            RequireYear(year);
            var errors = new FieldErrors();
            if (r.Year is { } given && given != year)
            {
                errors.Add("year", texts.Format("field.calendar-year", year));
            }
            var sourceText = Cases.RequestParsing.Text(errors, texts, "source", r.Source, 200, required: false);
            var holidays = new List<(int Index, Holiday Holiday)>();
            var bodies = r.Holidays ?? [];
            var workdayTexts = r.Workdays ?? [];
            if (bodies.Count > MaxEntries)
            {
                errors.Add("holidays", texts.Format("admin.field.too-many", MaxEntries));
            }
            if (workdayTexts.Count > MaxEntries)
            {
                errors.Add("workdays", texts.Format("admin.field.too-many", MaxEntries));
            }
            errors.ThrowIfAny();
            for (var i = 0; i < bodies.Count; i++)
            {
                var field = $"holidays[{i}].";
                var name = Cases.RequestParsing.Text(errors, texts, field + "name", bodies[i]?.Name, 50, required: true);
                var from = InYear(errors, field + "from", bodies[i]?.From, year, required: true);
                var to = string.IsNullOrWhiteSpace(bodies[i]?.To) ? from : InYear(errors, field + "to", bodies[i]?.To, year, required: false);
                if (from is { } f && to is { } t && t < f)
                {
                    errors.Add(field + "to", texts["field.date-range"]);
                }
                else if (name is not null && from is { } start && to is { } end)
                {
                    if (holidays.FirstOrDefault(h => h.Holiday.From <= end && start <= h.Holiday.To) is { Holiday: not null } overlap)
                    {
                        errors.Add(field + "from", texts.Format("admin.field.holiday-overlap", overlap.Holiday.Name));
                    }
                    else
                    {
                        holidays.Add((i, new Holiday(name, start, end)));
                    }
                }
            }
            var workdays = new List<DateOnly>();
            for (var i = 0; i < workdayTexts.Count; i++)
            {
                if (InYear(errors, $"workdays[{i}]", workdayTexts[i], year, required: true) is not { } day)
                {
                    continue;
                }
                if (workdays.Contains(day))
                {
                    errors.Add($"workdays[{i}]", texts["admin.field.duplicate-date"]);
                }
                else if (holidays.FirstOrDefault(h => h.Holiday.From <= day && day <= h.Holiday.To) is { Holiday: not null } off)
                {
                    errors.Add($"workdays[{i}]", texts.Format("admin.field.workday-in-holiday", off.Holiday.Name));
                }
                else
                {
                    workdays.Add(day);
                }
            }
            errors.ThrowIfAny();
            var json = JsonSerializer.Serialize(new CalendarFile(year, sourceText,
                holidays.Select(h => new CalendarHoliday(h.Holiday.Name, h.Holiday.From, h.Holiday.To)).OrderBy(h => h.From).ToList(),
                workdays.Order().ToList()), FileJson);
            // The same reader as the shipped files and the start-up: what is stored here always loads.
            WorkingCalendar.FromJson([json]);
            var row = await db.HolidayCalendars.FirstOrDefaultAsync(y => y.Year == year, ct);
            if (row is null)
            {
                row = new HolidayCalendarYear { Year = year };
                db.HolidayCalendars.Add(row);
            }
            row.Json = json;
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            row.UpdatedBy = scope.Principal.Actor.Name;
            db.Record(scope.Principal.Actor, row.UpdatedAt, "calendar.put", "calendar:" + year, $"holidays={holidays.Count}; workdays={workdays.Count}");
            await db.SaveChangesAsync(ct);
            await source.ReloadAsync(db, ct);
            return GetCalendar.Describe(source.Current, clock.GetUtcNow().UtcDateTime);
        }

        private DateOnly? InYear(FieldErrors errors, string field, string? value, int year, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    errors.Add(field, texts["field.required"]);
                }
                return null;
            }
            var date = Cases.RequestParsing.Date(errors, texts, field, value);
            if (date is { } d && d.Year != year)
            {
                errors.Add(field, texts.Format("admin.field.date-in-year", year));
                return null;
            }
            return date;
        }

        private static void RequireYear(int year)
        {
            if (year is < 2000 or > 2100)
            {
                throw new NotFoundException("calendar");
            }
        }

        public async Task<GetCalendar.Response> PutServiceLevelsAsync(ServiceLevelsRequest r, CancellationToken ct)
        {
            var scope = await RequireTopLevelAsync(ct);
            var errors = new FieldErrors();
            var current = source.Current.Levels;
            ServiceLevel Parse(string field, ServiceLevelBody? body, ServiceLevel fallback)
            {
                if (body is null)
                {
                    return fallback;
                }
                if (body.Count is not { } count || count is < 0 or > 365)
                {
                    errors.Add(field + ".count", texts.Format("field.range", 0, 365));
                }
                var unit = Cases.RequestParsing.Enum<DurationUnit>(errors, texts, field + ".unit", body.Unit, required: true);
                return new ServiceLevel(body.Count ?? 0, unit ?? fallback.Unit);
            }
            var levels = new ServiceLevels(
                Parse("urgent", r.Urgent, current.Urgent), Parse("high", r.High, current.High),
                Parse("normal", r.Normal, current.Normal), Parse("low", r.Low, current.Low));
            errors.ThrowIfAny();
            var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == Setting.ServiceLevels, ct);
            if (row is null)
            {
                row = new Setting { Key = Setting.ServiceLevels };
                db.Settings.Add(row);
            }
            row.Value = JsonSerializer.Serialize(levels, DuePolicySource.Json);
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            row.UpdatedBy = scope.Principal.Actor.Name;
            db.Record(scope.Principal.Actor, row.UpdatedAt, "service-levels.put", "service-levels", row.Value);
            await db.SaveChangesAsync(ct);
            await source.ReloadAsync(db, ct);
            return GetCalendar.Describe(source.Current, clock.GetUtcNow().UtcDateTime);
        }

        private async Task<AdminScope.Scope> RequireTopLevelAsync(CancellationToken ct)
        {
            return (await admin.RequireAsync(ct)).RequireTopLevel();
        }
    }

    private sealed record CalendarFile(int Year, string? Source, List<CalendarHoliday> Holidays, List<DateOnly> Workdays);

    private sealed record CalendarHoliday(string Name, DateOnly From, DateOnly To);

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The "source" line of a stored year (the notice it was copied from), if any.</summary>
    private static string? SourceOf(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<Ok<YearView>> GetYearEndpoint(int year, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.GetYearAsync(year, ct));

    public static async Task<Ok<GetCalendar.Response>> PutYearEndpoint(int year, YearRequest? body, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.PutYearAsync(year, body ?? new YearRequest(null, null, null, null), ct));

    public static async Task<Ok<GetCalendar.Response>> PutServiceLevelsEndpoint(ServiceLevelsRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.PutServiceLevelsAsync(r ?? new ServiceLevelsRequest(null, null, null, null), ct));
}
