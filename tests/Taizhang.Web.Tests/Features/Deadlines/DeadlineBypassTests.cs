using System.Net;
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

    [Fact]
    public async Task AnExtensionAskedInTime_IsNotApprovedAfterTheDueDate_ButMayBeRefused()
    {
        var start = TaizhangApp.Start;
        app.Clock.SetUtcNow(start);
        try
        {
            var id = await Town.RegisterIdAsync();
            await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC", dueDate = "2026-11-28" });
            await Cadre.DoAsync(id, "request-extension", new { newDueDate = "2026-12-05", reason = "需等待施工队" });

            // The office decides only after the due date has passed: approving would make the late case "on time".
            app.Clock.SetUtcNow(start.AddDays(5));
            var before = await Town.SnapshotAsync(id);
            foreach (var decider in new[] { Town, Leader })
            {
                using var late = await decider.ActAsync(id, "decide-extension", new { approve = true, note = "同意" });
                var problem = await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
                Assert.Equal("deadline.extension-approved-after-due", problem["code"]!.GetValue<string>());
            }
            await Town.AssertUnchangedAsync(id, before);
            var c = await Town.GetCaseAsync(id);
            Assert.Equal("2026-11-28", DueDate(c));
            Assert.True(c["overdue"]!.GetValue<bool>());

            // The case page offers only a refusal, and says why.
            var (_, page) = await Town.GetHtmlAsync($"/cases/{id}");
            var form = page[page.IndexOf("data-deadline-action=\"DecideExtension\"", StringComparison.Ordinal)..];
            form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
            Assert.Contains("data-hint=\"overdue\"", form);
            Assert.Matches("<input type=\"radio\" name=\"[^\"]*Approve\" value=\"true\" disabled=\"disabled\"", form);

            var refused = await Town.DoAsync(id, "decide-extension", new { approve = false, note = "已超期，请抓紧办理" });
            Assert.Equal("2026-11-28", DueDate(refused));
            Assert.Null(refused["deadline"]!["extensionRequestedDate"]?.GetValue<string>());
        }
        finally
        {
            app.Clock.SetUtcNow(start);
        }
    }
}

public sealed class DeadlineBypassTests_Sqlite(SqliteApp app) : DeadlineBypassTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineBypassTests_Postgres(PostgresApp app) : DeadlineBypassTests(app), IClassFixture<PostgresApp>;
