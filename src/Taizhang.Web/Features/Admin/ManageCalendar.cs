using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
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

    public sealed class Handler(TaizhangDb db, AdminScope admin, DuePolicySource source, TimeProvider clock, Texts texts)
    {
        public async Task<GetCalendar.Response> PutYearAsync(int year, JsonElement body, CancellationToken ct)
        {
            var scope = await RequireTopLevelAsync(ct);
            var json = body.GetRawText();
            WorkingCalendar parsed;
            try
            {
                parsed = WorkingCalendar.FromJson([json]);
            }
            catch (DomainRuleException e)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [e.Message] });
            }
            if (!parsed.CoveredYears.SequenceEqual([year]))
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["year"] = [texts.Format("field.calendar-year", year)] });
            }
            var row = await db.HolidayCalendars.FirstOrDefaultAsync(y => y.Year == year, ct);
            if (row is null)
            {
                row = new HolidayCalendarYear { Year = year };
                db.HolidayCalendars.Add(row);
            }
            row.Json = json;
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            row.UpdatedBy = scope.Principal.Actor.Name;
            db.Record(scope.Principal.Actor, row.UpdatedAt, "calendar.put", "calendar:" + year);
            await db.SaveChangesAsync(ct);
            await source.ReloadAsync(db, ct);
            return GetCalendar.Describe(source.Current, clock.GetUtcNow().UtcDateTime);
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

    public static async Task<Ok<GetCalendar.Response>> PutYearEndpoint(int year, JsonElement body, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.PutYearAsync(year, body, ct));

    public static async Task<Ok<GetCalendar.Response>> PutServiceLevelsEndpoint(ServiceLevelsRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.PutServiceLevelsAsync(r ?? new ServiceLevelsRequest(null, null, null, null), ct));
}
