using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>The ledger and the board in Chromium, on an office screen and on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LedgerAndBoardTests(BrowserFixture browser)
{
    [Fact]
    public async Task Board_ShowsStagesAndRates_AndANumberOpensTheLedgerOnThoseCases()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await Staff.SignInAsync(page, "leader");

        Assert.EndsWith("/board", page.Url);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("一览清");
        await Expect(page.Locator("header .who")).ToContainTextAsync("领导 · 三岔镇");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("board.png"), FullPage = true });
        await Staff.AssertAccessibleAsync(page);

        var stage = page.Locator("a.stage[data-stage=InHandling]");
        var count = int.Parse(await stage.Locator(".n").InnerTextAsync());
        Assert.True(count > 0, "the demo has cases in progress");
        await stage.ClickAsync();
        await page.WaitForURLAsync("**/cases?status=Assigned,InProgress,Planned*");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"共 {count} 件" })).ToBeVisibleAsync();
        Assert.True(tab.Errors.Count == 0, string.Join('\n', tab.Errors));
    }

    [Fact]
    public async Task Ledger_FiltersLiveInTheUrl_AndOverdueRowsAreRed()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await Staff.SignInAsync(page, "town");

        await page.GotoAsync("/cases");
        await page.GetByRole(AriaRole.Link, new() { Name = "本单位超期" }).ClickAsync();
        await page.WaitForURLAsync("**/cases?orgUnit=SCH&overdue=true&sort=dueAt");
        var rows = page.Locator("table.ledger tbody tr");
        Assert.True(await rows.CountAsync() > 0, "the demo has overdue cases");
        Assert.Equal(await rows.CountAsync(), await page.Locator("table.ledger tbody tr.overdue").CountAsync());
        var color = await page.Locator("table.ledger tbody tr.overdue td.due").First.EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.Equal("rgb(163, 19, 12)", color);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("ledger-overdue.png") });

        // Keyboard: "/" jumps to the search box; the search goes into the URL.
        await page.GotoAsync("/cases");
        await page.Keyboard.PressAsync("/");
        await Expect(page.GetByLabel("搜索")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("路灯");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/cases?q=*");
        Assert.Contains("q=%E8%B7%AF%E7%81%AF", page.Url);
        var titles = await page.Locator("table.ledger td.title").AllInnerTextsAsync();
        Assert.NotEmpty(titles);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("ledger.png") });
        await page.GetByText("更多筛选条件").ClickAsync();
        await Staff.AssertAccessibleAsync(page);
        // The same filters out of the screen: an .xlsx download named for today (Shanghai), and a page for paper.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 Excel" }).ClickAsync());
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal($"台账-{today:yyyyMMdd}.xlsx", download.SuggestedFilename);
        await page.GetByRole(AriaRole.Link, new() { Name = "打印" }).ClickAsync();
        await page.WaitForURLAsync("**/cases/print?q=*");
        await Expect(page.Locator("nav, form, button")).ToHaveCountAsync(0);
        Assert.True(await page.Locator("table.print tbody tr").CountAsync() >= titles.Count);
        // Chromium prints it on A4 landscape (842 × 595 points), as print.css asks.
        var pdf = System.Text.Encoding.Latin1.GetString(await page.PdfAsync(new() { PreferCSSPageSize = true }));
        Assert.Matches(@"/MediaBox \[0 0 84[12]\.\d+ 59[45]\.\d+\]", string.Join(" ", System.Text.RegularExpressions.Regex.Matches(pdf, @"/MediaBox ?\[[^\]]*\]").Select(m => m.Value)));
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("ledger-print.png") });

        // The status filter: boxes to tick, no Ctrl-click; ticking two lists the cases of both.
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.GotoAsync("/cases");
        await page.GetByText("更多筛选条件").ClickAsync();
        await page.GetByLabel("已登记", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("办理中", new() { Exact = true }).CheckAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("ledger-filters.png") });
        await page.Locator("details.filters").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.WaitForURLAsync("**/cases?*status=Registered&status=InProgress*");
        var states = (await page.Locator("table.ledger tbody td[data-label=状态]").AllInnerTextsAsync()).Distinct().Order().ToArray();
        Assert.Equal(new[] { "办理中", "已登记" }.Order(), states);
        Assert.True(tab.Errors.Count == 0, string.Join('\n', tab.Errors));
    }

    [Fact]
    public async Task Ledger_OnAPhone_HasNoHorizontalPageScroll()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await page.SetViewportSizeAsync(390, 844);
        await Staff.SignInAsync(page, "cadre");

        await page.GotoAsync("/cases");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page itself does not scroll sideways");
        // Each row is a card (≤ 600 px): nothing scrolls sideways inside the ledger either, and every
        // value says which column it is.
        var row = page.Locator("table.ledger tbody tr").First;
        Assert.Equal("block", await row.EvaluateAsync<string>("e => getComputedStyle(e).display"));
        Assert.False(await page.Locator(".table-wrap").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth + 1"),
            "the ledger's rows fit the screen without scrolling sideways");
        // The column headers stay for screen readers, off the screen.
        Assert.True(await page.Locator("table.ledger thead").EvaluateAsync<bool>("e => e.getBoundingClientRect().right <= 0"));
        Assert.Equal("\"状态\"", await row.Locator("td[data-label=状态]").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "导出 Excel" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("ledger-phone.png") });
    }
}
