using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// Text that residents and staff type is shown as text on every page: markup in a title, a
/// description, a reporter's name or a reason never runs, and shows literally.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StoredScriptTests(BrowserFixture browser)
{
    private const string Script = "<script>window.__xss=1</script>";
    private const string Image = "<img src=x onerror=\"window.__xss=2\">";

    [Fact]
    public async Task InjectedMarkup_IsInertOnEveryPage()
    {
        using var town = await Staff.ApiAsync(browser.Server, "town");
        var phone = "137" + Random.Shared.Next(10_000_000, 99_999_999);
        var created = await town.JsonAsync(HttpMethod.Post, "api/v1/cases", new
        {
            channel = "Hotline",
            title = "标题" + Script + Image,
            description = "内容" + Image + "<a href=\"javascript:window.__xss=3\">点我</a>",
            orgUnit = "SCH-MJC",
            reporter = new { name = "名字" + Script, phone },
        });
        var id = created["id"]!.GetValue<long>();
        var code = created["trackingCode"]!.GetValue<string>();
        await town.JsonAsync(HttpMethod.Post, $"api/v1/cases/{id}/reject", new { reason = "理由" + Image });

        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await Staff.SignInAsync(page, "town");
        foreach (var url in new[] { $"/cases?q={code}", $"/cases/{id}", "/board", "/hotline", "/triage" })
        {
            await page.GotoAsync(url);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
            Assert.Equal(0, await page.Locator("main img[src=x], main script, main a[href^=javascript]").CountAsync());
        }

        // Shown as the characters that were typed.
        await page.GotoAsync($"/cases/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("标题" + Script + Image);
        await Expect(page.Locator("main")).ToContainTextAsync("理由" + Image);
        await page.GotoAsync($"/cases?q={code}");
        await Expect(page.Locator("table.ledger td.title")).ToHaveTextAsync("标题" + Script + Image);
        // The caller's history, as the live look-up shows it while the number is typed.
        await page.GotoAsync("/hotline");
        await page.GetByLabel("来电号码").FillAsync(phone);
        await Expect(page.Locator("#caller-history")).ToContainTextAsync("标题" + Script);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        Assert.Equal(0, await page.Locator("#caller-history img[src=x], #caller-history script").CountAsync());
        Assert.True(tab.Errors.Count == 0, string.Join('\n', tab.Errors));
    }
}
