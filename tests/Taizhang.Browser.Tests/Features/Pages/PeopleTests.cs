using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Pages;

/// <summary>
/// The administrator adds a village cadre on /admin/users, copies the generated password, and the
/// cadre signs in with it and is made to set their own on /account before anything else.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PeopleTests(BrowserFixture browser)
{
    [Fact]
    public async Task Administrator_AddsACadre_WhoSignsIn_AndSetsTheirOwnPasswordFirst()
    {
        await using var adminTab = await browser.NewPageAsync();
        var admin = adminTab.Page;
        // The first administrator too must replace the password from the configuration first (Staff does).
        await Staff.SignInAsync(admin, "admin", TaizhangServer.AdminPassword);

        var userName = "wjc-" + Guid.NewGuid().ToString("N")[..6];
        await admin.GotoAsync("/admin/users/new");
        await admin.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await admin.GetByLabel("姓名", new() { Exact = true }).FillAsync("王家村村干部 王强");
        await admin.GetByLabel("角色", new() { Exact = true }).SelectOptionAsync("VillageCadre");
        await admin.GetByLabel("单位", new() { Exact = true }).SelectOptionAsync("SCH-WJC");
        await Staff.AssertAccessibleAsync(admin);
        await admin.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();

        var shown = admin.Locator("[data-generated-password]");
        await Expect(shown).ToBeVisibleAsync();
        var password = await shown.InputValueAsync();
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", password);
        // The copy button is there once the script runs.
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "复制" })).ToBeVisibleAsync();
        await Staff.AssertAccessibleAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Screenshots.PathOf("admin-user-created.png") });

        await admin.GotoAsync("/admin/users?q=" + userName);
        var row = admin.Locator($"tr[data-user-name='{userName}']");
        await Expect(row).ToContainTextAsync("待改密码");
        await Staff.AssertAccessibleAsync(admin);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(admin.Locator("#user-heading")).ToContainTextAsync("王家村村干部 王强");
        await Staff.AssertAccessibleAsync(admin);
        await admin.ScreenshotAsync(new() { Path = Screenshots.PathOf("admin-user.png"), FullPage = true });

        await using var cadreTab = await browser.NewPageAsync();
        var cadre = cadreTab.Page;
        await cadre.GotoAsync("/signin");
        await cadre.GetByLabel("用户名").FillAsync(userName);
        await cadre.GetByLabel("密码").FillAsync(password);
        await cadre.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(cadre).ToHaveURLAsync(new Regex("/account$"));
        await Expect(cadre.Locator("#must-change")).ToBeVisibleAsync();
        await Staff.AssertAccessibleAsync(cadre);
        await cadre.ScreenshotAsync(new() { Path = Screenshots.PathOf("account-must-change.png") });

        // Elsewhere first: back here.
        await cadre.GotoAsync("/cases");
        await Expect(cadre).ToHaveURLAsync(new Regex("/account$"));

        await cadre.GetByLabel("当前密码").FillAsync(password);
        await cadre.GetByLabel("新密码", new() { Exact = true }).FillAsync("王家村的渠今年修好了");
        await cadre.GetByLabel("再次输入新密码").FillAsync("王家村的渠今年修好了");
        await cadre.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Expect(cadre.GetByRole(AriaRole.Status).Filter(new() { HasText = "密码已修改" })).ToBeVisibleAsync();

        await cadre.GotoAsync("/cases");
        await Expect(cadre).ToHaveURLAsync(new Regex("/cases$"));
        await Expect(cadre.Locator("header .who a[href='/account']")).ToContainTextAsync("王家村村干部 王强");
        Assert.Empty(cadreTab.Errors);
        Assert.Empty(adminTab.Errors);
    }
}
