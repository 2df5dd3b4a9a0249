using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// The whole life of a hotline call in the browser, in Chinese, as the README promises: the
/// operator registers it by keyboard, the town office triages and assigns it, the village cadre
/// starts and resolves it, the town office follows it up, and the board's numbers move with it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class HotlineCallLifecycleTests(BrowserFixture browser)
{
    [Fact]
    public async Task AHotlineCall_FromEntryToFollowUp_AndTheBoardFollows()
    {
        var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
        var title = "马家村三组水渠堵塞，农田积水 " + phone[^4..];

        // The board before.
        await using var town = await browser.NewPageAsync();
        await town.Page.SetViewportSizeAsync(1366, 768);
        await Staff.SignInAsync(town.Page, "town");
        var before = await StagesAsync(town.Page);

        // 1. The operator takes the call: keyboard only, starting in the phone field.
        await using var op = await browser.NewPageAsync();
        var page = op.Page;
        await page.SetViewportSizeAsync(1366, 768);
        await Staff.SignInAsync(page, "operator");
        Assert.EndsWith("/hotline", page.Url);
        await Expect(page.GetByLabel("来电号码")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(phone);
        await Expect(page.Locator("#caller-history [data-history=empty]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab"); // the look-up button
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("来电人姓名")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("马秀英");
        await page.Keyboard.PressAsync("Tab");
        await page.GetByLabel("村/社区").SelectOptionAsync(new SelectOptionValue { Label = "马家村" });
        await page.Keyboard.PressAsync("Tab");
        await page.GetByLabel("类别").SelectOptionAsync(new SelectOptionValue { Label = "农业生产" });
        await page.Keyboard.PressAsync("Tab");
        await page.GetByLabel("轻重缓急").SelectOptionAsync(new SelectOptionValue { Label = "较急" });
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("事项标题")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(title);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("三组水渠被垃圾和淤泥堵住，下雨后农田积水，庄稼快淹了。");
        await page.Keyboard.PressAsync("Control+Enter");

        var notice = page.Locator("#registered");
        await Expect(notice).ToContainTextAsync("登记成功，查询码");
        var code = await notice.Locator("strong.code").InnerTextAsync();
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}$", code);
        await Expect(page.GetByLabel("来电号码")).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("hotline.png") });
        await Staff.AssertAccessibleAsync(page);
        var caseUrl = await notice.GetByRole(AriaRole.Link, new() { Name = "查看事项" }).GetAttributeAsync("href");
        var id = long.Parse(CaseId().Match(caseUrl!).Groups[1].Value);

        // The same caller rings again: their earlier case shows while the number is typed.
        await page.GetByLabel("来电号码").FillAsync(phone);
        await Expect(page.Locator($"#caller-history li[data-case-id=\"{id}\"]")).ToContainTextAsync(title);
        await Expect(page.Locator("#caller-history [data-history=count]")).ToHaveAttributeAsync("data-total", "1");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("hotline-repeat-caller.png") });
        // The next call: as soon as another number is being typed, the last caller's cases are gone.
        await page.GetByLabel("来电号码").FillAsync("139");
        await Expect(page.Locator("#caller-history [data-history]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#caller-history li[data-case-id=\"{id}\"]")).ToHaveCountAsync(0);

        // The same caller rings about the same ditch: while the operator types, 可能重复的事项 shows the earlier
        // case first, with why (同一来电人, 同一村), and the box to register it anyway; nothing is registered.
        await page.GetByLabel("来电号码").FillAsync(phone);
        await page.GetByLabel("村/社区").SelectOptionAsync(new SelectOptionValue { Label = "马家村" });
        await page.GetByLabel("事项标题").FillAsync("马家村三组水渠又堵了");
        await page.GetByLabel("具体情况").FillAsync("三组水渠又被淤泥堵住，农田积水。");
        var duplicates = page.Locator("#likely-duplicates");
        await Expect(duplicates.GetByRole(AriaRole.Heading, new() { Name = "可能重复的事项" })).ToBeVisibleAsync();
        var suggested = duplicates.Locator("li").First;
        await Expect(suggested).ToHaveAttributeAsync("data-suggestion-id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(suggested).ToContainTextAsync(code);
        await Expect(suggested).ToContainTextAsync("同一来电人");
        await Expect(suggested.GetByRole(AriaRole.Link, new() { Name = code })).ToHaveAttributeAsync("href", $"/cases/{id}");
        await Expect(duplicates.GetByLabel("仍然登记为新事项")).Not.ToBeCheckedAsync();
        Assert.DoesNotContain(phone, await duplicates.InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("hotline-duplicates.png") });
        await Staff.AssertAccessibleAsync(page);
        // Changing the matter entirely empties the panel.
        await page.GetByLabel("事项标题").FillAsync("图书室需要添置书架");
        await page.GetByLabel("具体情况").FillAsync("孩子们的书没地方放。");
        await Expect(duplicates.Locator("li")).ToHaveCountAsync(0);
        Assert.True(op.Errors.Count == 0, string.Join('\n', op.Errors));

        // 2. The town office triages it: direct track, to 马家村.
        await town.Page.GotoAsync("/board");
        var registered = await StagesAsync(town.Page);
        Assert.Equal(before["AwaitingTriage"] + 1, registered["AwaitingTriage"]);
        var triage = town.Page;
        await triage.GetByRole(AriaRole.Link, new() { Name = "分流", Exact = true }).ClickAsync();
        var row = triage.Locator($"#case-{id}");
        await Expect(row).ToContainTextAsync(title);
        await triage.ScreenshotAsync(new() { Path = Screenshots.PathOf("triage.png") });
        await Staff.AssertAccessibleAsync(triage);
        await row.Locator($"#t{id}-track").SelectOptionAsync(new SelectOptionValue { Label = "小事项即办" });
        await row.Locator($"#t{id}-unit").SelectOptionAsync(new SelectOptionValue { Label = "马家村" });
        await row.Locator($"#t{id}-submit").ClickAsync();
        await Expect(triage.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{code} 已分流" })).ToBeVisibleAsync();
        await Expect(triage.Locator($"#case-{id}")).ToHaveCountAsync(0);

        await triage.GotoAsync("/board");
        var assigned = await StagesAsync(triage);
        Assert.Equal(registered["AwaitingTriage"] - 1, assigned["AwaitingTriage"]);
        Assert.Equal(registered["InHandling"] + 1, assigned["InHandling"]);

        // 3. The village cadre starts and resolves it on the case page.
        await using var cadre = await browser.NewPageAsync();
        var work = cadre.Page;
        await work.SetViewportSizeAsync(1366, 768);
        await Staff.SignInAsync(work, "cadre");
        await work.GotoAsync("/cases?q=" + code);
        await work.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
        await work.WaitForURLAsync($"**/cases/{id}");
        await Expect(work.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await work.Locator("details.action[data-action=Start] summary").ClickAsync();
        await work.GetByRole(AriaRole.Button, new() { Name = "开始办理" }).ClickAsync();
        await Expect(work.GetByRole(AriaRole.Status).Filter(new() { HasText = "已开始办理" })).ToBeVisibleAsync();
        await work.Locator("details.action[data-action=Resolve] summary").ClickAsync();
        // Refused first: no result written. The message stands next to the field; the choice is kept.
        await work.GetByLabel("办理结果").SelectOptionAsync("Solved");
        await work.GetByRole(AriaRole.Button, new() { Name = "确认办结" }).ClickAsync();
        await Expect(work.Locator("#Resolve_Result-error")).ToHaveTextAsync("必填。");
        await Expect(work.GetByLabel("办理结果")).ToHaveValueAsync("Solved");
        await work.GetByLabel("办结情况").FillAsync("组织村民清理水渠淤泥 30 米，恢复排水，农田积水已排干。");
        await work.GetByRole(AriaRole.Button, new() { Name = "确认办结" }).ClickAsync();
        await Expect(work.GetByRole(AriaRole.Status).Filter(new() { HasText = "已办结（已解决）" })).ToBeVisibleAsync();
        await work.ScreenshotAsync(new() { Path = Screenshots.PathOf("case.png"), FullPage = true });
        await Staff.AssertAccessibleAsync(work);
        Assert.True(cadre.Errors.Count == 0 || cadre.Errors.All(e => e.Contains("400", StringComparison.Ordinal)), string.Join('\n', cadre.Errors));

        // 4. The town office calls the resident back: satisfied, and the case is closed.
        var follow = town.Page;
        await follow.GotoAsync($"/cases/{id}");
        await follow.Locator("details.action[data-action=FollowUp] summary").ClickAsync();
        await follow.GetByLabel("满意度").SelectOptionAsync(new SelectOptionValue { Label = "满意" });
        await follow.GetByRole(AriaRole.Button, new() { Name = "记录回访" }).ClickAsync();
        await Expect(follow.GetByRole(AriaRole.Status).Filter(new() { HasText = "已记录回访：满意" })).ToBeVisibleAsync();
        // The timeline tells the whole story in plain Chinese.
        var timeline = await follow.Locator("ol.timeline").InnerTextAsync();
        foreach (var step in new[] { "接线员 张丽", "镇办受理员 王芳", "马家村村干部 马建国", "满意" })
        {
            Assert.Contains(step, timeline);
        }
        Assert.DoesNotContain(phone, await follow.ContentAsync());

        await follow.GotoAsync("/board");
        var closed = await StagesAsync(follow);
        Assert.Equal(assigned["InHandling"] - 1, closed["InHandling"]);
        Assert.Equal(assigned["Closed"] + 1, closed["Closed"]);
        await follow.ScreenshotAsync(new() { Path = Screenshots.PathOf("board-after.png"), FullPage = true });
        Assert.True(town.Errors.Count == 0, string.Join('\n', town.Errors));
    }

    private static async Task<Dictionary<string, int>> StagesAsync(IPage page)
    {
        if (!page.Url.EndsWith("/board", StringComparison.Ordinal))
        {
            await page.GotoAsync("/board");
        }
        var stages = new Dictionary<string, int>();
        foreach (var stage in await page.Locator("a.stage").AllAsync())
        {
            stages[(await stage.GetAttributeAsync("data-stage"))!] = int.Parse(await stage.Locator(".n").InnerTextAsync());
        }
        Assert.Equal(6, stages.Count);
        return stages;
    }

    [GeneratedRegex(@"/cases/(\d+)")]
    private static partial Regex CaseId();
}
