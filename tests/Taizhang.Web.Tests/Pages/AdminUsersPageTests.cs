using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 用户管理 (/admin/users) as an administrator's browser without JavaScript uses it: find, create
/// (a generated password shown once), reset, unlock, disable, posts — and never anyone or any unit
/// outside the administrator's area. The tests share one database: each makes its own people.
/// </summary>
public abstract partial class AdminUsersPageTests(TaizhangApp app)
{
    private readonly HttpClient _admin = app.SharedClientAs("admin-sch");

    [Fact]
    public async Task List_FindsByUserNameDisplayNameOrUnit_APageAtATime()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var cadre = await CreateByApiAsync("find-" + tag, "马家村会计 " + tag, "VillageCadre", "SCH-MJC");
        var police = await CreateByApiAsync("pcs-" + tag, "派出所民警 " + tag, "AgencyHandler", "SCH-PCS");

        var (status, all) = await _admin.GetHtmlAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-user-name=\"find-{tag}\"", all);
        Assert.Contains($"href=\"/admin/users/{cadre}\"", all);
        Assert.Contains("待改密码", all);

        var (_, byName) = await _admin.GetHtmlAsync("/admin/users?q=" + Uri.EscapeDataString("会计 " + tag));
        Assert.Equal([cadre], UserIds(byName));
        var (_, byUserName) = await _admin.GetHtmlAsync("/admin/users?q=PCS-" + tag.ToUpperInvariant());
        Assert.Equal([police], UserIds(byUserName));
        // By unit: everyone with a post at 派出所 (the new one among them), nobody from 马家村.
        var (_, byUnit) = await _admin.GetHtmlAsync("/admin/users?q=" + Uri.EscapeDataString("派出所"));
        Assert.Contains(police, UserIds(byUnit));
        Assert.DoesNotContain(cadre, UserIds(byUnit));
        var (_, none) = await _admin.GetHtmlAsync("/admin/users?q=" + Uri.EscapeDataString("没有这个人" + tag));
        Assert.Contains("id=\"users-empty\"", none);
        Assert.Contains("data-total=\"0\"", none);

        // Pages of 30: the API's total says how many there are; the second page continues the first.
        using var api = await _admin.GetAsync("/api/v1/admin/users");
        var total = int.Parse(api.Headers.GetValues("X-Total-Count").Single());
        for (var i = total; i < 31; i++)
        {
            await CreateByApiAsync($"page-{tag}-{i:00}", "分页 " + i, "Member", "SCH");
        }
        var (_, first) = await _admin.GetHtmlAsync("/admin/users");
        var (_, second) = await _admin.GetHtmlAsync("/admin/users?p=2");
        Assert.Equal(30, UserIds(first).Length);
        Assert.NotEmpty(UserIds(second));
        Assert.Empty(UserIds(first).Intersect(UserIds(second)));
        Assert.Contains("rel=\"next\"", first);
        using var paged = await _admin.GetAsync("/api/v1/admin/users?page=2&pageSize=30");
        Assert.Equal(UserIds(second), (await paged.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonArray>())!.Select(u => u!["id"]!.GetValue<long>()).ToArray());
        using var badPage = await _admin.GetAsync("/api/v1/admin/users?page=abc");
        await badPage.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        // A number that is no page is the first page on the page.
        var (junkStatus, _) = await _admin.GetHtmlAsync("/admin/users?p=abc");
        Assert.Equal(HttpStatusCode.OK, junkStatus);
    }

    [Fact]
    public async Task Create_WithoutAPassword_ShowsTheGeneratedOneOnce_WhichSignsIn_AndMustBeChanged()
    {
        var userName = "new-" + Guid.NewGuid().ToString("N")[..8];
        var (formStatus, form) = await _admin.GetHtmlAsync("/admin/users/new");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains("<option value=\"SCH-MJC\">", form);
        Assert.Contains("<option value=\"VillageCadre\">村干部</option>", form);

        using var created = await _admin.PostFormAsync("/admin/users/new",
            ("UserName", userName), ("DisplayName", "马家村文书 马小芳"), ("Phone", ""), ("Role", "VillageCadre"), ("Unit", "SCH-MJC"), ("Password", ""));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore);
        var password = GeneratedPassword().Match(html).Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", password);
        Assert.Contains("只显示这一次", html);
        Assert.Contains("data-copy=\"created-password-value\"", html);
        var id = long.Parse(OpenUser().Match(html).Groups[1].Value);

        // Never again: not on the user's page, not in the list, not in the API.
        var (_, page) = await _admin.GetHtmlAsync($"/admin/users/{id}");
        Assert.DoesNotContain(password, page);
        Assert.Contains("马家村文书 马小芳", page);
        Assert.Contains("村干部 · 马家村", page);
        // Resetting the password and disabling the account each take a second step (a misclick locks a colleague out).
        Assert.Matches("<details class=\"inline-form confirm\">\\s*<summary>重置密码…</summary>[^<]*<p>[^<]*</p>\\s*<button type=\"submit\" id=\"reset-password\"", page);
        Assert.Matches("<details class=\"inline-form confirm\">\\s*<summary>停用账号…</summary>[^<]*<p>[^<]*</p>\\s*<button type=\"submit\" id=\"disable\"", page);
        Assert.DoesNotContain(password, (await _admin.GetHtmlAsync("/admin/users")).Html);
        Assert.DoesNotContain(password, await (await _admin.GetAsync($"/api/v1/admin/users/{id}")).Content.ReadAsStringAsync());

        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password });
        var session = await signIn.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.True(session["mustChangePassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Create_WithATypedPassword_GoesToTheUser_AndRefusalsShowNextToTheirFields()
    {
        using (var refused = await _admin.PostFormAsync("/admin/users/new",
            ("UserName", ""), ("DisplayName", ""), ("Phone", "12"), ("Role", "AgencyHandler"), ("Unit", "SCH-MJC"), ("Password", "woaini1314")))
        {
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("id=\"userName-error\">必填。", html);
            Assert.Contains("id=\"displayName-error\">必填。", html);
            Assert.Contains("id=\"phone-error\">", html);
            Assert.Contains("id=\"unit-error\">「马家村」不适合这个角色", html);
            // What was typed stays, except the password.
            Assert.Contains("<option value=\"SCH-MJC\" selected=\"selected\">", html);
            Assert.DoesNotContain("woaini1314", html);
        }
        var userName = "typed-" + Guid.NewGuid().ToString("N")[..8];
        using (var common = await _admin.PostFormAsync("/admin/users/new",
            ("UserName", userName), ("DisplayName", "镇办 小李"), ("Role", "TownStaff"), ("Unit", "SCH"), ("Password", "woaini1314")))
        {
            Assert.Contains("id=\"password-error\">这个密码太常见", await common.Content.ReadAsStringAsync());
        }
        using var created = await _admin.PostFormAsync("/admin/users/new",
            ("UserName", userName), ("DisplayName", "镇办 小李"), ("Role", "TownStaff"), ("Unit", "SCH"), ("Password", "the office told me"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        Assert.Matches("^/admin/users/\\d+$", location);
        var (_, page) = await _admin.GetHtmlAsync(location);
        Assert.Contains("本人首次登录后须改成自己的密码", page);
        Assert.Contains("data-state=\"must-change\"", page);
        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "the office told me" });
        Assert.True((await signIn.ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ResetPassword_ShowsANewOneOnce_TheOldOneStops()
    {
        var userName = "reset-" + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateByApiAsync(userName, "重置对象", "Operator", "SCH");
        var (person, own) = await app.SignInAsync(userName, FirstPassword);

        using var reset = await _admin.PostFormAsync($"/admin/users/{id}?handler=ResetPassword");
        var html = await reset.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.True(reset.Headers.CacheControl?.NoStore);
        var password = NewPassword().Match(html).Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", password);
        Assert.DoesNotContain(password, (await _admin.GetHtmlAsync($"/admin/users/{id}")).Html);

        using (var ended = await person.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        }
        using (var old = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = own }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        using var fresh = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password });
        Assert.True((await fresh.ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Unlock_ShowsTheThrottling_AndLiftsIt()
    {
        var userName = "locked-" + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateByApiAsync(userName, "被限制的人", "Operator", "SCH");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "wrong " + i });
        }
        var (_, before) = await _admin.GetHtmlAsync($"/admin/users/{id}");
        Assert.Contains("最近登录失败 5 次。", before);
        Assert.Contains("data-state=\"throttled\"", before);
        using (var refused = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = FirstPassword }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var unlock = await _admin.PostFormAsync($"/admin/users/{id}?handler=Unlock");
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        var (_, after) = await _admin.GetHtmlAsync(unlock.Headers.Location!.OriginalString);
        Assert.Contains("登录限制已解除。", after);
        Assert.Contains("最近没有失败的登录。", after);
        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = FirstPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task DisableEnableAndRename()
    {
        var userName = "off-" + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateByApiAsync(userName, "将被停用", "Operator", "SCH");
        var (person, own) = await app.SignInAsync(userName, FirstPassword);

        using (var disable = await _admin.PostFormAsync($"/admin/users/{id}?handler=Disable"))
        {
            Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);
        }
        var (_, disabled) = await _admin.GetHtmlAsync($"/admin/users/{id}");
        Assert.Contains("data-state=\"disabled\"", disabled);
        Assert.Contains("id=\"enable\"", disabled);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("/api/v1/cases")).StatusCode);
        using (var refused = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = own }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var enable = await _admin.PostFormAsync($"/admin/users/{id}?handler=Enable"))
        {
            Assert.Equal(HttpStatusCode.Redirect, enable.StatusCode);
        }
        using (var back = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = own }))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }

        using (var empty = await _admin.PostFormAsync($"/admin/users/{id}?handler=Rename", ("Rename.DisplayName", "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("id=\"rename-error\">必填。", await empty.Content.ReadAsStringAsync());
        }
        using (var rename = await _admin.PostFormAsync($"/admin/users/{id}?handler=Rename", ("Rename.DisplayName", "已改名 张三")))
        {
            Assert.Equal(HttpStatusCode.Redirect, rename.StatusCode);
        }
        Assert.Contains("<h1 id=\"user-heading\">已改名 张三", (await _admin.GetHtmlAsync($"/admin/users/{id}")).Html);

        // Not oneself: no form for it, and the handler refuses it anyway.
        var self = (await (await _admin.GetAsync("/api/v1/session")).ReadJsonAsync())["id"]!.GetValue<string>()["user:".Length..];
        var (_, mine) = await _admin.GetHtmlAsync($"/admin/users/{self}");
        Assert.DoesNotContain("id=\"disable\"", mine);
        using var selfDisable = await _admin.PostFormAsync($"/admin/users/{self}?handler=Disable");
        Assert.Equal(HttpStatusCode.BadRequest, selfDisable.StatusCode);
        Assert.Contains("不能对自己执行此操作。", await selfDisable.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Posts_AreAddedAndRemoved_ButNotTheLastOne()
    {
        var id = await CreateByApiAsync("posts-" + Guid.NewGuid().ToString("N")[..8], "岗位变动", "Operator", "SCH");

        using (var wrongKind = await _admin.PostFormAsync($"/admin/users/{id}?handler=AddPost", ("AddPost.Role", "AgencyHandler"), ("AddPost.Unit", "SCH-MJC")))
        {
            var html = await wrongKind.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
            Assert.Contains("id=\"add-unit-error\">「马家村」不适合这个角色", html);
            Assert.Contains("<option value=\"AgencyHandler\" selected=\"selected\">", html);
        }
        using (var added = await _admin.PostFormAsync($"/admin/users/{id}?handler=AddPost", ("AddPost.Role", "AgencyHandler"), ("AddPost.Unit", "SCH-SFS")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }
        var user = await (await _admin.GetAsync($"/api/v1/admin/users/{id}")).ReadJsonAsync();
        var posts = user["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()).ToArray();
        Assert.Equal(2, posts.Length);
        Assert.Contains("部门承办人 · 三岔司法所", (await _admin.GetHtmlAsync($"/admin/users/{id}")).Html);

        using (var removed = await _admin.PostFormAsync($"/admin/users/{id}?handler=RemovePost", ("postId", posts[0].ToString())))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }
        using var last = await _admin.PostFormAsync($"/admin/users/{id}?handler=RemovePost", ("postId", posts[1].ToString()));
        var lastHtml = await last.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        Assert.Contains("这是该用户唯一的岗位，不能删除", lastHtml);
        Assert.Single((await (await _admin.GetAsync($"/api/v1/admin/users/{id}")).ReadJsonAsync())["posts"]!.AsArray());
    }

    [Fact]
    public async Task ATownAdministrator_NeverSeesOrChangesAnotherTownsPeopleOrUnits()
    {
        // Another town, made by the county's administrator, with its clerk.
        var county = app.SharedClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "H" + suffix;
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "河口镇" + suffix, kind = "Town", parent = "ZX" })).StatusCode);
        var clerkName = "hk-" + suffix.ToLowerInvariant();
        using var created = await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = clerkName, displayName = "河口镇受理员 " + suffix, password = FirstPassword,
            posts = new[] { new { role = "TownStaff", unit = town } },
        });
        var clerk = (await created.ReadJsonAsync()).Id();

        // Not in the list, not found by name or by its town's name.
        foreach (var url in new[] { "/admin/users", "/admin/users?q=" + clerkName, "/admin/users?q=" + Uri.EscapeDataString("河口镇" + suffix) })
        {
            var (_, html) = await _admin.GetHtmlAsync(url);
            Assert.DoesNotContain(clerk, UserIds(html));
            Assert.DoesNotContain($"data-user-name=\"{clerkName}\"", html);
            Assert.DoesNotContain("河口镇受理员", html);
        }
        // Its page does not exist; nothing can be done to it.
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetHtmlAsync($"/admin/users/{clerk}")).Status);
        foreach (var handler in new[] { "ResetPassword", "Unlock", "Disable", "Enable" })
        {
            using var post = await _admin.PostFormAsync($"/admin/users/{clerk}?handler={handler}");
            Assert.True(post.StatusCode == HttpStatusCode.NotFound, $"{handler}: {post.StatusCode}");
        }
        using (var rename = await _admin.PostFormAsync($"/admin/users/{clerk}?handler=Rename", ("Rename.DisplayName", "改掉")))
        {
            Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        }
        // The other town is no choice for a post, and typed in anyway it is an unknown unit.
        var (_, form) = await _admin.GetHtmlAsync("/admin/users/new");
        Assert.DoesNotContain($"value=\"{town}\"", form);
        Assert.DoesNotContain("value=\"ZX\"", form);
        using (var outside = await _admin.PostFormAsync("/admin/users/new",
            ("UserName", "outside-" + suffix.ToLowerInvariant()), ("DisplayName", "越界"), ("Role", "TownStaff"), ("Unit", town), ("Password", "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
            Assert.Contains($"id=\"unit-error\">没有编码为「{town}」的组织单位。", await outside.Content.ReadAsStringAsync());
        }
        var own = await CreateByApiAsync("own-" + suffix.ToLowerInvariant(), "本镇的人", "Operator", "SCH");
        using (var grant = await _admin.PostFormAsync($"/admin/users/{own}?handler=AddPost", ("AddPost.Role", "TownStaff"), ("AddPost.Unit", town)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        }
        var after = await (await county.GetAsync($"/api/v1/admin/users/{clerk}")).ReadJsonAsync();
        Assert.Equal("河口镇受理员 " + suffix, after["displayName"]!.GetValue<string>());
        Assert.False(after["disabled"]!.GetValue<bool>());

        // The county's administrator sees the clerk on the same pages.
        var (_, countyList) = await county.GetHtmlAsync("/admin/users?q=" + clerkName);
        Assert.Equal([clerk], UserIds(countyList));
        Assert.Equal(HttpStatusCode.OK, (await county.GetHtmlAsync($"/admin/users/{clerk}")).Status);
        Assert.Contains($"value=\"{town}\"", (await county.GetHtmlAsync("/admin/users/new")).Html);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("leader")]
    public async Task SomeoneWithoutAnAdministratorPost_Gets403_OnEveryUsersPage(string who)
    {
        var client = app.SharedClientAs(who);
        foreach (var url in new[] { "/admin/users", "/admin/users/new", "/admin/users/1" })
        {
            var (status, html) = await client.GetHtmlAsync(url);
            Assert.True(status == HttpStatusCode.Forbidden, $"{who} {url}: {status}");
            Assert.Contains("HTTP 403", html);
        }
        using var post = await client.PostFormAsync("/admin/users/new", ("UserName", "sneaky"), ("DisplayName", "x"), ("Role", "Administrator"), ("Unit", "SCH"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        using var anonymous = await app.AnonymousClient().GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/signin?ReturnUrl=%2Fadmin%2Fusers", anonymous.Headers.Location!.ToString());
    }

    private const string FirstPassword = "set by the office";

    private async Task<long> CreateByApiAsync(string userName, string displayName, string role, string unit)
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName, password = FirstPassword, posts = new[] { new { role, unit } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.ReadJsonAsync()).Id();
    }

    private static long[] UserIds(string html) => UserRow().Matches(html).Select(m => long.Parse(m.Groups[1].Value)).ToArray();

    [GeneratedRegex("<tr data-user-id=\"(\\d+)\"")]
    private static partial Regex UserRow();

    [GeneratedRegex("id=\"created-password-value\" class=\"code\" value=\"([^\"]+)\"")]
    private static partial Regex GeneratedPassword();

    [GeneratedRegex("id=\"new-password-value\" class=\"code\" value=\"([^\"]+)\"")]
    private static partial Regex NewPassword();

    [GeneratedRegex("href=\"/admin/users/(\\d+)\" id=\"open-user\"")]
    private static partial Regex OpenUser();
}

public sealed class AdminUsersPageTests_Sqlite(SqliteApp app) : AdminUsersPageTests(app), IClassFixture<SqliteApp>;

public sealed class AdminUsersPageTests_Postgres(PostgresApp app) : AdminUsersPageTests(app), IClassFixture<PostgresApp>;
