using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>A person's own ledger views: saved, listed, replaced by name, deleted; never another's.</summary>
public abstract class SavedViewTests(TaizhangApp app)
{
    [Fact]
    public async Task SaveOnTheLedgerPage_RedirectsToTheView_AndShowsItAsAChoice()
    {
        var client = app.ClientAs("saved-view-page-" + Guid.NewGuid().ToString("N")[..6]);

        using var saved = await client.PostFormAsync("/cases?handler=SaveView", ("name", "马家村超期"), ("query", "?orgUnit=SCH-MJC&overdue=true&page=3"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        // Stored in the ledger's own spelling, without the page number.
        Assert.Equal("/cases?orgUnit=SCH-MJC&overdue=true", saved.Headers.Location!.OriginalString);
        var (_, html) = await client.GetHtmlAsync("/cases?orgUnit=SCH-MJC&overdue=true");
        Assert.Contains("已保存视图「马家村超期」。", html);
        Assert.Contains("<a href=\"/cases?orgUnit=SCH-MJC&amp;overdue=true\" aria-current=\"true\">马家村超期</a>", html);
    }

    [Fact]
    public async Task SaveWithoutAName_Answers400_NextToTheField_AndSavesNothing()
    {
        var client = app.ClientAs("saved-view-empty-" + Guid.NewGuid().ToString("N")[..6]);

        using var response = await client.PostFormAsync("/cases?handler=SaveView", ("name", " "), ("query", "?status=Resolved"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        // A message that says what to do, right under the name field it is about.
        Assert.Matches("<input id=\"view-name\"[^>]*aria-invalid=\"true\">\\s*<span class=\"field-error\" id=\"view-name-error\" role=\"alert\">请填写视图名称（如「本周超期」）再保存。", html);
        // The page still shows the ledger of the view being saved.
        Assert.Contains("<input type=\"checkbox\" name=\"status\" value=\"Resolved\" checked=\"checked\">", html);
        Assert.Empty(await (await client.GetAsync("/api/v1/saved-views")).Content.ReadFromJsonAsync<object[]>() ?? []);
    }

    [Fact]
    public async Task Api_SaveReplaceListDelete_AndOthersViewsDoNotExist()
    {
        var me = app.ClientAs("saved-view-api-" + Guid.NewGuid().ToString("N")[..6]);
        var other = app.ClientAs("saved-view-other-" + Guid.NewGuid().ToString("N")[..6]);

        var first = await (await me.PostAsJsonAsync("/api/v1/saved-views", new { name = "待回访", query = "status=Resolved" })).ReadJsonAsync();
        var again = await (await me.PostAsJsonAsync("/api/v1/saved-views", new { name = "待回访", query = "status=Resolved&sort=dueAt" })).ReadJsonAsync();
        Assert.Equal(first["id"]!.GetValue<long>(), again["id"]!.GetValue<long>());
        Assert.Equal("?status=Resolved&sort=dueAt", again["query"]!.GetValue<string>());

        using var bad = await me.PostAsJsonAsync("/api/v1/saved-views", new { name = "坏视图", query = "status=Nope" });
        Assert.True((await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("query"));

        var id = first["id"]!.GetValue<long>();
        using (var theirs = await other.DeleteAsync($"/api/v1/saved-views/{id}"))
        {
            await theirs.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.Empty(await (await other.GetAsync("/api/v1/saved-views")).Content.ReadFromJsonAsync<object[]>() ?? []);
        var mine = await (await me.GetAsync("/api/v1/saved-views")).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>();
        Assert.Single(mine!);

        using var deleted = await me.DeleteAsync($"/api/v1/saved-views/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await (await me.GetAsync("/api/v1/saved-views")).Content.ReadFromJsonAsync<object[]>() ?? []);
    }
}

public sealed class SavedViewTests_Sqlite(SqliteApp app) : SavedViewTests(app), IClassFixture<SqliteApp>;

public sealed class SavedViewTests_Postgres(PostgresApp app) : SavedViewTests(app), IClassFixture<PostgresApp>;
