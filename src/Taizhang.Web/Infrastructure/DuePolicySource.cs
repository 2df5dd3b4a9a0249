using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The due-date policy in force. The database holds the holiday calendar (one row per year)
/// and the service levels once an administrator sets them; the shipped Calendar/*.json files
/// fill in years the database does not have yet, at every start. Each request takes the policy
/// current when it starts; an administrator's change applies to the next request.
/// </summary>
public sealed class DuePolicySource(ServiceLevels configured, CalendarOptions options, IServiceScopeFactory scopes)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
    private volatile DuePolicy? _current;

    public DuePolicy Current => _current ??= new DuePolicy(configured, WorkingCalendar.FromJson(FileDocuments().Values), _zone);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>After migrations: import shipped years the database lacks, then load from the database.</summary>
    public async Task InitializeAsync(TimeProvider clock, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var stored = await db.HolidayCalendars.Select(y => y.Year).ToListAsync(ct);
        foreach (var (year, json) in FileDocuments().Where(f => !stored.Contains(f.Key)))
        {
            db.HolidayCalendars.Add(new HolidayCalendarYear { Year = year, Json = json, UpdatedAt = clock.GetUtcNow().UtcDateTime, UpdatedBy = "file" });
        }
        await db.SaveChangesAsync(ct);
        await ReloadAsync(db, ct);
    }

    public async Task ReloadAsync(TaizhangDb db, CancellationToken ct)
    {
        var years = await db.HolidayCalendars.AsNoTracking().OrderBy(y => y.Year).Select(y => y.Json).ToListAsync(ct);
        var levelsJson = await db.Settings.AsNoTracking().Where(s => s.Key == Setting.ServiceLevels).Select(s => s.Value).FirstOrDefaultAsync(ct);
        var levels = levelsJson is null ? configured : JsonSerializer.Deserialize<ServiceLevels>(levelsJson, Json) ?? configured;
        _current = new DuePolicy(levels, WorkingCalendar.FromJson(years), _zone);
    }

    /// <summary>The shipped files by year.</summary>
    private Dictionary<int, string> FileDocuments()
    {
        var dir = Path.IsPathRooted(options.Directory) ? options.Directory : Path.Combine(AppContext.BaseDirectory, options.Directory);
        var result = new Dictionary<int, string>();
        if (!Directory.Exists(dir))
        {
            return result;
        }
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var json = File.ReadAllText(file);
            var year = WorkingCalendar.FromJson([json]).CoveredYears.Single();
            result[year] = json;
        }
        return result;
    }
}
