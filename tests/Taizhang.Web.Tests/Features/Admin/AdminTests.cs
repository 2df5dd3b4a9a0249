using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Data;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>Administration through the API, tried the way a new administrator would.</summary>
public abstract class AdminTests(TaizhangApp app)
{
    [Fact]
    public async Task Admin_CreatesVillageCadre_WhoSeesOnlyTheirVillage()
    {
        var town = app.ClientAs("town");
        var mjc = await town.RegisterIdAsync(CaseApi.NewCase(title: "马家村的事", orgUnit: "SCH-MJC"));
        var wjc = await town.RegisterIdAsync(CaseApi.NewCase(title: "王家村的事", orgUnit: "SCH-WJC-1"));

        var admin = app.ClientAs("admin-sch");
        var userName = "wjc-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName,
            displayName = "王家村干部 王强",
            phone = "13700001234",
            password = "wangjia-cun-2026",
            posts = new[] { new { role = "VillageCadre", unit = "SCH-WJC" } },
        });
        var user = await created.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("137****1234", user["phone"]!.GetValue<string>());
        Assert.Equal("SCH-WJC", user["posts"]![0]!["unit"]!["code"]!.GetValue<string>());

        var cadre = await SignInAsync(userName, "wangjia-cun-2026");
        var list = await (await cadre.GetAsync("/api/v1/cases?pageSize=200")).ReadJsonAsync();
        var ids = list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(wjc, ids);
        Assert.DoesNotContain(mjc, ids);
        Assert.All(list["items"]!.AsArray(), i => Assert.StartsWith("SCH-WJC", i!["orgUnit"]!["code"]!.GetValue<string>()));
        using var other = await cadre.GetAsync($"/api/v1/cases/{mjc}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task NonAdministrators_Get403_OnEveryAdminEndpoint()
    {
        foreach (var who in new[] { "town", "cadre", "leader", "operator" })
        {
            var client = app.ClientAs(who);
            using var users = await client.GetAsync("/api/v1/admin/users");
            await users.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            using var create = await client.PostAsJsonAsync("/api/v1/admin/api-clients", new { name = "x", orgUnit = "SCH", channels = new[] { "Hotline" } });
            await create.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task Admin_CannotGrantPostsOutsideTheirArea_OrWeakPasswords()
    {
        var admin = app.ClientAs("admin-sch");
        using var response = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = "county-" + Guid.NewGuid().ToString("N")[..8],
            displayName = "县里的人",
            password = "short",
            posts = new[] { new { role = "TownStaff", unit = "ZX" }, new { role = "AgencyHandler", unit = "SCH-MJC" } },
        });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("posts[0].unit"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("posts[1].unit"), errors.ToJsonString());

        using var weak = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = "weak-" + Guid.NewGuid().ToString("N")[..8],
            displayName = "弱密码",
            password = "short",
            posts = new[] { new { role = "TownStaff", unit = "SCH" } },
        });
        var weakErrors = (await weak.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(weakErrors.ContainsKey("password"), weakErrors.ToJsonString());
    }

    [Fact]
    public async Task ApiClient_CreatedByAdmin_Registers_ThenRevoked_Gets401()
    {
        var admin = app.ClientAs("admin-sch");
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/api-clients", new
        {
            name = "12345热线-" + Guid.NewGuid().ToString("N")[..6],
            orgUnit = "SCH",
            channels = new[] { "Hotline" },
        });
        var body = await created.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = body["token"]!.GetValue<string>();
        var id = body["client"]!["id"]!.GetValue<long>();
        Assert.StartsWith("tz_", token);

        var hotline = app.AnonymousClient();
        hotline.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var registered = await hotline.RegisterAsync(CaseApi.NewCase(channel: "Hotline", orgUnit: "SCH-LJC"));
        var detail = await app.ClientAs("town").GetCaseAsync(registered["id"]!.GetValue<long>());
        Assert.Equal("ApiClient", detail.Events()[0]!["actor"]!["kind"]!.GetValue<string>());

        // The token is stored only as a hash: listing never shows it.
        var listed = await (await admin.GetAsync("/api/v1/admin/api-clients")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, listed);

        using var revoke = await admin.PostAsync($"/api/v1/admin/api-clients/{id}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var after = await hotline.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Admin_AddsOrgUnitAndCategory_EveryoneCanReadThem()
    {
        var admin = app.ClientAs("admin-sch");
        var code = "SCH-N" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        using var unit = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code, name = "新建村", kind = "Village", parent = "SCH" });
        Assert.Equal(HttpStatusCode.Created, unit.StatusCode);
        using var bad = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code = code + "X", name = "错层", kind = "Village", parent = "SCH-MJC" });
        var errors = (await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("parent"));

        // Categories apply to every town: a town administrator may not change them, the county's may.
        var catCode = "c-" + Guid.NewGuid().ToString("N")[..6];
        using var townCategory = await admin.PostAsJsonAsync("/api/v1/admin/categories", new { code = catCode, name = "养老服务", isDispute = false });
        await townCategory.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var townRename = await admin.PutAsJsonAsync("/api/v1/admin/categories/water", new { name = "改名" });
        await townRename.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var county = app.ClientAs("admin-county");
        using var category = await county.PostAsJsonAsync("/api/v1/admin/categories", new { code = catCode, name = "养老服务", isDispute = false });
        Assert.Equal(HttpStatusCode.Created, category.StatusCode);
        using var rename = await county.PutAsJsonAsync($"/api/v1/admin/categories/{catCode}", new { name = "养老与助残" });
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);

        var cadre = app.ClientAs("cadre");
        var units = await cadre.GetFromJsonAsync<JsonArray>("/api/v1/org-units");
        Assert.Contains(units!, u => u!["code"]!.GetValue<string>() == code && u["parent"]!.GetValue<string>() == "SCH");
        var categories = await cadre.GetFromJsonAsync<JsonArray>("/api/v1/categories");
        Assert.Contains(categories!, c => c!["code"]!.GetValue<string>() == catCode && c["name"]!.GetValue<string>() == "养老与助残");

        // The new village takes cases at once.
        var id = await app.ClientAs("town").RegisterIdAsync(CaseApi.NewCase(orgUnit: code, category: catCode));
        Assert.True(id > 0);
    }

    [Fact]
    public async Task DisabledUser_IsRefused_AndAdminCannotDisableThemselves()
    {
        var admin = app.ClientAs("admin-sch");
        var userName = "off-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "将被停用", password = "long-enough-pass",
            posts = new[] { new { role = "TownStaff", unit = "SCH" } },
        });
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<long>();
        var user = await SignInAsync(userName, "long-enough-pass");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/v1/cases")).StatusCode);

        using var disable = await admin.PutAsJsonAsync($"/api/v1/admin/users/{id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        using var refused = await user.GetAsync("/api/v1/cases");
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, refused.StatusCode.ToString());

        var self = await (await admin.GetAsync("/api/v1/session")).ReadJsonAsync();
        var selfId = long.Parse(self["id"]!.GetValue<string>()["user:".Length..]);
        using var selfDisable = await admin.PutAsJsonAsync($"/api/v1/admin/users/{selfId}", new { disabled = true });
        await selfDisable.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Theory]
    [InlineData("admin-sch")]
    [InlineData("admin-county")]
    public async Task CreateUser_WithoutPosts_Is400OnThePostsField_AndCreatesNobody(string who)
    {
        // A town administrator could create an account with no posts, which then belonged to no
        // area and only the top level could manage: now no administrator can create one.
        var admin = app.ClientAs(who);
        var userName = "noposts-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var body in new object[]
        {
            new { userName, displayName = "待分配", password = "long-enough-pass", posts = Array.Empty<object>() },
            new { userName, displayName = "待分配", password = "long-enough-pass" },
        })
        {
            using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", body);
            var errors = (await created.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors();
            Assert.Equal(["至少要有一个岗位（角色和单位）。"], errors["posts"]!.AsArray().Select(e => e!.GetValue<string>()));
        }
        var listed = await (await app.ClientAs("admin-county").GetAsync("/api/v1/admin/users")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(userName, listed);
        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "long-enough-pass" });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/users")
        {
            Content = JsonContent.Create(new { userName, displayName = "x", password = "long-enough-pass", posts = Array.Empty<object>() }),
        };
        english.Headers.AcceptLanguage.ParseAdd("en");
        using var englishResponse = await admin.SendAsync(english);
        var englishErrors = (await englishResponse.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors();
        Assert.Equal("Give at least one post (a role at a unit).", englishErrors["posts"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task RemovePost_TheUsersLastPost_Is400_TheAccountIsDisabledInstead()
    {
        var admin = app.ClientAs("admin-sch");
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = "lastpost-" + Guid.NewGuid().ToString("N")[..8], displayName = "最后一个岗位", password = "long-enough-pass",
            posts = new[] { new { role = "TownStaff", unit = "SCH" } },
        });
        var user = await created.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = user.Id();
        var first = user["posts"]![0]!["id"]!.GetValue<long>();

        using var refused = await admin.DeleteAsync($"/api/v1/admin/users/{id}/posts/{first}");
        var errors = (await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors();
        Assert.Contains("停用", errors["postId"]![0]!.GetValue<string>());
        var after = await (await admin.GetAsync($"/api/v1/admin/users/{id}")).ReadJsonAsync();
        Assert.Equal(first, Assert.Single(after["posts"]!.AsArray())!["id"]!.GetValue<long>());

        // With a second post the first can go; then the second is the last and stays.
        var two = await (await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/posts", new { role = "Operator", unit = "SCH" })).ReadJsonAsync();
        var second = two["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()).Single(p => p != first);
        using var removed = await admin.DeleteAsync($"/api/v1/admin/users/{id}/posts/{first}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using var last = await admin.DeleteAsync($"/api/v1/admin/users/{id}/posts/{second}");
        Assert.True((await last.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("postId"));

        // The town administrator still manages the account: disabling it is the way out.
        using var disabled = await admin.PutAsJsonAsync($"/api/v1/admin/users/{id}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal("Operator", Assert.Single((await disabled.ReadJsonAsync())["posts"]!.AsArray())!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task RemovePost_TwoPostsRemovedAtOnce_NeverLeaveTheUserWithoutAPost()
    {
        var admin = app.ClientAs("admin-sch");
        var other = app.ClientAs("admin-sch");
        for (var round = 0; round < 5; round++)
        {
            using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new
            {
                userName = "race-" + Guid.NewGuid().ToString("N")[..8], displayName = "同时删除", password = "long-enough-pass",
                posts = new[] { new { role = "TownStaff", unit = "SCH" }, new { role = "Operator", unit = "SCH" } },
            });
            var user = await created.ReadJsonAsync();
            var posts = user["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()).ToArray();

            var answers = await Task.WhenAll(
                admin.DeleteAsync($"/api/v1/admin/users/{user.Id()}/posts/{posts[0]}"),
                other.DeleteAsync($"/api/v1/admin/users/{user.Id()}/posts/{posts[1]}"));

            var statuses = answers.Select(a => a.StatusCode).Order().ToArray();
            Assert.Equal(HttpStatusCode.OK, statuses[0]);
            Assert.Contains(statuses[1], new[] { HttpStatusCode.BadRequest, HttpStatusCode.Conflict });
            var after = await (await admin.GetAsync($"/api/v1/admin/users/{user.Id()}")).ReadJsonAsync();
            Assert.Single(after["posts"]!.AsArray());
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task UserWithoutPosts_MadeBeforeTheRule_BelongsToTheTopLevelOnly()
    {
        // Such accounts can no longer be made through the API; one from before is still the top level's.
        var id = await app.WithDbAsync(async db =>
        {
            var user = new AppUser { UserName = "noposts-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "待分配", CreatedAt = DateTime.UtcNow };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user.Id;
        });
        var county = app.ClientAs("admin-county");

        var town = app.ClientAs("admin-sch");
        Assert.Equal(HttpStatusCode.NotFound, (await town.GetAsync($"/api/v1/admin/users/{id}")).StatusCode);
        using var password = await town.PostAsJsonAsync($"/api/v1/admin/users/{id}/password", new { password = "taken-over-pass" });
        Assert.Equal(HttpStatusCode.NotFound, password.StatusCode);
        using var post = await town.PostAsJsonAsync($"/api/v1/admin/users/{id}/posts", new { role = "TownStaff", unit = "SCH" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var listed = await (await town.GetAsync("/api/v1/admin/users")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("待分配", listed);

        using var countyPost = await county.PostAsJsonAsync($"/api/v1/admin/users/{id}/posts", new { role = "TownStaff", unit = "SCH" });
        Assert.Equal(HttpStatusCode.OK, countyPost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await town.GetAsync($"/api/v1/admin/users/{id}")).StatusCode);
    }

    /// <summary>An account the administrator made: its person signs in and sets their own password first.</summary>
    private Task<HttpClient> SignInAsync(string userName, string password) => app.SignInClientAsync(userName, password);
}

public sealed class AdminTests_Sqlite(SqliteApp app) : AdminTests(app), IClassFixture<SqliteApp>;

public sealed class AdminTests_Postgres(PostgresApp app) : AdminTests(app), IClassFixture<PostgresApp>;
