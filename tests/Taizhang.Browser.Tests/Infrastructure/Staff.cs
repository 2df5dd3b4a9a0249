using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Taizhang.Browser.Tests.Infrastructure;

/// <summary>Signing in through the page, and a few API calls for setting scenes and checking them.</summary>
public static class Staff
{
    /// <summary>Signs in on /signin as a demo user and waits for the start page.</summary>
    public static async Task SignInAsync(IPage page, string userName, string? password = null)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password ?? TaizhangServer.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page.Locator("header .who strong")).ToBeVisibleAsync();
    }

    public static string Screenshot(string name)
    {
        var dir = Path.Combine(TaizhangServer.RepositoryRoot, "docs", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    /// <summary>An API session (cookie + antiforgery header) as a user of the running app.</summary>
    public static async Task<HttpClient> ApiAsync(TaizhangServer server, string userName, string? password = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        using var response = await client.PostAsJsonAsync("api/v1/session", new { userName, password = password ?? TaizhangServer.DemoPassword });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sign-in as {userName}: {response.StatusCode} {body}");
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", JsonNode.Parse(body)!["antiforgeryToken"]!.GetValue<string>());
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
}
