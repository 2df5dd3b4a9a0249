using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// 四议两公开 in the browser, as issue 15 tells it: 马家村's cadre holds a 议事会 on two topics of the
/// ledger with the judicial office (司法所) as a guest, records attendance (quorate), a vote on the
/// first topic and the village's opinion on the second, writes and confirms the minutes with the
/// attendees' signatures, publishes the meeting and then the first decision — which anyone sees on
/// the village's public notice board without an account, with the meeting's date, attendance and the
/// vote, and without any member's name. Both topics' case pages tell the meeting's outcome.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DeliberationMeetingTests(BrowserFixture browser)
{
    private const string Village = "SCH-MJC";

    private static readonly string[] Members = ["王建国", "李秀英", "张德明", "刘桂芳", "陈志强"];
    private const string Host = "马德福";
    private const string Guest = "周立新";
    private const string Reporter = "赵淑珍";

    [Fact]
    public async Task AVillageCadre_HoldsADeliberationOnTwoTopics_ConfirmsTheMinutes_AndTheDecisionIsOnThePublicBoard()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];

        // Setup through the API: two topics of 马家村 in the ledger (registered, triaged to the topic
        // track by the town office), and the village's 议事会 with five members (the cadre's own).
        var town = await Staff.ApiAsync(browser.Server, "town");
        var road = await TopicAsync(town, $"东组村道硬化（{marker}）");
        var water = await TopicAsync(town, $"南组自来水管网改造（{marker}）");
        var cadre = await Staff.ApiAsync(browser.Server, "cadre");
        var body = await cadre.JsonAsync(HttpMethod.Post, "api/v1/meetings/bodies", new { unit = Village, kind = "DeliberationCouncil", name = $"马家村议事会{marker}" });
        var bodyId = body["id"]!.GetValue<long>();
        for (var i = 0; i < Members.Length; i++)
        {
            await cadre.JsonAsync(HttpMethod.Post, $"api/v1/meetings/bodies/{bodyId}/members", new { name = Members[i], post = i == 0 ? "会长" : "成员" });
        }

        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await Staff.SignInAsync(page, "cadre");

        // 1. 新建会议: a 议事会 of 马家村 with its council (five members are 应到) and the judicial office as a guest.
        var shanghaiNow = DateTime.UtcNow.AddHours(8);
        var at = shanghaiNow.AddHours(-1);
        var title = $"马家村{at.Month}月议事会（{marker}）";
        await page.GotoAsync("/meetings/new");
        await page.GetByLabel("会议类型").SelectOptionAsync("Deliberation");
        await page.GetByLabel("单位", new() { Exact = true }).SelectOptionAsync(Village);
        await page.GetByLabel("会议名称").FillAsync(title);
        await page.GetByLabel("时间", new() { Exact = true }).FillAsync(at.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("地点").FillAsync("马家村村委会会议室");
        await page.GetByLabel("主持人").FillAsync(Host);
        await page.Locator("#body").SelectOptionAsync(bodyId.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#g0-role").SelectOptionAsync("PartnerUnit");
        await page.Locator("#g0-name").FillAsync(Guest);
        await page.Locator("#g0-post").FillAsync("所长");
        await page.Locator("#g0-unit").SelectOptionAsync(new SelectOptionValue { Label = "三岔司法所" });
        await Submit(page, page.GetByRole(AriaRole.Button, new() { Name = "建立会议" }));
        await Expect(page).ToHaveURLAsync(new Regex(@"/meetings/\d+"));
        await Expect(Notice(page)).ToContainTextAsync(title);
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Planned");
        var meetingId = long.Parse(Regex.Match(page.Url, @"/meetings/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var participants = page.Locator("#participant-list tbody tr");
        await Expect(participants).ToHaveCountAsync(Members.Length + 1);
        await Expect(page.Locator("#participant-list")).ToContainTextAsync("三岔司法所");
        await Expect(page.Locator("#attendance")).ToContainTextAsync("应到 5");
        await Expect(page.Locator("#rule")).ToContainTextAsync("须有过半数成员参加");

        // 2. The agenda from the ledger's waiting topics (both are offered), one after the other.
        foreach (var (topic, seq) in new[] { (road, 1), (water, 2) })
        {
            var form = page.Locator("#agenda-form");
            if (!await form.IsVisibleAsync())
            {
                await page.GetByText("从议题台账添加议题").ClickAsync();
            }
            await form.GetByLabel("待议议题").SelectOptionAsync(topic.Id.ToString(CultureInfo.InvariantCulture));
            await Submit(page, form.GetByRole(AriaRole.Button, new() { Name = "添加" }));
            await Expect(page.Locator($"#item-{seq} h3")).ToHaveTextAsync(topic.Title);
            await Expect(page.Locator($"#item-{seq}")).ToContainTextAsync(topic.TrackingCode);
            await Expect(page.Locator($"#item-{seq}")).ToContainTextAsync("协商议事中");
        }

        // 3. Attendance: four of the five members and the guest came — quorate (80 %); the guest has no vote.
        var hold = page.Locator("#hold-form");
        foreach (var name in Members.Take(4).Append(Guest))
        {
            await hold.Locator("label.check", new() { HasText = name }).Locator("input").CheckAsync();
        }
        await Submit(page, hold.GetByRole(AriaRole.Button, new() { Name = "登记为已召开" }));
        await Expect(Notice(page)).ToHaveTextAsync("到会情况已登记。");
        await Expect(Notice(page)).ToHaveCountAsync(1); // said once (by the layout), not again by the page
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Held");
        await Expect(page.Locator("#attendance")).ToContainTextAsync("应到 5 · 实到 4 · 比例 80%");
        await Expect(page.Locator("#attendance .quorate")).ToHaveTextAsync("已达法定人数");

        // 4. Item 1 is put to the vote: 3 for, 1 against, 0 abstaining of the 4 present — passed.
        var item1 = page.Locator("#item-1");
        await item1.GetByText("记录议定结果").ClickAsync();
        await item1.GetByLabel("结果类型").SelectOptionAsync("Vote");
        const string decision = "同意东组村道硬化，路面宽 4 米、长 800 米，所需资金由村集体和一事一议筹资解决，年内完工。";
        await item1.GetByLabel("讨论情况 / 意见").FillAsync(decision);
        await item1.GetByLabel("赞成").FillAsync("3");
        await item1.GetByLabel("反对").FillAsync("1");
        await item1.GetByLabel("弃权").FillAsync("0");
        await Expect(item1.Locator(".outcome-form")).ToContainTextAsync("所作决定须经到会人员过半数同意");
        await Submit(page, item1.GetByRole(AriaRole.Button, new() { Name = "保存" }));
        await Expect(Notice(page)).ToHaveTextAsync("议定结果已记录。");
        await Expect(item1.Locator(".outcome")).ToHaveAttributeAsync("data-outcome", "Vote");
        await Expect(item1.Locator(".vote")).ToContainTextAsync("赞成 3，反对 1，弃权 0（到会成员 4 人）");
        await Expect(item1.Locator(".vote .verdict")).ToHaveTextAsync("通过");

        // 5. Item 2: the village's opinion, no vote.
        var item2 = page.Locator("#item-2");
        await item2.GetByText("记录议定结果").ClickAsync();
        await item2.GetByLabel("结果类型").SelectOptionAsync("Opinion");
        const string opinion = "自来水管网改造涉及全组 46 户，建议先请镇水务站勘察并测算费用，下次议事会再议。";
        await item2.GetByLabel("讨论情况 / 意见").FillAsync(opinion);
        await Submit(page, item2.GetByRole(AriaRole.Button, new() { Name = "保存" }));
        await Expect(item2.Locator(".outcome")).ToHaveAttributeAsync("data-outcome", "Opinion");
        await Expect(item2.Locator(".outcome")).ToContainTextAsync(opinion);
        await Expect(item2.Locator(".vote")).ToHaveCountAsync(0);

        await Staff.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("meeting-workspace.png"), FullPage = true });

        // 6. The minutes: a draft, then confirmed by the attendees who sign (all present ones are ticked).
        var minutes = $"""
            {title}
            主持人：{Host}。应到 5 人，实到 4 人，三岔司法所列席。
            一、{road.Title}：{decision}表决结果：赞成 3 票，反对 1 票，弃权 0 票，通过。
            二、{water.Title}：{opinion}
            """;
        await page.GetByLabel("会议记录（草稿）").FillAsync(minutes);
        await Submit(page, page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }));
        await Expect(Notice(page)).ToHaveTextAsync("会议记录草稿已保存。");
        var signers = page.Locator("#confirm-form input[name=Signed]");
        await Expect(signers).ToHaveCountAsync(5);
        foreach (var signer in await signers.AllAsync())
        {
            await Expect(signer).ToBeCheckedAsync();
        }
        await Submit(page, page.GetByRole(AriaRole.Button, new() { Name = "确认会议记录" }));
        await Expect(Notice(page)).ToHaveTextAsync("会议记录已确认。");
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "MinutesConfirmed");
        await Expect(page.Locator("#minutes-shown")).ToContainTextAsync("表决结果：赞成 3 票");
        await Expect(page.Locator("#confirmed")).ToContainTextAsync(Members[0]);
        await Expect(page.Locator("#confirmed")).ToContainTextAsync(Guest);
        // Confirmed minutes are no longer a form: they change only by a recorded amendment.
        await Expect(page.Locator("#minutes-form")).ToHaveCountAsync(0);

        // 7. Published.
        await Submit(page, page.Locator("#publish-form").GetByRole(AriaRole.Button, new() { Name = "公布" }));
        await Expect(Notice(page)).ToHaveTextAsync("会议已公布。");
        await Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "Published");
        await Expect(page.Locator("#published")).ToBeVisibleAsync();

        // The print view: the A4 record with the vote and the signature column.
        await page.GotoAsync($"/meetings/{meetingId}/print");
        await Expect(page.Locator("h1")).ToHaveTextAsync("马家村 会议记录");
        await Expect(page.Locator("#print-attendance")).ToContainTextAsync("应到 5");
        await Expect(page.Locator("table.record")).ToContainTextAsync("赞成 3，反对 1，弃权 0（到会成员 4 人） 通过");
        await Expect(page.Locator("table.signatures tbody tr")).ToHaveCountAsync(5);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("meeting-print.png"), FullPage = true });

        // 8. 公示决定事项 on item 1: the disclosure form is pre-filled with the decision; published for the village.
        await page.GotoAsync($"/meetings/{meetingId}");
        await page.Locator("#item-1").GetByRole(AriaRole.Link, new() { Name = "公示决定事项" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/disclosures/new\?meeting={meetingId}&item=1$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("公示决定事项");
        await Expect(page.Locator("#body")).ToHaveValueAsync(new Regex(Regex.Escape(decision)));
        var disclosureTitle = await page.Locator("#title").InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(disclosureTitle), "the disclosure's title is pre-filled");
        var from = await page.Locator("#from").InputValueAsync();
        var until = await page.Locator("#until").InputValueAsync();
        Assert.Equal(shanghaiNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), from);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", until);
        await Submit(page, page.GetByRole(AriaRole.Button, new() { Name = "发布公示" }));
        await Expect(page).ToHaveURLAsync(new Regex("/disclosures$"));
        await Expect(page.Locator("main")).ToContainTextAsync(disclosureTitle);
        Assert.Empty(tab.Errors);

        // 9. Anyone, without an account, reads it on 马家村's public board: decision, dates, attendance and vote, no names.
        await using var publicTab = await browser.NewPageAsync();
        var board = publicTab.Page;
        await board.GotoAsync($"/public/{Village}");
        await Expect(board.Locator("h1")).ToHaveTextAsync("村务公开栏");
        var notice = board.Locator("article.disclosure", new() { HasText = disclosureTitle });
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice).ToHaveAttributeAsync("data-current", "true");
        await Expect(notice.Locator(".kind")).ToContainTextAsync("决定事项");
        await Expect(notice.Locator(".body")).ToContainTextAsync(decision);
        await Expect(notice.Locator(".meeting")).ToContainTextAsync(title);
        await Expect(notice.Locator(".meeting")).ToContainTextAsync(at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        await Expect(notice.Locator(".meeting")).ToContainTextAsync("应到 5 人，实到 4 人");
        await Expect(notice.Locator(".vote")).ToContainTextAsync("表决：赞成 3 票，反对 1 票，弃权 0 票");
        await Expect(notice.Locator(".vote")).ToContainTextAsync("表决通过");
        await Expect(notice.Locator(".dates")).ToContainTextAsync("发布时间 " + from);
        await Expect(notice.Locator(".dates")).ToContainTextAsync($"公示期 {from} 至 {until}");
        // The second item's opinion was not disclosed.
        await Expect(board.Locator("main")).Not.ToContainTextAsync(opinion);
        var html = await board.ContentAsync();
        foreach (var name in Members.Append(Host).Append(Guest).Append(Reporter))
        {
            Assert.DoesNotContain(name, html);
        }
        await Staff.AssertAccessibleAsync(board);
        await board.ScreenshotAsync(new() { Path = Screenshots.PathOf("public-board.png"), FullPage = true });
        Assert.Empty(publicTab.Errors);

        // 10. Each topic's case page tells what the meeting decided.
        await page.GotoAsync($"/cases/{road.Id}");
        var timeline = page.Locator("ol.timeline");
        await Expect(timeline).ToContainTextAsync($"提交会议「{title}」协商议事");
        await Expect(timeline).ToContainTextAsync($"会议「{title}」表决：赞成 3、反对 1、弃权 0");
        await Expect(timeline).ToContainTextAsync(decision);
        await page.GotoAsync($"/cases/{water.Id}");
        await Expect(timeline).ToContainTextAsync($"会议「{title}」形成村级意见：{opinion}");
        Assert.Empty(tab.Errors);
    }

    /// <summary>The notice of the step just done: said once, by the layout.</summary>
    private static ILocator Notice(IPage page) => page.Locator("main p.notice[role=status]");

    private sealed record Topic(long Id, string TrackingCode, string Title);

    /// <summary>A topic of 马家村 in the ledger: registered at the desk and triaged to the topic track by the town office.</summary>
    private static async Task<Topic> TopicAsync(HttpClient town, string title)
    {
        var created = await town.JsonAsync(HttpMethod.Post, "api/v1/cases", new
        {
            channel = "WalkIn",
            title,
            description = title + "：群众多次反映，需要村里集体商量。",
            reporter = new { name = Reporter },
            orgUnit = Village,
        });
        var id = created["id"]!.GetValue<long>();
        JsonObject triaged = await town.JsonAsync(HttpMethod.Post, $"api/v1/cases/{id}/triage", new { track = "Topic", urgency = "Low" });
        Assert.Equal("Ledgered", triaged["status"]!.GetValue<string>());
        return new Topic(id, created["trackingCode"]!.GetValue<string>(), title);
    }

    /// <summary>
    /// Sends a form. The page it leads to (the POST's redirect) is awaited by the step's next assertion,
    /// which each step chooses to be true only on the new page (a new notice, item or status).
    /// </summary>
    private static Task Submit(IPage page, ILocator button) => button.ClickAsync();
}
