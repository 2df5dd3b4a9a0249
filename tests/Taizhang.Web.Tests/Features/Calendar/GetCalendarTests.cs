using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Calendar;

public abstract class GetCalendarTests(TaizhangApp app)
{
    [Fact]
    public async Task Calendar_LateInTheYear_WarnsThatNextYearIsMissing()
    {
        // 26 Nov 2026: due dates within the look-ahead reach into 2027, which has no file yet.
        app.Clock.SetUtcNow(TaizhangApp.Start);
        using var response = await app.ClientAs().GetAsync("/api/v1/calendar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.ReadJsonAsync();
        Assert.Equal("Asia/Shanghai", json["timeZone"]!.GetValue<string>());
        Assert.Contains(2026, json["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));
        Assert.Equal([2027], json["missingYears"]!.AsArray().Select(y => y!.GetValue<int>()).ToArray());
        Assert.Contains("2027", json["warnings"]![0]!.GetValue<string>());
        Assert.Contains(json["holidays"]!.AsArray(), h => h!["name"]!.GetValue<string>() == "国庆节");
        Assert.Contains("2026-10-10", json["extraWorkdays"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(7, json["serviceLevels"]!["normal"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Calendar_MidYear_HasNoWarnings()
    {
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));
        try
        {
            var json = await (await app.ClientAs().GetAsync("/api/v1/calendar")).ReadJsonAsync();
            Assert.Empty(json["missingYears"]!.AsArray());
            Assert.Empty(json["warnings"]!.AsArray());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Health_ReportsHealthyWithTheDatabaseUp()
    {
        using var response = await app.ClientAs().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

public sealed class GetCalendarTests_Sqlite(SqliteApp app) : GetCalendarTests(app), IClassFixture<SqliteApp>;

public sealed class GetCalendarTests_Postgres(PostgresApp app) : GetCalendarTests(app), IClassFixture<PostgresApp>;
