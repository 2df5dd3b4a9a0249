using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Infrastructure;

/// <summary>Signing in through the page, and a few API calls for setting scenes and checking them.</summary>
public static class Staff
{
    /// <summary>
    /// The passwords people set for themselves during a run (server address and user name → password):
    /// the first administrator and the accounts an administrator makes must replace theirs at the
    /// first sign-in, and sign in with their own afterwards. The demo users share theirs on purpose.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> OwnPasswords = new();

    private static string Key(Uri server, string userName) => server.GetLeftPart(UriPartial.Authority) + " " + userName;

    /// <summary>What someone who was given <paramref name="given"/> makes their own.</summary>
    public static string OwnPassword(string given) => given + " my own";

    /// <summary>
    /// Signs in on /signin (a demo user by default) and waits for the page after it; someone sent
    /// to change the password they were given (/account) changes it there first, as a person would.
    /// </summary>
    public static async Task SignInAsync(IPage page, string userName, string? password = null)
    {
        await page.GotoAsync("/signin");
        var key = Key(new Uri(page.Url), userName);
        var given = password ?? TaizhangServer.DemoPassword;
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(OwnPasswords.GetValueOrDefault(key) ?? given);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.Locator("header .who strong")).ToBeVisibleAsync();
        if (await page.Locator("#must-change").IsVisibleAsync())
        {
            var own = OwnPassword(given);
            await page.GetByLabel("当前密码").FillAsync(given);
            await page.GetByLabel("新密码", new() { Exact = true }).FillAsync(own);
            await page.GetByLabel("再次输入新密码").FillAsync(own);
            await page.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "密码已修改" })).ToBeVisibleAsync();
            OwnPasswords[key] = own;
        }
    }

    /// <summary>
    /// An API session (cookie + antiforgery header) as a user of the running app (a demo user by
    /// default); an account that must change the password it was given changes it first.
    /// </summary>
    public static async Task<HttpClient> ApiAsync(TaizhangServer server, string userName, string? password = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        var key = Key(server.BaseAddress, userName);
        var given = password ?? TaizhangServer.DemoPassword;
        using var response = await client.PostAsJsonAsync("api/v1/session", new { userName, password = OwnPasswords.GetValueOrDefault(key) ?? given });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sign-in as {userName}: {response.StatusCode} {body}");
        var session = JsonNode.Parse(body)!;
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());
        if (session["mustChangePassword"]?.GetValue<bool>() == true)
        {
            var own = OwnPassword(given);
            using var changed = await client.PostAsJsonAsync("api/v1/account/password", new { currentPassword = given, newPassword = own });
            Assert.True(changed.IsSuccessStatusCode, $"password change of {userName}: {changed.StatusCode} {await changed.Content.ReadAsStringAsync()}");
            OwnPasswords[key] = own;
        }
        return client;
    }

    public static async Task<JsonObject> JsonAsync(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Every case id the list API gives for a query (all pages).</summary>
    public static async Task<HashSet<long>> AllIdsAsync(this HttpClient client, string query)
    {
        var ids = new HashSet<long>();
        for (var page = 1; ; page++)
        {
            var json = await client.JsonAsync(HttpMethod.Get, $"api/v1/cases?pageSize=200&page={page}&{query}");
            var items = json["items"]!.AsArray();
            foreach (var item in items)
            {
                ids.Add(item!["id"]!.GetValue<long>());
            }
            if (items.Count < 200)
            {
                return ids;
            }
        }
    }

    /// <summary>The case ids in the ledger table on the page.</summary>
    public static async Task<long[]> LedgerIdsAsync(IPage page) =>
        (await page.Locator("table.ledger tbody tr[data-case-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.caseId)"))
        .Select(long.Parse).ToArray();

    /// <summary>
    /// The checks a screen reader and a keyboard user need on every page: each visible form control
    /// has a label (or aria-label), each button and link has a name, no positive tabindex reorders
    /// the page, and body text has at least WCAG AA contrast (4.5:1) against its background.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              const visible = (e) => e.checkVisibility({ checkVisibilityCSS: true, contentVisibilityAuto: true }) && !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
              for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
                if (!visible(e)) continue;
                const labelled = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
                if (!labelled) out.push('no label: ' + e.outerHTML.slice(0, 120));
              }
              for (const e of document.querySelectorAll('button, a[href], summary')) {
                if (!visible(e)) continue;
                // An image inside a link names it by its alt text (a thumbnail that opens the file).
                const alt = [...e.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt')).join(' ').trim();
                const name = (e.textContent || '').trim() || alt || e.getAttribute('aria-label') || e.getAttribute('title');
                if (!name) out.push('no name: ' + e.outerHTML.slice(0, 120));
              }
              for (const e of document.querySelectorAll('[tabindex]')) {
                if (parseInt(e.getAttribute('tabindex'), 10) > 0) out.push('positive tabindex: ' + e.outerHTML.slice(0, 120));
              }
              const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
              const lum = ([r, g, b]) => {
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
              };
              const background = (e) => {
                for (let n = e; n; n = n.parentElement) {
                  const c = rgb(getComputedStyle(n).backgroundColor);
                  if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
                }
                return [255, 255, 255];
              };
              const seen = new Set();
              for (const e of document.querySelectorAll('body *')) {
                if (!visible(e) || e.closest('[aria-hidden=true]')) continue;
                const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
                if (!own) continue;
                const style = getComputedStyle(e);
                const fg = rgb(style.color);
                const bg = background(e);
                const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
                const ratio = (a + 0.05) / (b + 0.05);
                const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
                if (ratio < (large ? 3 : 4.5)) {
                  const key = style.color + '/' + bg.join(',');
                  if (!seen.has(key)) { seen.add(key); out.push(`contrast ${ratio.toFixed(2)}: "${e.textContent.trim().slice(0, 30)}" ${style.color} on rgb(${bg.join(',')})`); }
                }
              }
              return out;
            }
            """);
        Assert.True(problems.Length == 0, $"{page.Url}:\n" + string.Join("\n", problems));
    }
}
