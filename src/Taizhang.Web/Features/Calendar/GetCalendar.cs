using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Calendar;

/// <summary>
/// The working calendar and service levels in force, with a warning when the holiday data
/// does not reach as far as due dates may need (the next year's notice comes in November).
/// </summary>
public static class GetCalendar
{
    /// <summary>How far ahead due dates can reach: the longest service level, with room to spare.</summary>
    public const int LookAheadDays = 60;

    public sealed record Response(
        string TimeZone,
        IReadOnlyCollection<int> CoveredYears,
        IReadOnlyList<int> MissingYears,
        IReadOnlyList<string> Warnings,
        IReadOnlyList<Holiday> Holidays,
        IReadOnlyList<DateOnly> ExtraWorkdays,
        ServiceLevels ServiceLevels,
        NextYearStatus NextYear);

    /// <summary>
    /// Whether next year's holidays are in (the notice comes each November), and from which day
    /// they matter: the first registration whose due date can fall in that year.
    /// </summary>
    public sealed record NextYearStatus(int Year, bool Covered, DateOnly MattersFrom);

    public static Response Describe(DuePolicy due, DateTime nowUtc)
    {
        var today = due.LocalDate(nowUtc);
        var missing = due.Calendar.MissingYears(today, today.AddDays(LookAheadDays));
        var warnings = missing
            .Select(y => $"No official holiday data for {y}: due dates in {y} count weekends only. Add Calendar/{y}.json.")
            .ToList();
        var next = today.Year + 1;
        return new Response(due.Zone.Id, due.Calendar.CoveredYears, missing, warnings, due.Calendar.Holidays,
            due.Calendar.ExtraWorkdays.Order().ToList(), due.Levels,
            new NextYearStatus(next, due.Calendar.CoveredYears.Contains(next), due.FirstRegistrationReaching(new DateOnly(next, 1, 1))));
    }

    public static Ok<Response> Endpoint(DuePolicy due, TimeProvider clock) =>
        TypedResults.Ok(Describe(due, clock.GetUtcNow().UtcDateTime));

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/calendar", Endpoint).RequireAuthorization(Accounts.Policies.SignedIn).WithTags("Calendar").WithName("GetCalendar");
        return app;
    }

    /// <summary>Logged at start-up so administrators see it before due dates go wrong.</summary>
    public static void WarnIfIncomplete(IServiceProvider services)
    {
        var response = Describe(services.GetRequiredService<DuePolicySource>().Current,
            services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Taizhang.Calendar");
        foreach (var warning in response.Warnings)
        {
            log.LogWarning("{Warning}", warning);
        }
    }
}
