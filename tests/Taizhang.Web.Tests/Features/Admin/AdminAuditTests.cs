using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>Who changed which account, post, client or setting, and when — never the secrets themselves.</summary>
public abstract class AdminAuditTests(TaizhangApp app)
{
    [Fact]
    public async Task AdminChanges_AreRecordedWithTheirActor_WithoutSecrets()
    {
        var admin = app.ClientAs("admin-sch");
        var userName = "audit-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "审计对象", phone = "13600001111", password = "secret-pass-2026",
            posts = new[] { new { role = "VillageCadre", unit = "SCH-MJC" } },
        });
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<long>();
        using var reset = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/password", new { password = "another-pass-2026" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var client = await admin.PostAsJsonAsync("/api/v1/admin/api-clients", new { name = "audit-client-" + userName, orgUnit = "SCH", channels = new[] { "Hotline" } });
        var token = (await client.ReadJsonAsync())["token"]!.GetValue<string>();

        // The town's administrator reads the entries of the town; what applies to every town
        // (a category) only the top level reads.
        var category = "audit-" + Guid.NewGuid().ToString("N")[..6];
        using var added = await app.ClientAs("admin-county").PostAsJsonAsync("/api/v1/admin/categories", new { code = category, name = "审计类别" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using var townAudit = await admin.GetAsync("/api/v1/admin/audit");
        var townText = await townAudit.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, townAudit.StatusCode);
        Assert.Contains("\"action\":\"user.create\",\"target\":\"user:" + userName + "\"", townText);
        Assert.Contains("\"action\":\"user.password-reset\",\"target\":\"user:" + id + "\"", townText);
        Assert.DoesNotContain("category:" + category, townText);

        using var audit = await app.ClientAs("admin-county").GetAsync("/api/v1/admin/audit?take=50");
        var text = await audit.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains("\"action\":\"user.create\",\"target\":\"user:" + userName + "\"", text);
        Assert.Contains("VillageCadre@SCH-MJC", text);
        Assert.Contains("\"action\":\"user.password-reset\",\"target\":\"user:" + id + "\"", text);
        Assert.Contains("api-client.create", text);
        Assert.Contains("镇管理员", text);
        Assert.Contains("category:" + category, text);
        Assert.DoesNotContain("secret-pass-2026", text);
        Assert.DoesNotContain("another-pass-2026", text);
        Assert.DoesNotContain("13600001111", text);
        Assert.DoesNotContain(token, text);
    }
    [Fact]
    public async Task TheList_FiltersByActionActorAndDay_AndPagesOnWithBefore()
    {
        var admin = app.ClientAs("admin-sch");
        var code = "SCH-AU" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code, name = "日志村", kind = "Village", parent = "SCH" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var renamed = await admin.PutAsJsonAsync($"/api/v1/admin/org-units/{code}", new { name = "日志村" + i });
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        var first = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/admin/audit?action=org-unit.rename&actor=镇管理员&take=2");
        Assert.Equal(2, first!.Count);
        Assert.All(first, e => Assert.Equal("org-unit.rename", e!["action"]!.GetValue<string>()));
        Assert.Equal(code, first[0]!["orgUnit"]!["code"]!.GetValue<string>());
        var before = first[1]!["id"]!.GetValue<long>();
        Assert.True(first[0]!["id"]!.GetValue<long>() > before);
        var next = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/admin/audit?action=org-unit.rename&take=2&before={before}");
        Assert.All(next!, e => Assert.True(e!["id"]!.GetValue<long>() < before));

        // TaizhangApp.Start is 26 November in Shanghai: nothing of this test on the 25th.
        var today = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/admin/audit?action=org-unit.create&from=2026-11-26&to=2026-11-26");
        Assert.Contains(today!, e => e!["target"]!.GetValue<string>() == "org-unit:" + code);
        var yesterday = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/admin/audit?action=org-unit.create&to=2026-11-25");
        Assert.DoesNotContain(yesterday!, e => e!["target"]!.GetValue<string>() == "org-unit:" + code);

        using var badRange = await admin.GetAsync("/api/v1/admin/audit?from=2026-11-26&to=2026-11-01");
        Assert.True((await badRange.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("to"));
        using var badTake = await admin.GetAsync("/api/v1/admin/audit?take=0");
        Assert.True((await badTake.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("take"));
    }
}

public sealed class AdminAuditTests_Sqlite(SqliteApp app) : AdminAuditTests(app), IClassFixture<SqliteApp>;

public sealed class AdminAuditTests_Postgres(PostgresApp app) : AdminAuditTests(app), IClassFixture<PostgresApp>;
