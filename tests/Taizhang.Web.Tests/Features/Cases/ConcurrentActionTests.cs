using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>Two people acting on one case at once: exactly one wins, the timeline stays linear.</summary>
public abstract class ConcurrentActionTests(TaizhangApp app)
{
    [Fact]
    public async Task SimultaneousStarts_OneSucceeds_OthersGet409_OneEventWritten()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = (await client.GetCaseAsync(id)).Events().Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.ActAsync(id, "start")));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK),
                r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        }
        finally
        {
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }

        var after = await client.GetCaseAsync(id);
        Assert.Equal("InProgress", after.Status());
        Assert.Equal(before + 1, after.Events().Count);
        var sequences = after.Events().Select(e => e!["sequence"]!.GetValue<int>()).ToArray();
        Assert.Equal(Enumerable.Range(1, sequences.Length), sequences);
    }

    [Fact]
    public async Task SimultaneousDifferentActions_OnlyOneApplies()
    {
        var client = app.ClientAs();
        var id = await client.RegisterIdAsync();
        await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

        var resolve = client.ActAsync(id, "resolve", new { outcome = "Solved", result = "已修复" });
        var ret = client.ActAsync(id, "return", new { reason = "不属于本村" });
        // Mutually exclusive from Assigned: whichever commits first makes the others illegal.
        var ret2 = client.ActAsync(id, "return", new { reason = "需要镇上协调" });
        var all = await Task.WhenAll(resolve, ret, ret2);
        Assert.Single(all, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(2, all.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var r in all)
        {
            r.Dispose();
        }
        var after = await client.GetCaseAsync(id);
        Assert.Equal(4, after.Events().Count); // Register, Triage, Assign, and one of the three
    }
}

public sealed class ConcurrentActionTests_Sqlite(SqliteApp app) : ConcurrentActionTests(app), IClassFixture<SqliteApp>;

public sealed class ConcurrentActionTests_Postgres(PostgresApp app) : ConcurrentActionTests(app), IClassFixture<PostgresApp>;
