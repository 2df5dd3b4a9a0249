using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

public abstract class AddReporterTests(TaizhangApp app)
{
    [Fact]
    public async Task AddReporter_NewResident_IsAddedOnceWithAnEvent()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        var after = await client.DoAsync(id, "reporters", new { name = "李明", phone = "13711112222" });
        Assert.Equal(2, after["reporters"]!.AsArray().Count);
        Assert.Equal("AddReporter", after.EventActions()[^1]);

        // The same phone again (a repeat call) adds no reporter but is on the record.
        var again = await client.DoAsync(id, "reporters", new { name = "李明", phone = "137 1111 2222" });
        Assert.Equal(2, again["reporters"]!.AsArray().Count);
        Assert.Equal(after.Events().Count + 1, again.Events().Count);
        Assert.True(again.LastEvent()["payload"]!["repeat"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AddReporter_BadInput_Is400AndChangesNothing()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        using var response = await client.ActAsync(id, "reporters", new { name = "", phone = "abc" });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"));
        Assert.True(errors.ContainsKey("phone"));
        Assert.Single((await client.GetCaseAsync(id))["reporters"]!.AsArray());
    }

    [Fact]
    public async Task AddReporter_ToRejectedCase_Is409()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "reject", new { reason = "重复反映" });
        using var response = await client.ActAsync(id, "reporters", new { name = "李明" });
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "illegal-transition");
    }
}

public sealed class AddReporterTests_Sqlite(SqliteApp app) : AddReporterTests(app), IClassFixture<SqliteApp>;

public sealed class AddReporterTests_Postgres(PostgresApp app) : AddReporterTests(app), IClassFixture<PostgresApp>;
