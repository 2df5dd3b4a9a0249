using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Deadlines;

/// <summary>
/// Ways around "only an approved 延期 moves a running case's due date later" found by the attack review of issue 16:
/// a returned case triaged twice (the second triage no longer saw that it had been returned), and an extension asked
/// for in time but approved after the due date (the delay the case had run up became "on time").
/// </summary>
public abstract class DeadlineBypassTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");
    private HttpClient Cadre => app.SharedClientAs("cadre");
    private HttpClient Leader => app.SharedClientAs("leader");

    private static string DueDate(JsonObject c) => c["dueDate"]!.GetValue<string>();

    [Fact]
    public async Task AReturnedCase_TriagedTwice_StillKeepsItsClock()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await Town.RegisterIdAsync();
        await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC", dueDate = "2026-11-30" });
        await Cadre.DoAsync(id, "return", new { reason = "不属于本村" });

        // First triage without a unit (the case waits for assignment: Triaged), then again with a later date.
        var waiting = await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent" });
        Assert.Equal("Triaged", waiting["status"]!.GetValue<string>());
        Assert.Equal("2026-11-30", DueDate(waiting));
        var before = await Town.SnapshotAsync(id);
        await Town.AssertFieldErrorAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC", dueDate = "2027-06-30" }, "dueDate");
        await Town.AssertUnchangedAsync(id, before);
        // A lower urgency keeps the date as well.
        var lower = await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Low" });
        Assert.Equal("2026-11-30", DueDate(lower));

        // An earlier date is fine.
        var earlier = await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", dueDate = "2026-11-29" });
        Assert.Equal("2026-11-29", DueDate(earlier));

        // A case never returned is triaged again as before (the office's own queue before anyone handles it).
        var fresh = await Town.RegisterIdAsync();
        await Town.DoAsync(fresh, "triage", new { track = "Direct", urgency = "Urgent", dueDate = "2026-11-30" });
        var postponed = await Town.DoAsync(fresh, "triage", new { track = "Direct", urgency = "Urgent", dueDate = "2026-12-20" });
        Assert.Equal("2026-12-20", DueDate(postponed));
    }
}

public sealed class DeadlineBypassTests_Sqlite(SqliteApp app) : DeadlineBypassTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineBypassTests_Postgres(PostgresApp app) : DeadlineBypassTests(app), IClassFixture<PostgresApp>;
