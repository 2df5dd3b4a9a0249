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
        Assert.Equal(["AddAttachment", "AddReporter", "Disclose", "Mediate", "Merge", "Resolve", "Return", "Start", "Transfer"], Available(asTown));
        var asCadre = await app.ClientAs("cadre").GetCaseAsync(id);
        Assert.Equal(["AddAttachment", "AddReporter", "Disclose", "Mediate", "Resolve", "Return", "Start"], Available(asCadre));
        var asLeader = await app.ClientAs("leader").GetCaseAsync(id);
        Assert.Empty(Available(asLeader));
        Assert.Equal(asTown["allowedActions"]!.ToJsonString(), asLeader["allowedActions"]!.ToJsonString());
    }
}

public sealed class AvailableActionsTests_Sqlite(SqliteApp app) : AvailableActionsTests(app), IClassFixture<SqliteApp>;

public sealed class AvailableActionsTests_Postgres(PostgresApp app) : AvailableActionsTests(app), IClassFixture<PostgresApp>;
