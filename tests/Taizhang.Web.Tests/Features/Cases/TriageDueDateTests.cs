using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>POST /cases/{id}/triage with an explicit due date (yyyy-MM-dd, Shanghai): due at the end of that day.</summary>
public abstract class TriageDueDateTests(TaizhangApp app)
{
    private readonly HttpClient _client = app.SharedClientAs("town");

    [Fact]
    public async Task Triage_WithDueDate_IsDueAtTheEndOfThatDayAndRecordsIt()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await _client.RegisterIdAsync();

        var c = await _client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC", dueDate = "2026-12-01" });

        Assert.Equal("2026-12-01", c["dueDate"]!.GetValue<string>());
        Assert.Equal(new DateTime(2026, 12, 1, 16, 0, 0, DateTimeKind.Utc), c["dueAt"]!.GetValue<DateTime>().ToUniversalTime());
        var triage = c.Events().Select(e => e!.AsObject()).Single(e => e["action"]!.GetValue<string>() == "Triage");
        Assert.Equal("2026-12-01", triage["payload"]!["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Triage_WithTodayAsDueDate_IsAllowed()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await _client.RegisterIdAsync();

        var c = await _client.DoAsync(id, "triage", new { track = "Topic", dueDate = "2026-11-26" });

        Assert.Equal("2026-11-26", c["dueDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-11-25")]
    [InlineData("2026-13-01")]
    [InlineData("26.12.2026")]
    public async Task Triage_WithPastOrMalformedDueDate_IsAFieldErrorAndChangesNothing(string dueDate)
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await _client.RegisterIdAsync();
        var before = await _client.SnapshotAsync(id);

        await _client.AssertFieldErrorAsync(id, "triage", new { track = "Direct", dueDate }, "dueDate");

        await _client.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task AReturnedCase_TriagedAgain_RunsOnItsClock_OnlyAnApprovedExtensionMovesItsDueDateLater()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await _client.RegisterIdAsync();
        await _client.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC", dueDate = "2026-11-30" });
        await app.SharedClientAs("cadre").DoAsync(id, "return", new { reason = "不属于本村" });

        // Returned and triaged again with a later date of the clerk's choosing: that would be an extension nobody approved.
        var before = await _client.SnapshotAsync(id);
        await _client.AssertFieldErrorAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC", dueDate = "2026-12-20" }, "dueDate");
        await _client.AssertUnchangedAsync(id, before);
        // A lower urgency keeps the date too; an earlier date is fine.
        var lower = await _client.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        Assert.Equal("2026-11-30", lower["dueDate"]!.GetValue<string>());
        await app.SharedClientAs("cadre").DoAsync(id, "return", new { reason = "仍不属于本村" });
        var earlier = await _client.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC", dueDate = "2026-11-28" });
        Assert.Equal("2026-11-28", earlier["dueDate"]!.GetValue<string>());

        // More time is asked for and approved, as for any running case (the unit asks; the town decides).
        var asked = await app.SharedClientAs("cadre").DoAsync(id, "request-extension", new { newDueDate = "2026-12-10", reason = "需等待施工队" });
        Assert.Equal("2026-11-28", asked["dueDate"]!.GetValue<string>());
        var approved = await _client.DoAsync(id, "decide-extension", new { approve = true });
        Assert.Equal("2026-12-10", approved["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Triage_WithoutDueDate_KeepsTheServiceLevel()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await _client.RegisterIdAsync();
        var registered = await _client.GetCaseAsync(id);

        using var response = await _client.ActAsync(id, "triage", new { track = "Direct" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var c = await response.ReadJsonAsync();

        Assert.Equal(registered["dueAt"]!.GetValue<DateTime>(), c["dueAt"]!.GetValue<DateTime>());
    }
}

public sealed class TriageDueDateTests_Sqlite(SqliteApp app) : TriageDueDateTests(app), IClassFixture<SqliteApp>;

public sealed class TriageDueDateTests_Postgres(PostgresApp app) : TriageDueDateTests(app), IClassFixture<PostgresApp>;
