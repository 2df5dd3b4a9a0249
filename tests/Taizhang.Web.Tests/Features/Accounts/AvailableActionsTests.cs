using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>A case tells each caller what they may do next: its state and their posts together.</summary>
public abstract class AvailableActionsTests(TaizhangApp app)
{
    [Fact]
    public async Task AvailableActions_AreTheStatesActionsTheCallersRoleAllows()
    {
        var town = app.ClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(orgUnit: "SCH-MJC"));
        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

        static string[] Available(System.Text.Json.Nodes.JsonObject c) =>
            c["availableActions"]!.AsArray().Select(a => a!.GetValue<string>()).Order().ToArray();

        var asTown = await town.GetCaseAsync(id);
        Assert.Equal(["AddAttachment", "AddReporter", "Contact", "DecideExtension", "DecideSuspension", "Disclose", "Mediate", "Merge", "Notify", "Remind",
            "RequestExtension", "RequestSuspension", "Resolve", "Resume", "Return", "Start", "Transfer"], Available(asTown));
        var asCadre = await app.ClientAs("cadre").GetCaseAsync(id);
        Assert.Equal(["AddAttachment", "AddReporter", "Contact", "Disclose", "Mediate", "RequestExtension", "RequestSuspension", "Resolve", "Return", "Start"],
            Available(asCadre));
        // 督办, decisions on the unit's requests and reminders: a leader's (and no handling).
        var asLeader = await app.ClientAs("leader").GetCaseAsync(id);
        Assert.Equal(["DecideExtension", "DecideSuspension", "Notify", "Remind", "Resume", "Supervise"], Available(asLeader));

        // A case of 马家村 given to the judicial office: the cadre reads it but asks nothing for the unit that has it.
        var other = await town.RegisterIdAsync(CaseApi.NewCase(orgUnit: "SCH-MJC"));
        await town.DoAsync(other, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        var notTheirs = Available(await app.ClientAs("cadre").GetCaseAsync(other));
        Assert.DoesNotContain("RequestExtension", notTheirs);
        Assert.DoesNotContain("RequestSuspension", notTheirs);
        Assert.DoesNotContain("Contact", notTheirs);
        Assert.Contains("RequestExtension", Available(await app.ClientAs("agency").GetCaseAsync(other)));
        Assert.Equal(asTown["allowedActions"]!.ToJsonString(), asLeader["allowedActions"]!.ToJsonString());
    }
}

public sealed class AvailableActionsTests_Sqlite(SqliteApp app) : AvailableActionsTests(app), IClassFixture<SqliteApp>;

public sealed class AvailableActionsTests_Postgres(PostgresApp app) : AvailableActionsTests(app), IClassFixture<PostgresApp>;
