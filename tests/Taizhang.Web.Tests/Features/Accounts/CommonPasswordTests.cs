using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// The most common passwords are refused wherever a password is set (security issue, item 8):
/// an administrator creating an account or resetting a password, and the accounts made at start-up.
/// </summary>
public abstract class CommonPasswordTests(TaizhangApp app)
{
    public static readonly TheoryData<string> Common =
    [
        "password12", "woaini1314", "qwertyuiop", "Password12", "WOAINI1314", "1qaz2wsx3edc", "1234567890", "5201314520",
        "zhangwei1988", "wangfang123456", "liuxiuying520", "P@ssw0rd2026", "woai-ni-1314", "woaini5201314", "520zhangwei",
        "iloveyou1314", "a1b2c3d4e5", "13812345678", "1988-08-08", "1988080812",
    ];

    [Theory]
    [MemberData(nameof(Common))]
    public async Task Admin_CreatingAnAccount_WithACommonPassword_GetsAChineseFieldError_AndNoAccount(string password)
    {
        var admin = app.SharedClientAs("admin-sch");
        var userName = "common-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await CreateAsync(admin, userName, password);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        var message = Assert.Single(problem.Errors()["password"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith("这个密码太常见", message);
        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Admin_ResettingAPassword_ToACommonOne_IsRefused_AndTheOldOneStillWorks()
    {
        var admin = app.SharedClientAs("admin-sch");
        var userName = "reset-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await CreateAsync(admin, userName, "Hekou-Town-Pass-2026");
        var id = (await created.ReadJsonAsync()).Id();

        foreach (var password in new[] { "woaini1314", "password12" })
        {
            using var reset = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/password", new { password });
            var problem = await reset.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.StartsWith("这个密码太常见", problem.Errors()["password"]![0]!.GetValue<string>());
        }
        using var english = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/users/{id}/password") { Content = JsonContent.Create(new { password = "qwertyuiop" }) };
        english.Headers.AcceptLanguage.ParseAdd("en");
        using var en = await admin.SendAsync(english);
        Assert.StartsWith("This password is too common", (await en.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["password"]![0]!.GetValue<string>());

        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "Hekou-Town-Pass-2026" });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task ThePersonsOwnUserNameOrPhone_WithDigitsAround_IsRefused()
    {
        var admin = app.SharedClientAs("admin-sch");
        var userName = "mjc-cadre" + Guid.NewGuid().ToString("N")[..4];
        using var byName = await CreateAsync(admin, userName, userName.ToUpperInvariant() + "2026!");
        Assert.StartsWith("密码不能是用户名", (await byName.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["password"]![0]!.GetValue<string>());

        using var byPhone = await CreateAsync(admin, "phone-" + Guid.NewGuid().ToString("N")[..8], "mjc13700001234", phone: "137 0000 1234");
        Assert.StartsWith("密码不能包含本人的电话号码", (await byPhone.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["password"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("correct horse battery")]
    [InlineData("Hekou-Town-Pass-2026")]
    [InlineData("wangjia-cun-2026")]
    [InlineData("马家村的水渠今年修好了")]
    [InlineData("zhangwei83920571x")]
    [InlineData("long-enough-pass")]
    public async Task UncommonPasswords_AreAccepted(string password)
    {
        var admin = app.SharedClientAs("admin-sch");
        var userName = "fine-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await CreateAsync(admin, userName, password);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task TheAccountsMadeAtStartUp_GoThroughTheSameCheck()
    {
        // What AccountBootstrap does with a configured Bootstrap:AdminPassword or Demo:Password.
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var result = await users.CreateAsync(new AppUser { UserName = "boot-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "启动" }, "woaini1314");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == CommonPasswordValidator.CommonCode);
    }

    [Fact]
    public void TheShippedList_HasAtLeast10000Passwords_WithAChinesePart()
    {
        Assert.True(CommonPasswords.Count >= 10_000, $"{CommonPasswords.Count} passwords");
        var chinese = typeof(CommonPasswords).Assembly.GetManifestResourceStream(CommonPasswords.ChineseListResource);
        Assert.NotNull(chinese);
        using var reader = new StreamReader(chinese!);
        var entries = reader.ReadToEnd().Split('\n').Count(l => l.Length > 0 && !l.StartsWith("# ", StringComparison.Ordinal));
        Assert.True(entries >= 300, $"{entries} Chinese entries");
        foreach (var common in new[] { "woaini1314", "5201314", "qwertyuiop", "1qaz2wsx", "a1b2c3d4", "zhangwei123", "wangfang" })
        {
            Assert.True(CommonPasswords.IsCommon(common), common);
        }
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient admin, string userName, string password, string? phone = null) =>
        admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName,
            displayName = "常见密码测试",
            phone,
            password,
            posts = new[] { new { role = "TownStaff", unit = "SCH" } },
        });
}

public sealed class CommonPasswordTests_Sqlite(SqliteApp app) : CommonPasswordTests(app), IClassFixture<SqliteApp>;

public sealed class CommonPasswordTests_Postgres(PostgresApp app) : CommonPasswordTests(app), IClassFixture<PostgresApp>;
