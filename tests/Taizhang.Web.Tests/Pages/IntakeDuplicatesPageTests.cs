using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 可能重复的事项 at intake, as a browser without JavaScript uses the hotline and desk pages: a submit with
/// likely duplicates stops once and comes back as typed, with the panel (the same caller's "马家村路灯不亮"
/// first) and the box "仍然登记为新事项"; ticking it registers; nothing alike registers at once. The panel
/// lists only cases the clerk may read and never a reporter's phone or name.
/// </summary>
public abstract partial class IntakeDuplicatesPageTests(TaizhangApp app) : IAsyncLifetime
{
    private const string Caller = "13655551234";
    private const string Stranger = "13700009999";
    private const string CallerName = "马秀兰";
    private const string StrangerName = "王德福";
    private const string NewTitle = "马家村村口路灯坏了晚上看不见";
    private const string NewDescription = "马家村村口路灯坏了晚上看不见，已经一个多星期了，晚上出行不便。";
    private readonly HttpClient _town = app.ClientAs();
    private long _nearCopy, _sameCaller, _unrelated;

    public async Task InitializeAsync()
    {
        // Once per class (its own database): later tests read the ids back.
        var existing = await app.WithDbAsync(db => db.Cases.Where(c => c.Title == "村口路灯坏了晚上看不见" || c.Title == "马家村路灯不亮" || c.Title == "低保申请没有回音")
            .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        if (existing.Count == 3)
        {
            (_nearCopy, _sameCaller, _unrelated) = (existing[0], existing[1], existing[2]);
            return;
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-5));
        _nearCopy = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村口路灯坏了晚上看不见", orgUnit: "SCH-WJC", phone: Stranger, reporterName: StrangerName));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(-3));
        _sameCaller = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村路灯不亮", orgUnit: "SCH-MJC", phone: Caller, reporterName: CallerName));
        _unrelated = await _town.RegisterIdAsync(CaseApi.NewCase(title: "低保申请没有回音", orgUnit: "SCH-MJC", phone: Caller, reporterName: CallerName));
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Hotline_WithoutJavaScript_StopsOnLikelyDuplicates_SameCallerFirst_KeepsWhatWasTyped_ThenConfirmingRegisters()
    {
        var operatorClient = app.ClientAs("operator");
        var key = await FormKeyAsync(operatorClient, "/hotline");
        var before = await CountAsync();
        (string, string)[] form =
        [
            ("key", key), ("phone", Caller), ("name", CallerName), ("orgUnit", "SCH-MJC"), ("category", "roads"),
            ("urgency", "High"), ("title", NewTitle), ("description", NewDescription),
        ];

        using var stopped = await operatorClient.PostFormAsync("/hotline", form);

        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var html = await stopped.Content.ReadAsStringAsync();
        Assert.Equal(before, await CountAsync());
        var panel = Panel(html);
        Assert.Contains("可能重复的事项", panel);
        Assert.Contains("尚未登记", panel);
        var first = panel.IndexOf($"data-suggestion-id=\"{_sameCaller}\"", StringComparison.Ordinal);
        var second = panel.IndexOf($"data-suggestion-id=\"{_nearCopy}\"", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, panel);
        Assert.DoesNotContain($"data-suggestion-id=\"{_unrelated}\"", panel);
        var firstItem = panel[first..panel.IndexOf("</li>", first, StringComparison.Ordinal)];
        Assert.Contains("马家村路灯不亮", firstItem);
        Assert.Contains($"href=\"/cases/{_sameCaller}\"", firstItem);
        Assert.Contains("同一来电人", firstItem);
        Assert.Contains("同一村", firstItem);
        Assert.Contains("今天登记", firstItem);
        Assert.Contains("5 天前登记", panel);
        Assert.Matches("<input type=\"checkbox\" id=\"confirmNew\" name=\"confirmNew\" value=\"true\"", panel);
        AssertNoPersonalData(panel);
        // What was typed is kept, with the same key.
        var text = Text(html);
        Assert.Contains($"value=\"{Caller}\"", html);
        Assert.Contains(NewTitle, text);
        Assert.Contains(NewDescription, text);
        Assert.Matches("<option value=\"SCH-MJC\" selected=\"selected\">", html);
        Assert.Equal(key, KeyOf(html));

        using var confirmed = await operatorClient.PostFormAsync("/hotline", [.. form, ("confirmNew", "true")]);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
        // A double submit of the confirmed form replays the case instead of stopping at it.
        using var replay = await operatorClient.PostFormAsync("/hotline", form);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task Desk_NothingAlike_RegistersAtOnce_WithoutTheExtraStep()
    {
        var before = await CountAsync();
        var title = "图书室想添几个书架 " + Guid.NewGuid().ToString("N")[..6];

        using var response = await _town.PostFormAsync("/cases/new", DeskForm(await FormKeyAsync(_town, "/cases/new"), title, "SCH-MJC", "村图书室书架不够，孩子们的书没地方放。"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task Desk_WithoutJavaScript_StopsOnLikelyDuplicates_ThenConfirmingRegisters()
    {
        var key = await FormKeyAsync(_town, "/cases/new");
        var before = await CountAsync();
        var form = DeskForm(key, NewTitle, "SCH-MJC");

        using var stopped = await _town.PostFormAsync("/cases/new", form);

        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var html = await stopped.Content.ReadAsStringAsync();
        var panel = Panel(html);
        Assert.Contains($"data-suggestion-id=\"{_sameCaller}\"", panel);
        Assert.Contains("仍然登记为新事项", panel);
        AssertNoPersonalData(panel);
        Assert.Contains(NewTitle, Text(html));
        Assert.Contains("value=\"WalkIn\" selected=\"selected\"", html);
        Assert.Equal(before, await CountAsync());

        using var confirmed = await _town.PostFormAsync("/cases/new", [.. form, ("confirmNew", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task Desk_VillageCadre_SeesOnlyTheirOwnVillagesCases_InThePanel()
    {
        var cadre = app.ClientAs("cadre");
        var form = DeskForm(await FormKeyAsync(cadre, "/cases/new"), NewTitle, "SCH-MJC");

        using var stopped = await cadre.PostFormAsync("/cases/new", form);

        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        var panel = Panel(await stopped.Content.ReadAsStringAsync());
        Assert.Contains($"data-suggestion-id=\"{_sameCaller}\"", panel);
        // 王家村's near-copy is not theirs to read.
        Assert.DoesNotContain($"data-suggestion-id=\"{_nearCopy}\"", panel);
        AssertNoPersonalData(panel);

        // Another village's cadre typing the same in their own village is told nothing of 马家村.
        var other = app.ClientAs("cadre-wjc");
        var before = await CountAsync();
        using var theirs = await other.PostFormAsync("/cases/new", DeskForm(await FormKeyAsync(other, "/cases/new"), NewTitle, "SCH-WJC"));
        var body = await theirs.Content.ReadAsStringAsync();
        if (theirs.StatusCode == HttpStatusCode.OK)
        {
            var theirPanel = Panel(body);
            Assert.DoesNotContain($"data-suggestion-id=\"{_sameCaller}\"", theirPanel);
            Assert.DoesNotContain($"data-suggestion-id=\"{_unrelated}\"", theirPanel);
            Assert.Contains($"data-suggestion-id=\"{_nearCopy}\"", theirPanel);
            Assert.Equal(before, await CountAsync());
        }
        else
        {
            Assert.Fail("王家村's near-copy should stop the submit: " + theirs.StatusCode);
        }
    }

    private static void AssertNoPersonalData(string panel)
    {
        foreach (var secret in new[] { Caller, Stranger, CallerName, StrangerName, "1365555", "1370000" })
        {
            Assert.DoesNotContain(secret, Text(panel));
        }
    }

    /// <summary>The panel's live region (it holds no nested div).</summary>
    private static string Panel(string html)
    {
        var start = html.IndexOf("id=\"likely-duplicates\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the panel is on the page");
        return Text(html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)]);
    }

    private static (string, string)[] DeskForm(string key, string title, string orgUnit, string description = NewDescription) =>
    [
        ("key", key), ("channel", "WalkIn"), ("meeting", ""), ("orgUnit", orgUnit), ("name", "张桂兰"), ("phone", Caller),
        ("address", ""), ("category", "roads"), ("urgency", "High"), ("title", title), ("description", description),
    ];

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Cases.CountAsync());

    private static async Task<string> FormKeyAsync(HttpClient client, string url)
    {
        var (status, html) = await client.GetHtmlAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"likely-duplicates\"", html);
        Assert.Contains("aria-live=\"polite\"", html);
        Assert.Contains("duplicates.js", html);
        return KeyOf(html);
    }

    private static string KeyOf(string html) => KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no key field");

    private static string Text(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("name=\"key\" value=\"([^\"]*)\"")]
    private static partial Regex KeyPattern();
}

public sealed class IntakeDuplicatesPageTests_Sqlite(SqliteApp app) : IntakeDuplicatesPageTests(app), IClassFixture<SqliteApp>;

public sealed class IntakeDuplicatesPageTests_Postgres(PostgresApp app) : IntakeDuplicatesPageTests(app), IClassFixture<PostgresApp>;
