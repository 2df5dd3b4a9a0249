using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// One test per role: the ledger, the board and a guessed case address never show a case outside
/// the user's posts. A second town (河口镇) with its own case is set up through the administration
/// API; village cadres and agencies are checked against what the town office's API says their
/// scope is.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScopeTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static (long Id, string Code, string Title)? _otherTown;

    public async Task InitializeAsync()
    {
        await Setup.WaitAsync();
        try
        {
            _otherTown ??= await OtherTownCaseAsync();
        }
        finally
        {
            Setup.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(long, string, string)> OtherTownCaseAsync()
    {
        using var admin = await Staff.ApiAsync(browser.Server, "admin", TaizhangServer.AdminPassword);
        await admin.JsonAsync(HttpMethod.Post, "api/v1/admin/org-units", new { code = "HK", name = "河口镇", kind = "Town", parent = "ZX" });
        await admin.JsonAsync(HttpMethod.Post, "api/v1/admin/org-units", new { code = "HK-01", name = "河口村", kind = "Village", parent = "HK" });
        await admin.JsonAsync(HttpMethod.Post, "api/v1/admin/users", new
        {
            userName = "hk-town",
            displayName = "河口镇受理员",
            password = "Hekou-Town-Pass-2026",
            posts = new[] { new { role = "TownStaff", unit = "HK" } },
        });
        using var hk = await Staff.ApiAsync(browser.Server, "hk-town", "Hekou-Town-Pass-2026");
        const string title = "河口村渡口护栏缺失";
        var created = await hk.JsonAsync(HttpMethod.Post, "api/v1/cases", new
        {
            channel = "Hotline",
            title,
            description = "渡口护栏缺失，孩子上学经过很危险。",
            orgUnit = "HK-01",
            reporter = new { name = "赵德胜", phone = "13800000001" },
        });
        return (created["id"]!.GetValue<long>(), created["trackingCode"]!.GetValue<string>(), title);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("cadre")]
    [InlineData("agency")]
    [InlineData("operator")]
    [InlineData("leader")]
    [InlineData("member")]
    public async Task OutOfScopeCases_NeverAppear(string user)
    {
        var other = _otherTown!.Value;
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await Staff.SignInAsync(page, user);

        // Searched for by its tracking code: not in the ledger.
        await page.GotoAsync("/cases?q=" + other.Code);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "共 0 件" })).ToBeVisibleAsync();
        Assert.Empty(await Staff.LedgerIdsAsync(page));
        // Its address guessed: the same page as for a case that does not exist.
        var response = await page.GotoAsync($"/cases/{other.Id}");
        Assert.Equal(404, response!.Status);
        Assert.DoesNotContain(other.Title, await page.ContentAsync());
        // Not on the board.
        await page.GotoAsync("/board");
        Assert.DoesNotContain(other.Title, await page.ContentAsync());

        // Everything the ledger shows is within the user's posts, by the town office's account of it.
        await page.GotoAsync("/cases?pageSize=200&sort=dueAt");
        var shown = await Staff.LedgerIdsAsync(page);
        Assert.NotEmpty(shown);
        using var town = await Staff.ApiAsync(browser.Server, "town");
        var allowed = user switch
        {
            "cadre" => (await town.AllIdsAsync("orgUnit=SCH-MJC")).Union(await town.AllIdsAsync("assigneeUnit=SCH-MJC")).ToHashSet(),
            "agency" => await town.AllIdsAsync("assigneeUnit=SCH-SFS"),
            _ => await town.AllIdsAsync("orgUnit=SCH"),
        };
        Assert.All(shown, id => Assert.Contains(id, allowed));
        Assert.True(tab.Errors.Count == 0 || tab.Errors.All(e => e.Contains("404", StringComparison.Ordinal)), string.Join('\n', tab.Errors));
    }
}
