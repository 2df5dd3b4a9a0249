using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// The ledger's filters, paging and sorting. Each test class has its own database, so the
/// cases created in <see cref="InitializeAsync"/> are the only ones there.
/// </summary>
public abstract class ListCasesTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _client = app.ClientAs();
    private long _mjcWater, _mjcGroupRoad, _wjcDispute, _wjcUrgentRejected, _townWeChat;

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            await LoadIdsAsync();
            return;
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-10));
        _mjcWater = await _client.RegisterIdAsync(CaseApi.NewCase(title: "自来水停水三天", orgUnit: "SCH-MJC", channel: "Hotline", category: "water"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-5));
        _mjcGroupRoad = await _client.RegisterIdAsync(CaseApi.NewCase(title: "一组道路塌陷", orgUnit: "SCH-MJC-1", channel: "WalkIn", category: "roads", urgency: "High"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-2));
        _wjcDispute = await _client.RegisterIdAsync(CaseApi.NewCase(title: "宅基地边界纠纷", orgUnit: "SCH-WJC", channel: "Petition", category: "dispute-land", urgency: "Low"));
        // WeChat matters come from the WeChat integration (a person registers only the staff channels).
        var (wechat, _) = await app.IntegrationAsync("SCH", "WeChat");
        _wjcUrgentRejected = await wechat.RegisterIdAsync(CaseApi.NewCase(title: "要求报销私人债务", orgUnit: "SCH-WJC", channel: "WeChat", urgency: "Urgent"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
        _townWeChat = await wechat.RegisterIdAsync(CaseApi.NewCase(title: "集镇垃圾清运不及时", orgUnit: "SCH", channel: "WeChat", category: "environment"));

        await _client.DoAsync(_mjcWater, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _client.DoAsync(_wjcDispute, "triage", new { track = "Topic" });
        await _client.DoAsync(_wjcUrgentRejected, "reject", new { reason = "不属于受理范围" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_NoFilter_ReturnsAllNewestFirstWithPagingFields()
    {
        var page = await ListAsync("");
        Assert.Equal(5, page["total"]!.GetValue<int>());
        Assert.Equal(1, page["page"]!.GetValue<int>());
        Assert.Equal(20, page["pageSize"]!.GetValue<int>());
        Assert.Equal([_townWeChat, _wjcUrgentRejected, _wjcDispute, _mjcGroupRoad, _mjcWater], Ids(page));
    }

    [Theory]
    [InlineData("status=Assigned", "water")]
    [InlineData("status=Registered,Ledgered", "road,dispute,town")]
    [InlineData("channel=WeChat", "rejected,town")]
    [InlineData("category=dispute-land", "dispute")]
    [InlineData("category=water,roads", "water,road")]
    [InlineData("urgency=High", "road")]
    [InlineData("track=Topic", "dispute")]
    [InlineData("track=Direct", "water")]
    [InlineData("orgUnit=SCH-MJC", "water,road")]
    [InlineData("orgUnit=SCH-MJC-1", "road")]
    [InlineData("orgUnit=SCH", "water,road,dispute,rejected,town")]
    [InlineData("orgUnit=SCH-WJC&status=Rejected", "rejected")]
    [InlineData("q=纠纷", "dispute")]
    [InlineData("q=停水", "water")]
    [InlineData("q=出行", "water,road,dispute,rejected,town")]
    [InlineData("q=三天自来水", "")]
    public async Task List_Filter_ReturnsExactlyTheMatchingCases(string query, string expected)
    {
        var page = await ListAsync(query);
        var want = expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Named).Order().ToArray();
        Assert.Equal(want, Ids(page).Order().ToArray());
        Assert.Equal(want.Length, page["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Search_ReadsTheTextTable_ThatTheDatabaseKeepsForEveryCase()
    {
        // The trigger on Cases wrote one row per case: its town, and title and description.
        var texts = await app.WithDbAsync(db => db.CaseTexts.OrderBy(t => t.CaseId).ToListAsync());
        var cases = await app.WithDbAsync(db => db.Cases.OrderBy(c => c.Id).Select(c => new { c.Id, c.TownId, c.Title, c.Description }).ToListAsync());
        Assert.Equal(cases.Select(c => (c.Id, c.TownId, c.Title + "\n" + c.Description)), texts.Select(t => (t.CaseId, t.TownId, t.Text)));
        // A word found only there (the description) finds the case.
        Assert.Equal([_mjcGroupRoad], Ids(await ListAsync("q=" + Uri.EscapeDataString("塌陷，已经"))));
    }

    [Fact]
    public async Task List_ByTrackingCode_FindsTheCase()
    {
        var code = (await _client.GetCaseAsync(_mjcGroupRoad))["trackingCode"]!.GetValue<string>();
        var page = await ListAsync("q=" + code.Replace("-", "").ToLowerInvariant());
        Assert.Equal([_mjcGroupRoad], Ids(page));
    }

    [Fact]
    public async Task List_RegisteredDateRange_UsesShanghaiDays()
    {
        // Start is 26 Nov 10:00 Shanghai; the cases were registered 10, 5, 2, 2 and 0 days before.
        var page = await ListAsync("from=2026-11-21&to=2026-11-24");
        Assert.Equal([_wjcUrgentRejected, _wjcDispute, _mjcGroupRoad], Ids(page));
        Assert.Equal([_townWeChat], Ids(await ListAsync("from=2026-11-26")));
        Assert.Equal([_mjcWater], Ids(await ListAsync("to=2026-11-16")));
    }

    [Fact]
    public async Task List_Overdue_OnlyOpenCasesPastTheirDueDate()
    {
        // The urgent case is 2 days old (due after 1 day) but rejected, so not overdue. Open and
        // overdue: water (Mon 16 Nov + 7 working days = 25 Nov) and road (Sat 21 Nov + 3 = 25 Nov).
        var overdue = await ListAsync("overdue=true");
        Assert.Equal([_mjcGroupRoad, _mjcWater], Ids(overdue));
        Assert.All(overdue["items"]!.AsArray(), i => Assert.True(i!["overdue"]!.GetValue<bool>()));
        var notOverdue = await ListAsync("overdue=false");
        Assert.Equal([_townWeChat, _wjcUrgentRejected, _wjcDispute], Ids(notOverdue));
        Assert.All(notOverdue["items"]!.AsArray(), i => Assert.False(i!["overdue"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task List_Paging_WalksEveryCaseOnceInOrder()
    {
        var seen = new List<long>();
        for (var p = 1; p <= 3; p++)
        {
            var page = await ListAsync($"pageSize=2&page={p}&sort=registeredAt");
            Assert.Equal(5, page["total"]!.GetValue<int>());
            seen.AddRange(Ids(page));
        }
        Assert.Equal([_mjcWater, _mjcGroupRoad, _wjcDispute, _wjcUrgentRejected, _townWeChat], seen);
        Assert.Empty(Ids(await ListAsync("pageSize=2&page=4")));
    }

    [Fact]
    public async Task List_SortByDueAtAndUrgency()
    {
        var byDue = Ids(await ListAsync("sort=dueAt"));
        Assert.Equal(_wjcUrgentRejected, byDue[0]);
        Assert.Equal(_wjcDispute, byDue[^1]);
        var byUrgency = Ids(await ListAsync("sort=urgency"));
        Assert.Equal(_wjcUrgentRejected, byUrgency[0]);
        Assert.Equal(_mjcGroupRoad, byUrgency[1]);
        Assert.Equal(_wjcDispute, byUrgency[^1]);
        Assert.Equal(_wjcDispute, Ids(await ListAsync("sort=-urgency"))[0]);
    }

    [Fact]
    public async Task List_Items_CarryTheLedgerColumns()
    {
        var page = await ListAsync("orgUnit=SCH-MJC&status=Assigned");
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal("自来水停水三天", item["title"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", item["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("马家村", item["orgUnit"]!["name"]!.GetValue<string>());
        Assert.Equal("马家村", item["assigneeUnit"]!["name"]!.GetValue<string>());
        Assert.Equal("饮水安全", item["category"]!["name"]!.GetValue<string>());
        Assert.Equal("Direct", item["track"]!.GetValue<string>());
        Assert.Equal("Hotline", item["channel"]!.GetValue<string>());
        Assert.Null(item["reporters"]);
        Assert.Null(item["description"]);
    }

    [Theory]
    [InlineData("status=Done", "status")]
    [InlineData("channel=Fax", "channel")]
    [InlineData("urgency=3", "urgency")]
    [InlineData("track=Side", "track")]
    [InlineData("orgUnit=NOWHERE", "orgUnit")]
    [InlineData("category=nothing", "category")]
    [InlineData("overdue=maybe", "overdue")]
    [InlineData("outcome=Fixed", "outcome")]
    [InlineData("resolvedOnce=maybe", "resolvedOnce")]
    [InlineData("followedUp=1", "followedUp")]
    [InlineData("from=26/11/2026", "from")]
    [InlineData("from=2026-11-26&to=2026-11-01", "from")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("sort=title", "sort")]
    public async Task List_BadParameter_Returns400NamingIt(string query, string field)
    {
        using var response = await _client.GetAsync("/api/v1/cases?" + query);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task List_MaxPageSize_IsAccepted()
    {
        var page = await ListAsync("pageSize=200");
        Assert.Equal(200, page["pageSize"]!.GetValue<int>());
    }

    private long Named(string name) => name switch
    {
        "water" => _mjcWater,
        "road" => _mjcGroupRoad,
        "dispute" => _wjcDispute,
        "rejected" => _wjcUrgentRejected,
        "town" => _townWeChat,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private async Task LoadIdsAsync()
    {
        var all = Ids(await ListAsync("sort=registeredAt"));
        (_mjcWater, _mjcGroupRoad, _wjcDispute, _wjcUrgentRejected, _townWeChat) = (all[0], all[1], all[2], all[3], all[4]);
    }

    private async Task<JsonObject> ListAsync(string query)
    {
        using var response = await _client.GetAsync("/api/v1/cases?" + query);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {response.StatusCode} {json}");
        return json;
    }

    private static long[] Ids(JsonObject page) =>
        page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();
}

public sealed class ListCasesTests_Sqlite(SqliteApp app) : ListCasesTests(app), IClassFixture<SqliteApp>;

public sealed class ListCasesTests_Postgres(PostgresApp app) : ListCasesTests(app), IClassFixture<PostgresApp>;

/// <summary>The same ledger with text search beyond its inline id list (every search takes the subquery path).</summary>
public sealed class SearchSubqueryApp : SqliteApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ledger:SearchIdsInline", "1");
    }
}

public sealed class ListCasesTests_SearchSubquery(SearchSubqueryApp app) : ListCasesTests(app), IClassFixture<SearchSubqueryApp>;
