using System.Text.Json;
using Microsoft.Playwright;
using Taizhang.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Features.Accounts;

/// <summary>The sign-in page in a real Chromium against the app on a real socket.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInPageTests(BrowserFixture browser)
{
    /// <summary>The session cookie's name (AccountsSetup).</summary>
    private const string AuthCookie = "taizhang.auth";

    [Fact]
    public async Task Renders_in_Chinese_for_a_Chinese_browser()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;

        var response = await page.GotoAsync("/signin");

        Assert.Equal(200, response!.Status);
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("登录 · 台账", await page.TitleAsync());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("台账 · 登录");
        // The labels belong to their fields: a screen reader (and Playwright) finds them by label.
        await Expect(page.GetByLabel("用户名")).ToHaveAttributeAsync("id", "userName");
        await Expect(page.GetByLabel("密码")).ToHaveAttributeAsync("type", "password");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
        await Expect(page.Locator("input[name=__RequestVerificationToken]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(".{20,}"));
        await Expect(page.GetByLabel("用户名")).ToBeFocusedAsync();
        await AssertCjkGlyphsRenderAsync(page);

        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("signin.png"), FullPage = true });
    }

    [Fact]
    public async Task Wrong_password_stays_on_the_page_with_the_error_next_to_the_password()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await page.GotoAsync("/signin");

        await page.GetByLabel("用户名").FillAsync("cadre");
        await page.GetByLabel("密码").FillAsync("not the password");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        // No WaitForLoadState here: on a loaded machine it once waited past the load event it had missed (CI, "NetworkIdle"
        // fired, Load never seen). The answer is in hand, and the assertions below wait for the page themselves.

        Assert.Equal(400, response.Status);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        var error = page.GetByRole(AriaRole.Alert);
        // The same words for an unknown name and for an account throttled after failed sign-ins.
        await Expect(error).ToHaveTextAsync("用户名或密码不正确。多次输错后，需等待 15 分钟才能再试。");
        await Expect(error).ToHaveIdAsync("password-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(page.GetByLabel("用户名")).ToHaveValueAsync("cadre");
        await Expect(page.GetByLabel("密码")).ToHaveValueAsync("");

        // "Next to the password field": directly below it, left-aligned with it, before the button.
        var password = (await page.GetByLabel("密码").BoundingBoxAsync())!;
        var message = (await error.BoundingBoxAsync())!;
        var button = (await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).BoundingBoxAsync())!;
        Assert.InRange(message.Y - (password.Y + password.Height), 0, 40);
        Assert.InRange(Math.Abs(message.X - password.X), 0, 2);
        Assert.True(message.Y + message.Height <= button.Y, "the error is above the submit button");
        Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == AuthCookie);

        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("signin-error.png"), FullPage = true });
    }

    [Fact]
    public async Task Right_password_signs_in_with_a_cookie_session()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;
        await page.GotoAsync("/signin");

        await page.GetByLabel("用户名").FillAsync("town");
        await page.GetByLabel("密码").FillAsync(TaizhangServer.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // Town staff start on their task list, with their name and post in the header.
        await page.WaitForURLAsync("**/tasks");
        await Expect(page.Locator("header .who")).ToContainTextAsync("镇办受理员 王芳");
        await Expect(page.Locator("header .who")).ToContainTextAsync("镇办受理员 · 三岔镇");

        await page.GotoAsync("/api/v1/session");
        using var session = JsonDocument.Parse(await page.Locator("body").InnerTextAsync());
        var root = session.RootElement;
        Assert.Equal("镇办受理员 王芳", root.GetProperty("name").GetString());
        Assert.Equal("TownStaff", root.GetProperty("posts")[0].GetProperty("role").GetString());
        Assert.Equal("SCH", root.GetProperty("posts")[0].GetProperty("unit").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("antiforgeryToken").GetString()));

        var cookie = Assert.Single(await tab.Context.CookiesAsync(), c => c.Name == AuthCookie);
        Assert.True(cookie.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // The cookie, not the redirect, carries the session: a fresh load is still signed in.
        await page.ReloadAsync();
        using var again = JsonDocument.Parse(await page.Locator("body").InnerTextAsync());
        Assert.Equal("镇办受理员 王芳", again.RootElement.GetProperty("name").GetString());

        // Sign-out (a form in the header) ends the session: the board sends back to sign-in.
        await page.GotoAsync("/board");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await page.WaitForURLAsync("**/signin");
        await page.GotoAsync("/board");
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Culture_en_shows_the_English_page()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;

        // The query string wins over the browser's zh-CN Accept-Language.
        await page.GotoAsync("/signin?culture=en");

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Sign in · Taizhang", await page.TitleAsync());
        await Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.DoesNotContain("登录", await page.ContentAsync());
    }

    [Fact]
    public async Task An_English_browser_gets_the_English_page()
    {
        await using var tab = await browser.NewPageAsync(locale: "en-US");
        var page = tab.Page;

        await page.GotoAsync("/signin");

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task No_console_errors()
    {
        await using var tab = await browser.NewPageAsync();
        var page = tab.Page;

        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.True(tab.Errors.Count == 0, string.Join(Environment.NewLine, tab.Errors));

        // A failed sign-in answers 400 on purpose (the form comes back with the error), and Chromium
        // reports every 4xx document in the console. That one line is expected; nothing else is.
        await page.GetByLabel("用户名").FillAsync("operator");
        await page.GetByLabel("密码").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var unexpected = tab.Errors.Where(e => !e.StartsWith(
            "console.error: Failed to load resource: the server responded with a status of 400 (Bad Request) (at " + page.Url,
            StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected));
    }

    /// <summary>
    /// Without a CJK font Chromium draws every Chinese character as the same empty box ("tofu").
    /// Asks Chromium (DevTools protocol) which platform fonts drew the heading, and checks that two
    /// different characters come out as different pixels.
    /// </summary>
    private static async Task AssertCjkGlyphsRenderAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("DOM.enable");
        await cdp.SendAsync("CSS.enable");
        var document = (await cdp.SendAsync("DOM.getDocument"))!.Value;
        var heading = (await cdp.SendAsync("DOM.querySelector", new()
        {
            ["nodeId"] = document.GetProperty("root").GetProperty("nodeId").GetInt32(),
            ["selector"] = "h1",
        }))!.Value;
        var fonts = (await cdp.SendAsync("CSS.getPlatformFontsForNode", new()
        {
            ["nodeId"] = heading.GetProperty("nodeId").GetInt32(),
        }))!.Value.GetProperty("fonts").EnumerateArray()
            .Select(f => (Family: f.GetProperty("familyName").GetString()!, Glyphs: f.GetProperty("glyphCount").GetInt32()))
            .ToList();
        // "台账 · 登录": four Chinese characters, all from a CJK font.
        Assert.True(fonts.Any(f => f.Family.Contains("CJK", StringComparison.Ordinal) && f.Glyphs >= 4),
            "the heading is drawn with a CJK font (Debian package fonts-noto-cjk); fonts used: "
            + string.Join(", ", fonts.Select(f => $"{f.Family} ({f.Glyphs} glyphs)")));

        var distinct = await page.EvaluateAsync<bool>("""
            () => {
              const draw = (text) => {
                const canvas = document.createElement('canvas');
                canvas.width = 48; canvas.height = 48;
                const g = canvas.getContext('2d');
                g.font = '32px ' + getComputedStyle(document.body).fontFamily;
                g.fillText(text, 4, 36);
                return canvas.toDataURL();
              };
              return draw('登') !== draw('录');
            }
            """);
        Assert.True(distinct, "登 and 录 render as different glyphs, not as the same missing-glyph box");
    }
}
