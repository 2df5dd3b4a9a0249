using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// The full-text index (n-grams in SQLite FTS5 / PostgreSQL tsvector) over HTTP: one-, two- and
/// four-character words, phrases, external references and tracking codes, the caller's scope, newest
/// first, a case found right after the group-commit intake, and the background backfill of cases
/// written without an index row. Each class has its own database.
/// </summary>
public abstract class FullTextSearchTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.ClientAs();
    private long _lamp, _water, _welfare, _lampLater;

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => db.Cases.AnyAsync(c => c.Title == "马家村路灯不亮")))
        {
            var ids = await app.WithDbAsync(db => db.Cases.OrderBy(c => c.Id).Select(c => new { c.Id, c.Title }).ToListAsync());
            _lamp = ids.First(c => c.Title == "马家村路灯不亮").Id;
            _water = ids.First(c => c.Title == "自来水停水三天").Id;
            _welfare = ids.First(c => c.Title == "低保申请没有回音").Id;
            _lampLater = ids.First(c => c.Title == "王家村路灯杆倾斜").Id;
            return;
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-6));
        _lamp = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村路灯不亮"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-4));
        _water = await _town.RegisterIdAsync(CaseApi.NewCase(title: "自来水停水三天", category: "water"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        _welfare = await _town.RegisterIdAsync(CaseApi.NewCase(title: "低保申请没有回音", orgUnit: "SCH-WJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        _lampLater = await _town.RegisterIdAsync(CaseApi.NewCase(title: "王家村路灯杆倾斜", orgUnit: "SCH-WJC"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<long[]> SearchAsync(HttpClient client, string text)
    {
        var page = await client.ListAsync("q=" + Uri.EscapeDataString(text));
        var ids = page.ItemIds();
        Assert.Equal(ids.Length, page.Total());
        return ids;
    }

    [Theory]
    [InlineData("水", "water")]
    [InlineData("路灯", "lampLater,lamp")]
    [InlineData("低保", "welfare")]
    [InlineData("路灯不亮", "lamp")]
    [InlineData("马家村路灯", "lamp")]
    [InlineData("自来水", "water")]
    [InlineData("灯路", "")]
    [InlineData("三天自来水", "")]
    [InlineData("村 倾斜", "lampLater")]
    [InlineData("！？", "")]
    public async Task Search_FindsWordsOfAnyLength_NewestFirst_AndNothingElse(string text, string expected)
    {
        var named = new Dictionary<string, long> { ["lamp"] = _lamp, ["water"] = _water, ["welfare"] = _welfare, ["lampLater"] = _lampLater };
        var want = expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => named[n]).ToArray();
        // The ledger's order (newest first) over what the index found.
        Assert.Equal(want, await SearchAsync(_town, text));
    }

    [Fact]
    public async Task Search_FindsTheExternalReference_AndTheTrackingCode()
    {
        var (hotline, _) = await app.IntegrationAsync("SCH");
        var registered = await hotline.RegisterAsync(CaseApi.NewCase(title: "桥面裂缝", channel: "Hotline", externalRef: "RX-2026-0042"));
        Assert.Equal([registered.Id()], await SearchAsync(_town, "RX-2026-0042"));
        Assert.Equal([registered.Id()], await SearchAsync(_town, "rx 2026 0042"));
        Assert.Empty(await SearchAsync(_town, "RX-2026-0043"));
        Assert.Equal([_water], await SearchAsync(_town, (await _town.GetCaseAsync(_water)).TrackingCode()));
    }

    [Fact]
    public async Task Search_FindsACase_RightAfterTheIntakeAcknowledgedIt_AndEveryCaseHasItsIndexRow()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "蔬菜大棚被风刮倒"));
        Assert.Equal([id], await SearchAsync(_town, "大棚"));
        // One index row per case, and it keeps no text: the index is the only copy of the tokens.
        var rows = await app.WithDbAsync(db => db.CaseGrams.Select(g => new { g.CaseId, g.Grams }).ToListAsync());
        var cases = await app.WithDbAsync(db => db.Cases.Select(c => c.Id).ToListAsync());
        Assert.Equal(cases.Order(), rows.Select(r => r.CaseId).Order());
        Assert.All(rows, r => Assert.Equal("", r.Grams));
    }

    [Fact]
    public async Task Search_NeverFindsAnotherTownsCase()
    {
        var (other, town, village) = await SecondTownClerkAsync();
        var theirs = await other.RegisterIdAsync(CaseApi.NewCase(title: "河口镇路灯损坏", orgUnit: village));
        Assert.DoesNotContain(theirs, await SearchAsync(_town, "路灯"));
        Assert.Empty(await SearchAsync(_town, "河口镇"));
        Assert.Equal([theirs], await SearchAsync(other, "路灯"));
        // The county sees both towns.
        var county = app.ClientAs("admin-county");
        Assert.Contains(theirs, await SearchAsync(county, "路灯"));
        Assert.Contains(_lamp, await SearchAsync(county, "路灯"));
        Assert.False(string.IsNullOrEmpty(town));
    }

    [Fact]
    public async Task Backfill_IndexesCasesWrittenWithoutAnIndexRow()
    {
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "旧库中的涵洞堵塞"));
        // As a database from before the index: the case without its row (and so without its index entry).
        await app.WithDbAsync(db => db.CaseGrams.Where(g => g.CaseId == id).ExecuteDeleteAsync());
        Assert.Empty(await SearchAsync(_town, "涵洞"));
        var backfill = app.Services.GetRequiredService<SearchIndexBackfill>();
        await backfill.RunAsync(CancellationToken.None);
        Assert.True(backfill.Ready);
        // Marked complete in the database: the next start searches the index from its first request.
        Assert.True(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key == SearchIndexBackfill.CompleteSetting)));
        Assert.Equal([id], await SearchAsync(_town, "涵洞"));
        Assert.Equal([id], await SearchAsync(_town, "涵洞堵塞"));
    }

    [Theory]
    [InlineData("admin-county")]
    [InlineData(null)]
    public async Task Search_PagesFromTheIndex_GiveTheSameCasesAndTotal_AsTheLedgersOwnQuery(string? user)
    {
        var client = user is null ? _town : app.ClientAs(user);
        var extra = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            extra.Add(await _town.RegisterIdAsync(CaseApi.NewCase(title: "垃圾箱满溢第" + i + "处")));
        }
        // q alone: page and total straight from the index. With a filter that removes nothing (a date range
        // from long ago) the ledger's own query runs: the same cases in the same order (newest id first).
        var fromIndex = await client.ListAsync("q=" + Uri.EscapeDataString("垃圾箱") + "&pageSize=2&page=2");
        var fromLedger = await client.ListAsync("q=" + Uri.EscapeDataString("垃圾箱") + "&pageSize=2&page=2&from=2000-01-01");
        Assert.True(fromIndex.Total() >= 5);
        Assert.Equal(fromLedger.Total(), fromIndex.Total());
        Assert.Equal(fromLedger.ItemIds(), fromIndex.ItemIds());
        var all = await client.ListAsync("q=" + Uri.EscapeDataString("垃圾箱") + "&pageSize=200");
        Assert.Equal(all.ItemIds().OrderDescending(), all.ItemIds());
        Assert.Equal(all.ItemIds().Skip(2).Take(2), fromIndex.ItemIds());
        Assert.Equal(((IEnumerable<long>)extra).Reverse().Take(5), all.ItemIds().Take(5));
        // -id asked for explicitly is the same page; an explicit other order still sorts by its field.
        Assert.Equal(fromIndex.ItemIds(), (await client.ListAsync("q=" + Uri.EscapeDataString("垃圾箱") + "&pageSize=2&page=2&sort=-id")).ItemIds());
        Assert.Equal(all.ItemIds().Order(), (await client.ListAsync("q=" + Uri.EscapeDataString("垃圾箱") + "&pageSize=200&sort=id")).ItemIds());
    }

    [Fact]
    public async Task PageAndCount_BelowAtAndPastTheCountLimit_AndPastTheLastPage()
    {
        // PostgreSQL takes a different plan on each side of the limit (GIN's matches sorted, or the key walked
        // backwards) and counts apart when the page is past the end; SQLite reads both from FTS5.
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await _town.RegisterIdAsync(CaseApi.NewCase(title: "堤坝渗漏第" + i + "段")));
        }
        ids.Reverse();
        var terms = Taizhang.Domain.Cases.SearchGrams.Query("堤坝渗漏");
        Task<(List<long> Ids, int Total)> PageAsync(int skip, int take, long limit, string? text = null, long[]? towns = null) =>
            app.WithDbAsync(db => Taizhang.Web.Data.SearchIndex.PageAndCountAsync(
                db, text is null ? terms : Taizhang.Domain.Cases.SearchGrams.Query(text), towns, skip, take, limit, CancellationToken.None));

        var below = await PageAsync(0, 3, 10);
        Assert.Equal(7, below.Total);
        Assert.Equal(ids.Take(3), below.Ids);
        var past = await PageAsync(2, 3, 4);
        Assert.Equal(5, past.Total); // the limit + 1: "more than 4"
        Assert.Equal(ids.Skip(2).Take(3), past.Ids);
        var lastPage = await PageAsync(6, 3, 10);
        Assert.Equal(7, lastPage.Total);
        Assert.Equal([ids[6]], lastPage.Ids);
        var beyond = await PageAsync(9, 3, 10);
        Assert.Equal((7, 0), (beyond.Total, beyond.Ids.Count));
        var none = await PageAsync(0, 3, 10, "坝堤");
        Assert.Equal((0, 0), (none.Total, none.Ids.Count));
        // A town's token in the query: the same cases; another town's: none.
        var town = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == ids[0]).Select(c => c.TownId).SingleAsync());
        Assert.Equal(ids.Skip(1).Take(2), (await PageAsync(1, 2, 3, towns: [town])).Ids);
        var elsewhere = await PageAsync(0, 3, 10, towns: [town + 100_000]);
        Assert.Equal((0, 0), (elsewhere.Total, elsewhere.Ids.Count));
    }

    private async Task<(HttpClient Client, string Town, string Village)> SecondTownClerkAsync()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "T" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "河口镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "东村", kind = "Village", parent = town })).StatusCode);
        var userName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "河口镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = town } },
        })).StatusCode);
        var client = await app.SignInClientAsync(userName, TaizhangApp.Password);
        return (client, town, village);
    }
}

public sealed class FullTextSearchTests_Sqlite(SqliteApp app) : FullTextSearchTests(app), IClassFixture<SqliteApp>;

public sealed class FullTextSearchTests_Postgres(PostgresApp app) : FullTextSearchTests(app), IClassFixture<PostgresApp>;
