using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>The holiday calendar and service levels, changed through the API, drive the next due dates.</summary>
public abstract class ManageCalendarTests(TaizhangApp app)
{
    private const string Calendar2027 = """
        {
          "year": 2027,
          "source": "test notice",
          "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" } ],
          "workdays": [ "2027-01-04" ]
        }
        """;

    [Fact]
    public async Task CountyAdmin_AddsNextYear_WarningGoes_AndDueDatesUseIt()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var admin = app.ClientAs("admin-county");
        using var put = await admin.PutAsync("/api/v1/admin/calendar/2027",
            new StringContent(Calendar2027, System.Text.Encoding.UTF8, "application/json"));
        var json = await put.ReadJsonAsync();
        Assert.True(put.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        Assert.Empty(json["missingYears"]!.AsArray());
        Assert.Contains(2027, json["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));

        // Thursday 31 Dec 2026, High (3 working days): 1–3 Jan off, Mon 4 Jan is a working day
        // anyway, so 4, 5, 6 Jan → due 6 Jan.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 31, 2, 0, 0, TimeSpan.Zero));
        try
        {
            var registered = await app.ClientAs("town").RegisterAsync(CaseApi.NewCase(urgency: "High"));
            Assert.Equal("2027-01-06", registered["dueDate"]!.GetValue<string>());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task ServiceLevels_Changed_ApplyToTheNextRegistration()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var admin = app.ClientAs("admin-county");
        using var put = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { normal = new { count = 5, unit = "WorkingDays" } });
        var json = await put.ReadJsonAsync();
        Assert.True(put.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        try
        {
            Assert.Equal(5, json["serviceLevels"]!["normal"]!["count"]!.GetValue<int>());
            Assert.Equal(3, json["serviceLevels"]!["high"]!["count"]!.GetValue<int>());
            // Thursday 26 Nov + 5 working days = Thursday 3 Dec.
            var registered = await app.ClientAs("town").RegisterAsync(CaseApi.NewCase(urgency: "Normal"));
            Assert.Equal("2026-12-03", registered["dueDate"]!.GetValue<string>());
        }
        finally
        {
            using var restore = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { normal = new { count = 7, unit = "WorkingDays" } });
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
    }

    [Fact]
    public async Task BadInput_AndTownAdmins_AreRefused_NothingChanges()
    {
        var admin = app.ClientAs("admin-county");
        using var wrongYear = await admin.PutAsync("/api/v1/admin/calendar/2028",
            new StringContent(Calendar2027, System.Text.Encoding.UTF8, "application/json"));
        Assert.True((await wrongYear.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject().ContainsKey("year"));

        using var conflict = await admin.PutAsync("/api/v1/admin/calendar/2029", new StringContent(
            """{ "year": 2029, "holidays": [ { "name": "x", "from": "2029-10-01", "to": "2029-10-03" } ], "workdays": [ "2029-10-02" ] }""",
            System.Text.Encoding.UTF8, "application/json"));
        await conflict.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        using var negative = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { urgent = new { count = -1, unit = "Fortnights" } });
        var errors = (await negative.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("urgent.count"));
        Assert.True(errors.ContainsKey("urgent.unit"));

        using var town = await app.ClientAs("admin-sch").PutAsJsonAsync("/api/v1/admin/service-levels", new { normal = new { count = 1, unit = "CalendarDays" } });
        await town.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var calendar = await (await app.ClientAs("town").GetAsync("/api/v1/calendar")).ReadJsonAsync();
        Assert.DoesNotContain(2029, calendar["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));
        Assert.Equal(7, calendar["serviceLevels"]!["normal"]!["count"]!.GetValue<int>());
        Assert.Equal(1, calendar["serviceLevels"]!["urgent"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AYear_ReadsBackAsStored_AndEachBadEntryIsAFieldError()
    {
        var admin = app.ClientAs("admin-county");
        using var bad = await admin.PutAsJsonAsync("/api/v1/admin/calendar/2030", new
        {
            year = 2030,
            holidays = new object[] { new { name = "元旦", from = "2030-01-01", to = "2030-01-01" }, new { name = "春节", from = "2031-02-01" }, new { name = "", from = "2030-05-01" } },
            workdays = new[] { "2030-01-01", "2030-02-09", "2030-02-09", "30-02-10" },
        });
        var errors = (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.Equal(["holidays[1].from", "holidays[2].name", "workdays[0]", "workdays[2]", "workdays[3]"], errors.Select(e => e.Key).Order());
        Assert.DoesNotContain(2030, (await (await admin.GetAsync("/api/v1/calendar")).ReadJsonAsync())["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));

        using var empty = await admin.GetAsync("/api/v1/admin/calendar/2030");
        var missing = await empty.ReadJsonAsync();
        Assert.False(missing["stored"]!.GetValue<bool>());
        Assert.True(missing["editable"]!.GetValue<bool>());

        using var put = await admin.PutAsJsonAsync("/api/v1/admin/calendar/2030", new
        {
            source = "测试",
            holidays = new[] { new { name = "元旦", from = "2030-01-01", to = (string?)null } },
            workdays = new[] { "2030-02-09" },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var year = await (await app.ClientAs("admin-sch").GetAsync("/api/v1/admin/calendar/2030")).ReadJsonAsync();
        Assert.True(year["stored"]!.GetValue<bool>());
        Assert.False(year["editable"]!.GetValue<bool>());
        Assert.Equal("测试", year["source"]!.GetValue<string>());
        Assert.Equal("2030-01-01", year["holidays"]![0]!["to"]!.GetValue<string>());
        Assert.Equal("2030-02-09", year["workdays"]![0]!.GetValue<string>());
    }
}

public sealed class ManageCalendarTests_Sqlite(SqliteApp app) : ManageCalendarTests(app), IClassFixture<SqliteApp>;

public sealed class ManageCalendarTests_Postgres(PostgresApp app) : ManageCalendarTests(app), IClassFixture<PostgresApp>;
