using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// Issue 16 as a new user tries it with the demo data: the judicial office asks for more time on its
/// case, the clerk approves it and the due date moves; the leader puts the case under yellow-card
/// supervision and sees it flagged on the board; then opens the reports for last month and 马家村,
/// reads the rates and the 12345 composite with their definitions, clicks a figure through to exactly
/// its cases, prints the monthly report (A4 print preview, screenshot), downloads the tables as .xlsx — and last month's figures are
/// the same after a case of last month is reopened today.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportingJourneyTests(BrowserFixture browser)
{
    private const string Village = "SCH-MJC";

    [Fact]
    public async Task AnExtensionIsApproved_ALeaderSupervises_AndReadsLastMonthsReportWhichDoesNotMoveWhenACaseIsReopened()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        var town = await Staff.ApiAsync(browser.Server, "town");
        var created = await town.JsonAsync(HttpMethod.Post, "api/v1/cases", new
        {
            channel = "WalkIn",
            title = $"马家村两户宅基地边界争议（{marker}）",
            description = "群众来访反映：两户因宅基地边界发生争议，请求司法所调处。",
            reporter = new { name = "赵淑珍" },
            orgUnit = Village,
        });
        var id = created["id"]!.GetValue<long>();
        await town.JsonAsync(HttpMethod.Post, $"api/v1/cases/{id}/triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-SFS" });
        var dueBefore = DateOnly.Parse((await town.JsonAsync(HttpMethod.Get, $"api/v1/cases/{id}"))["dueDate"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var asked = dueBefore.AddDays(7);

        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;

        // 1. 三岔司法所 asks for an extension on its case page.
        await Staff.SignInAsync(page, "agency");
        await page.GotoAsync($"/cases/{id}");
        var request = page.Locator("[data-deadline-action=RequestExtension]");
        await request.Locator("summary").ClickAsync();
        await request.GetByLabel("新的办理期限").FillAsync(asked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await request.GetByLabel("延期理由（法定依据或原因）").FillAsync("需会同县自然资源局测绘界址，申请延期七天。");
        await request.GetByRole(AriaRole.Button, new() { Name = "提交延期申请" }).ClickAsync();
        await Expect(page.Locator("[data-field=extension-requested]")).ToContainTextAsync("待审批");
        await Expect(page.Locator("[data-field=deadline-due]")).ToContainTextAsync(Chinese(dueBefore));

        // 2. The clerk finds it waiting in 我的待办 and approves it: the due date moves.
        await Staff.SignInAsync(page, "town");
        await page.GotoAsync("/tasks");
        await Expect(page.Locator("main")).ToContainTextAsync(created["trackingCode"]!.GetValue<string>());
        await page.GotoAsync($"/cases/{id}");
        var decide = page.Locator("[data-deadline-action=DecideExtension]");
        await decide.Locator("summary").ClickAsync();
        await decide.GetByRole(AriaRole.Radio, new() { Name = "同意", Exact = true }).CheckAsync();
        await decide.GetByRole(AriaRole.Button, new() { Name = "提交审批" }).ClickAsync();
        await Expect(page.Locator("[data-field=deadline-due]")).ToContainTextAsync(Chinese(asked));
        await Expect(page.Locator("[data-field=extension-requested]")).ToHaveCountAsync(0);

        // 3. The leader supervises it with a yellow card and sees it flagged on the board.
        await Staff.SignInAsync(page, "leader");
        await page.GotoAsync($"/cases/{id}");
        var supervise = page.Locator("[data-deadline-action=Supervise]");
        await supervise.Locator("summary").ClickAsync();
        await supervise.GetByLabel("督办等级").SelectOptionAsync("Yellow");
        await supervise.GetByLabel("督办期限").FillAsync(asked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await supervise.GetByLabel("督办意见").FillAsync("群众多次来访，黄牌督办，请按期调处并反馈。");
        await supervise.GetByRole(AriaRole.Button, new() { Name = "督办" }).ClickAsync();
        await Expect(page.Locator("#deadlines")).ToContainTextAsync("黄牌");
        await page.GotoAsync("/board");
        var flagged = page.Locator("main tr", new() { HasText = created["trackingCode"]!.GetValue<string>() });
        await Expect(flagged.First).ToContainTextAsync("督办·黄牌");

        // 4. The reports: last month (one click), then 马家村.
        await page.GotoAsync("/reports");
        await page.Locator("[data-link=last-month]").ClickAsync();
        await page.Locator("#unit").SelectOptionAsync(Village);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.Locator(".report-head")).ToContainTextAsync("马家村");
        var lastMonth = DateTime.UtcNow.AddHours(8).AddMonths(-1);
        await Expect(page.Locator(".report-head")).ToContainTextAsync($"{lastMonth.Year}年{lastMonth.Month}月");
        var handling = page.Locator(".rate[data-rate=handling]");
        await Expect(handling).ToContainTextAsync("办理率");
        await Expect(handling.Locator(".def")).ToContainTextAsync("受理数");
        await Expect(page.Locator(".rate[data-rate=satisfaction] .def")).ToContainTextAsync("回访");
        await Expect(page.Locator("[data-block=assessment]")).ToContainTextAsync("0.1 × 响应率 + 0.5 × 解决率 + 0.4 × 满意率");
        await Expect(page.Locator("[data-block=trend]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-chart=trend] svg, [data-chart=trend] canvas").First).ToBeVisibleAsync();
        var reportUrl = page.Url;
        var handled = int.Parse(await handling.Locator("[data-part=numerator]").InnerTextAsync(), CultureInfo.InvariantCulture);
        var accepted = int.Parse(await handling.Locator("[data-part=denominator]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(handled > 0 && accepted >= handled, $"马家村 last month: {handled} of {accepted} handled");
        var snapshot = await RatesAsync(page);

        // The report's tables as .xlsx.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export=xlsx]").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.True(bytes.Length > 2000 && bytes[0] == 'P' && bytes[1] == 'K', "an .xlsx is a zip");

        // 5. A figure, clicked through: exactly its cases.
        await handling.Locator("[data-part=numerator]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/reports/cases"));
        var rows = page.Locator("main table tbody tr");
        await Expect(rows).ToHaveCountAsync(Math.Min(handled, 50));
        await Expect(page.Locator("main")).ToContainTextAsync("办结");
        var firstCase = await rows.First.Locator("a[href^='/cases/']").First.GetAttributeAsync("href");

        // 6. The monthly report, printed on A4 (the print preview as a screenshot).
        await page.GotoAsync(reportUrl);
        await page.Locator("[data-link=print]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/reports/print"));
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.SetViewportSizeAsync(794, 1123);
        await Expect(page.Locator("[data-block=signature]")).ToContainTextAsync("审核人");
        await Expect(page.Locator("header.doc h1")).ToContainTextAsync("马家村");
        await Expect(page.Locator("header.doc h1")).ToContainTextAsync("月报");
        await Expect(page.Locator("[data-rate=handling]").First).ToContainTextAsync("受理数");
        await Expect(page.Locator("nav")).ToHaveCountAsync(0);
        await Expect(page.Locator(".screen-only")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("monthly-report-print-preview.png"), FullPage = true });
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.True(pdf.Length > 10_000 && pdf[0] == '%' && pdf[1] == 'P', "the print is a PDF");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.SetViewportSizeAsync(1280, 900);

        // 7. A case of last month reopened today: last month's figures do not move.
        var caseId = long.Parse(Regex.Match(firstCase!, @"/cases/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var leader = await Staff.ApiAsync(browser.Server, "leader");
        var reopened = await leader.JsonAsync(HttpMethod.Post, $"api/v1/cases/{caseId}/reopen", new { reason = "群众再次来访反映问题未解决" });
        Assert.Equal("Reopened", reopened["status"]!.GetValue<string>());
        await page.GotoAsync(reportUrl);
        Assert.Equal(snapshot, await RatesAsync(page));
    }

    /// <summary>Every rate's value and parts as the page shows them.</summary>
    private static async Task<string> RatesAsync(IPage page) =>
        string.Join("; ", await page.Locator(".rate[data-rate]").EvaluateAllAsync<string[]>(
            "els => els.map(e => e.dataset.rate + ' ' + e.querySelector('.n').textContent.trim() + ' ' + e.querySelector('[data-part=numerator]').textContent + '/' + e.querySelector('[data-part=denominator]').textContent)"));

    private static string Chinese(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
