using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>An untouched ledger verifies intact, through the admin API and the `verify` command.</summary>
public abstract class VerifyEventChainTests(TaizhangApp app)
{
    [Fact]
    public async Task Lifecycle_WithMergeAndReopen_VerifiesIntact_ApiAndCommand()
    {
        var client = app.SharedClientAs("town");
        var survivor = await client.RegisterIdAsync(CaseApi.NewCase(title: "河道垃圾堆积"));
        var duplicate = await client.RegisterIdAsync(CaseApi.NewCase(title: "河边有垃圾", reporterName: "李建国", phone: "13800002222"));
        await client.DoAsync(duplicate, "merge", new { into = survivor, reason = "同一处河道" });
        await client.DoAsync(survivor, "triage", new { track = "Direct", urgency = "High", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(survivor, "return", new { reason = "需要镇上协调环卫" });
        await client.DoAsync(survivor, "triage", new { track = "Direct", urgency = "High", assigneeUnit = "SCH-WJC" });
        await client.DoAsync(survivor, "start");
        await client.DoAsync(survivor, "resolve", new { outcome = "Solved", result = "已清运垃圾并设置警示牌。" });
        await client.DoAsync(survivor, "follow-up", new { satisfaction = "Unsatisfied", note = "又有人倾倒" });
        var final = await client.GetCaseAsync(survivor);

        using var response = await app.ClientAs("admin-county").GetAsync("/api/v1/admin/verify");
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        Assert.True(json["intact"]!.GetValue<bool>(), json.ToJsonString());
        Assert.Null(json["firstBroken"]);
        Assert.True(json["casesChecked"]!.GetValue<int>() >= 2);
        Assert.True(json["eventsChecked"]!.GetValue<long>() >= final.Events().Count + 2);
        Assert.Equal(0, json["unsealedEvents"]!.GetValue<long>());

        using var one = await app.ClientAs("admin-county").GetAsync($"/api/v1/admin/verify?caseId={survivor}");
        var single = await one.ReadJsonAsync();
        Assert.Equal(1, single["casesChecked"]!.GetValue<int>());
        Assert.Equal(final.Events().Count, single["eventsChecked"]!.GetValue<long>());

        var output = new StringWriter();
        Assert.Equal(0, await VerifyEventChain.RunCommandAsync(app.Services, ["verify"], output));
        Assert.Contains("intact", output.ToString());
        Assert.Equal(0, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", survivor.ToString()], new StringWriter()));
    }

    [Fact]
    public async Task EveryEvent_IsSealed_AndTheCaseKeepsTheHead()
    {
        var id = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "井盖缺失"));
        await app.SharedClientAs("town").DoAsync(id, "triage", new { track = "Topic", urgency = "Normal" });
        var (hashes, head) = await app.WithDbAsync(async db => (
            await db.CaseEvents.Where(e => e.CaseId == id).OrderBy(e => e.Sequence).Select(e => e.Hash).ToListAsync(),
            await db.Cases.Where(c => c.Id == id).Select(c => c.LastEventHash).SingleAsync()));
        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{64}$", h!));
        Assert.Equal(hashes[^1], head);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("leader")]
    public async Task OnlyAdministrators_MayVerify(string who)
    {
        using var response = await app.ClientAs(who).GetAsync("/api/v1/admin/verify");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var anonymous = await app.AnonymousClient().GetAsync("/api/v1/admin/verify");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task ATownAdministrator_VerifiesTheCasesOfTheirTown()
    {
        var id = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "镇管理员校验"));
        using var response = await app.ClientAs("admin-sch").GetAsync("/api/v1/admin/verify");
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        Assert.True(json["intact"]!.GetValue<bool>());
        Assert.True(json["casesChecked"]!.GetValue<int>() >= 1);
        using var one = await app.ClientAs("admin-sch").GetAsync($"/api/v1/admin/verify?caseId={id}");
        Assert.Equal(1, (await one.ReadJsonAsync())["casesChecked"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownCase_Is404_AndBadArguments_Exit2()
    {
        using var response = await app.ClientAs("admin-county").GetAsync("/api/v1/admin/verify?caseId=987654321");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(2, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", "987654321"], new StringWriter()));
        Assert.Equal(2, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", "abc"], new StringWriter()));
        Assert.Equal(2, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case"], new StringWriter()));
    }
}

public sealed class VerifyEventChainTests_Sqlite(SqliteApp app) : VerifyEventChainTests(app), IClassFixture<SqliteApp>;

public sealed class VerifyEventChainTests_Postgres(PostgresApp app) : VerifyEventChainTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// Rows changed behind the application's back: each test tampers with its own case and the
/// verification names that case and the first broken event. (This fixture's ledger is broken on purpose.)
/// </summary>
public abstract class VerifyEventChainTamperTests(TaizhangApp app)
{
    private HttpClient Client => app.SharedClientAs("town");

    /// <summary>Register, triage + assign, return (event 4, with a reason), triage + assign, start: seven events.</summary>
    private async Task<long> CaseWithHistoryAsync()
    {
        var id = await Client.RegisterIdAsync(CaseApi.NewCase(title: "路面塌陷 " + Guid.NewGuid().ToString("N")[..6]));
        await Client.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-MJC" });
        await Client.DoAsync(id, "return", new { reason = "不在本村辖区" });
        await Client.DoAsync(id, "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = "SCH-WJC" });
        await Client.DoAsync(id, "start");
        return id;
    }

    private Task<VerifyEventChain.Response> VerifyAsync(long? caseId) =>
        app.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, caseId, CancellationToken.None));

    private Task ExecAsync(FormattableString sql) => app.WithDbAsync(db => db.Database.ExecuteSqlAsync(sql));

    private async Task AssertBrokenAtAsync(long id, int sequence, string problem)
    {
        var r = await VerifyAsync(id);
        Assert.False(r.Intact);
        Assert.Equal(1, r.BrokenCases);
        var b = Assert.IsType<VerifyEventChain.BrokenLink>(r.FirstBroken);
        Assert.Equal(id, b.CaseId);
        Assert.Equal(sequence, b.Sequence);
        Assert.Contains(problem, b.Problem);
        var code = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.TrackingCode).SingleAsync());
        Assert.Equal(code, b.TrackingCode);
    }

    [Fact]
    public async Task EditedReason_IsFound_AtThatEvent()
    {
        var id = await CaseWithHistoryAsync();
        Assert.True((await VerifyAsync(id)).Intact);
        await ExecAsync($"""UPDATE "CaseEvents" SET "Reason" = '在本村辖区' WHERE "CaseId" = {id} AND "Sequence" = 4""");
        await AssertBrokenAtAsync(id, 4, "does not match its hash");

        // Through the API and the command too.
        using var response = await app.ClientAs("admin-county").GetAsync($"/api/v1/admin/verify?caseId={id}");
        var json = await response.ReadJsonAsync();
        Assert.False(json["intact"]!.GetValue<bool>());
        Assert.Equal(id, json["firstBroken"]!["caseId"]!.GetValue<long>());
        Assert.Equal(4, json["firstBroken"]!["sequence"]!.GetValue<int>());
        var output = new StringWriter();
        Assert.Equal(1, await VerifyEventChain.RunCommandAsync(app.Services, ["verify", "--case", id.ToString()], output));
        Assert.Contains($"case {id}", output.ToString());
        Assert.Contains("event 4", output.ToString());
        Assert.Equal(1, await VerifyEventChain.RunCommandAsync(app.Services, ["verify"], new StringWriter()));
    }

    [Fact]
    public async Task DeletedLastEvent_IsFound()
    {
        var id = await CaseWithHistoryAsync();
        await ExecAsync($"""DELETE FROM "CaseEvents" WHERE "CaseId" = {id} AND "Sequence" = 7""");
        await AssertBrokenAtAsync(id, 7, "events deleted");
    }

    [Fact]
    public async Task DeletedLastEvent_WithTheCountCoveredUp_IsFound_ByTheHead()
    {
        var id = await CaseWithHistoryAsync();
        await ExecAsync($"""DELETE FROM "CaseEvents" WHERE "CaseId" = {id} AND "Sequence" = 7""");
        await ExecAsync($"""UPDATE "Cases" SET "EventCount" = 6 WHERE "Id" = {id}""");
        await AssertBrokenAtAsync(id, 6, "chain head");
    }

    [Fact]
    public async Task DeletedMiddleEvent_IsFound()
    {
        var id = await CaseWithHistoryAsync();
        await ExecAsync($"""DELETE FROM "CaseEvents" WHERE "CaseId" = {id} AND "Sequence" = 3""");
        await AssertBrokenAtAsync(id, 3, "missing");
    }

    [Fact]
    public async Task SwappedPayloads_AreFound()
    {
        var id = await CaseWithHistoryAsync();
        var (p2, p3) = await app.WithDbAsync(async db =>
        {
            var rows = await db.CaseEvents.Where(e => e.CaseId == id && (e.Sequence == 2 || e.Sequence == 3))
                .OrderBy(e => e.Sequence).Select(e => e.Payload).ToListAsync();
            return (rows[0], rows[1]);
        });
        Assert.NotEqual(p2, p3);
        await ExecAsync($"""UPDATE "CaseEvents" SET "Payload" = {p3} WHERE "CaseId" = {id} AND "Sequence" = 2""");
        await ExecAsync($"""UPDATE "CaseEvents" SET "Payload" = {p2} WHERE "CaseId" = {id} AND "Sequence" = 3""");
        await AssertBrokenAtAsync(id, 2, "does not match its hash");
    }

    [Fact]
    public async Task EventMovedToAnotherCase_IsFound()
    {
        var a = await CaseWithHistoryAsync();
        var b = await Client.RegisterIdAsync(CaseApi.NewCase(title: "另一处路面塌陷"));
        // a's last event becomes b's second: the sequence fits, the hash (sealed under a's tracking code) does not.
        await ExecAsync($"""UPDATE "CaseEvents" SET "CaseId" = {b}, "Sequence" = 2 WHERE "CaseId" = {a} AND "Sequence" = 7""");
        await ExecAsync($"""UPDATE "Cases" SET "EventCount" = 2 WHERE "Id" = {b}""");
        await AssertBrokenAtAsync(b, 2, "does not match its hash");
        await AssertBrokenAtAsync(a, 7, "events deleted");
    }

    [Fact]
    public async Task DeletedCaseRow_LeavesItsEventsWithoutACase_AndIsFound()
    {
        var id = await CaseWithHistoryAsync();
        var before = (await VerifyAsync(null)).BrokenCases;
        // Only possible with foreign keys switched off, as someone with the database file could.
        if (app.Provider == "Sqlite")
        {
            await ExecAsync($"""PRAGMA foreign_keys = OFF; DELETE FROM "CaseReporters" WHERE "CaseId" = {id}; DELETE FROM "Cases" WHERE "Id" = {id}; PRAGMA foreign_keys = ON;""");
        }
        else
        {
            await ExecAsync($"""SET session_replication_role = replica; DELETE FROM "CaseReporters" WHERE "CaseId" = {id}; DELETE FROM "Cases" WHERE "Id" = {id}; SET session_replication_role = DEFAULT;""");
        }
        var r = await VerifyAsync(null);
        Assert.False(r.Intact);
        Assert.Equal(before + 1, r.BrokenCases);
        if (before == 0)
        {
            Assert.Equal((id, 1), (r.FirstBroken!.CaseId, r.FirstBroken.Sequence));
            Assert.Contains("no case", r.FirstBroken.Problem);
        }
    }

    [Fact]
    public async Task EventsFromBeforeTheChain_AreUnsealed_NotBroken_AndNewEventsChainFromThere()
    {
        var id = await Client.RegisterIdAsync(CaseApi.NewCase(title: "老数据：路灯不亮"));
        await Client.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal" });
        // As a database created before the AddEventHashChain migration has them.
        await ExecAsync($"""UPDATE "CaseEvents" SET "Hash" = NULL WHERE "CaseId" = {id}""");
        await ExecAsync($"""UPDATE "Cases" SET "LastEventHash" = NULL WHERE "Id" = {id}""");
        var r = await VerifyAsync(id);
        Assert.True(r.Intact);
        Assert.Equal(2, r.UnsealedEvents);

        await Client.DoAsync(id, "assign", new { unit = "SCH-MJC" });
        r = await VerifyAsync(id);
        Assert.True(r.Intact, r.FirstBroken?.Problem);
        Assert.Equal((3, 2), (r.EventsChecked, r.UnsealedEvents));

        // Once sealed, removing a hash is a break, not "unsealed".
        await ExecAsync($"""UPDATE "CaseEvents" SET "Hash" = NULL WHERE "CaseId" = {id} AND "Sequence" = 3""");
        await AssertBrokenAtAsync(id, 3, "chain head");
    }
}

public sealed class VerifyEventChainTamperTests_Sqlite(SqliteApp app) : VerifyEventChainTamperTests(app), IClassFixture<SqliteApp>;

public sealed class VerifyEventChainTamperTests_Postgres(PostgresApp app) : VerifyEventChainTamperTests(app), IClassFixture<PostgresApp>;
