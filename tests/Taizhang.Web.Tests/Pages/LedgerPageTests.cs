using System.Net;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>台账: the ledger page over the list API, with its filters in the URL.</summary>
public abstract partial class LedgerPageTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");
    private long _mjcRoad, _wjcWater, _script;

    public async Task InitializeAsync()
    {
        // Once per class (the fixture's database), not once per test.
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            var ids = await app.WithDbAsync(db => Task.FromResult(db.Cases.OrderBy(c => c.Id).Select(c => c.Id).ToArray()));
            (_mjcRoad, _wjcWater, _script) = (ids[0], ids[1], ids[2]);
            return;
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        _mjcRoad = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村道路坑洼", orgUnit: "SCH-MJC", urgency: "High", category: "roads"));
        _wjcWater = await _town.RegisterIdAsync(CaseApi.NewCase(title: "王家村自来水浑浊", orgUnit: "SCH-WJC", category: "water"));
        _script = await _town.RegisterIdAsync(CaseApi.NewCase(title: "<script>alert('x')</script>标题", orgUnit: "SCH-MJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TownStaff_SeeEveryVillage_WithTheColumnsOfTheLedger()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases");

        Assert.Equal(HttpStatusCode.OK, status);
        var ids = RowIds(html);
        Assert.Contains(_mjcRoad, ids);
        Assert.Contains(_wjcWater, ids);
        var row = Row(html, _mjcRoad);
        foreach (var text in new[] { "马家村道路坑洼", "投诉电话", "较急", "已登记", "道路" })
        {
            Assert.Contains(text, row);
        }
        Assert.Contains("<th scope=\"col\"", html);
    }

    [Fact]
    public async Task AVillageCadre_NeverSeesAnotherVillagesCases()
    {
        var (_, html) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync("/cases?pageSize=200");

        var ids = RowIds(html);
        Assert.Contains(_wjcWater, ids);
        Assert.DoesNotContain(_mjcRoad, ids);
        Assert.DoesNotContain("马家村道路坑洼", html);
    }

    [Fact]
    public async Task Filters_LiveInTheUrl_AndMatchTheListApi()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases?orgUnit=SCH-WJC&category=water");
        Assert.Equal([_wjcWater], RowIds(html));
        // The filter form shows what is applied.
        Assert.Matches("<option value=\"SCH-WJC\" selected", html);

        var (_, multi) = await _town.GetHtmlAsync("/cases?status=Registered&urgency=High&q=" + Uri.EscapeDataString("坑洼"));
        Assert.Equal([_mjcRoad], RowIds(multi));
        Assert.Equal([_mjcRoad], (await _town.ListAsync("status=Registered&urgency=High&q=" + Uri.EscapeDataString("坑洼"))).ItemIds());
    }

    [Fact]
    public async Task TheStatusFilter_IsCheckboxes_ThatFilterLikeTheListApi()
    {
        await _town.DoAsync(_wjcWater, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        try
        {
            // What the form sends: one status parameter per ticked box.
            var (_, html) = await _town.GetHtmlAsync("/cases?status=Registered&status=Assigned&pageSize=200");

            var api = (await _town.ListAsync("status=Registered,Assigned&pageSize=200")).ItemIds();
            Assert.Equal(api, RowIds(html));
            Assert.Contains(_wjcWater, RowIds(html));
            Assert.Contains("<input type=\"checkbox\" name=\"status\" value=\"Registered\" checked=\"checked\">", html);
            Assert.Contains("<input type=\"checkbox\" name=\"status\" value=\"Assigned\" checked=\"checked\">", html);
            Assert.Contains("<input type=\"checkbox\" name=\"status\" value=\"Resolved\">", html);
            Assert.DoesNotContain("multiple", html);

            var (_, one) = await _town.GetHtmlAsync("/cases?status=Assigned");
            Assert.Equal([_wjcWater], RowIds(one));
        }
        finally
        {
            await _town.DoAsync(_wjcWater, "return", new { reason = "测试后退回" });
        }
    }

    [Fact]
    public async Task OnAPhone_RowsAreCards_EachCellNamingItsColumn()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases");

        var row = Row(html, _mjcRoad);
        foreach (var label in new[] { "查询码", "村（社区）", "轻重缓急", "状态", "办理期限" })
        {
            Assert.Contains($"data-label=\"{label}\"", row);
        }
    }

    [Fact]
    public async Task ABadFilter_Answers400_WithTheMessageNextToItsField()
    {
        var (status, html) = await _town.GetHtmlAsync("/cases?orgUnit=NOPE&from=2026-13-01");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Matches("id=\"orgUnit-error\"[^>]*>没有编码为「NOPE」的组织单位。</span>", html);
        Assert.Contains("日期格式应为 yyyy-MM-dd。", html);
        Assert.Empty(RowIds(html));
    }

    [Fact]
    public async Task StoredScript_IsShownAsText()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases");

        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;标题", Row(html, _script));
        Assert.DoesNotContain("<script>alert", html);
    }

    [Fact]
    public async Task SortLinks_AndPaging_KeepTheFilters()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases?orgUnit=SCH-MJC&pageSize=1");

        Assert.Single(RowIds(html));
        Assert.Contains("href=\"/cases?orgUnit=SCH-MJC&amp;pageSize=1&amp;page=2\" rel=\"next\"", html);
        Assert.Contains("href=\"/cases?orgUnit=SCH-MJC&amp;sort=dueAt&amp;pageSize=1\"", html);
        var (_, second) = await _town.GetHtmlAsync("/cases?orgUnit=SCH-MJC&pageSize=1&page=2");
        Assert.NotEqual(RowIds(html), RowIds(second));
    }

    [Theory]
    [InlineData("onTime=maybe", "onTime")]
    [InlineData("dueSoon=soon", "dueSoon")]
    [InlineData("satisfaction=Happy", "satisfaction")]
    [InlineData("assigneeUnit=NOPE", "assigneeUnit")]
    public async Task TheListApi_RefusesBadValuesOfTheBoardsFilters(string query, string field)
    {
        using var response = await _town.GetAsync("/api/v1/cases?" + query);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task TheListApi_FiltersByResponsibleUnit()
    {
        await _town.DoAsync(_wjcWater, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        try
        {
            Assert.Equal([_wjcWater], (await _town.ListAsync("assigneeUnit=SCH-SFS")).ItemIds());
            Assert.Empty((await _town.ListAsync("assigneeUnit=SCH-PCS")).ItemIds());
        }
        finally
        {
            await _town.DoAsync(_wjcWater, "return", new { reason = "测试后退回" });
        }
    }

    /// <summary>
    /// A walk-through: arriving from a board link (?supervised=true, ?suspended=true, ?overdue=true) the filter in force was
    /// inside the folded 更多筛选条件, so the list looked unfiltered.
    /// </summary>
    [Theory]
    [InlineData("supervised=true&sort=dueAt", "supervised", "督办：督办中（任意等级）")]
    [InlineData("suspended=true&sort=dueAt", "suspended", "是否挂起：挂起中")]
    [InlineData("overdue=true&sort=dueAt", "overdue", "是否超期：已超期")]
    [InlineData("pendingRequest=Extension", "pendingRequest", "延期待审批")]
    [InlineData("orgUnit=SCH-MJC&urgency=High,Urgent", "orgUnit", "村（社区）：马家村")]
    public async Task AFilterInForce_OpensTheFilters_AndIsShownAboveTheList(string query, string filter, string shown)
    {
        var (_, html) = await _town.GetHtmlAsync("/cases?" + query);

        Assert.Matches("<details class=\"filters\" open=\"open\">", html);
        var chips = html[html.IndexOf("data-active-filters", StringComparison.Ordinal)..];
        chips = chips[..chips.IndexOf("</div>", StringComparison.Ordinal)];
        var chip = chips[chips.IndexOf($"data-filter=\"{filter}\"", StringComparison.Ordinal)..];
        chip = chip[..chip.IndexOf("</span>", StringComparison.Ordinal)];
        Assert.Contains(shown, chip);
        // Its × is this view without it (the order and the other filters kept).
        var without = WebUtility.HtmlDecode(Regex.Match(chip, "href=\"([^\"]*)\" class=\"remove").Groups[1].Value);
        Assert.StartsWith("/cases", without);
        Assert.DoesNotContain(filter + "=", without);
        foreach (var kept in query.Split('&').Where(p => !p.StartsWith(filter + "=", StringComparison.Ordinal)))
        {
            Assert.Contains(kept, without);
        }
        // The sort alone, or a search, is no filter: the section stays folded and nothing is listed above.
        var (_, plain) = await _town.GetHtmlAsync("/cases?sort=dueAt&q=道路");
        Assert.Contains("<details class=\"filters\">", plain);
        Assert.DoesNotContain("data-active-filters", plain);
    }

    [Fact]
    public async Task TheFiltersInForce_AreNamedInEnglish_ToWhoReadsEnglish()
    {
        using var english = app.ClientAs("town");
        var (_, html) = await english.GetHtmlAsync("/cases?culture=en&supervised=Red&status=InProgress");
        Assert.Contains("Filtered by", html);
        Assert.Contains(">Supervision: red card<", html);
        Assert.Contains(">Status: In progress<", html);
    }

    [Fact]
    public async Task English_IsSwitchable()
    {
        var (_, html) = await _town.GetHtmlAsync("/cases?culture=en");

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(">Tracking code</th>", html);
        Assert.Contains("High", Row(html, _mjcRoad));
    }

    private static long[] RowIds(string html) =>
        RowId().Matches(html).Select(m => long.Parse(m.Groups[1].Value)).ToArray();

    private static string Row(string html, long id)
    {
        var start = html.IndexOf($"data-case-id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for case {id}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("data-case-id=\"(\\d+)\"")]
    private static partial Regex RowId();
}

public sealed class LedgerPageTests_Sqlite(SqliteApp app) : LedgerPageTests(app), IClassFixture<SqliteApp>;

public sealed class LedgerPageTests_Postgres(PostgresApp app) : LedgerPageTests(app), IClassFixture<PostgresApp>;
