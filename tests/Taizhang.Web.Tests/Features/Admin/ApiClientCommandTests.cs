using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>The server operator's `api-client` command, run against the app's real database.</summary>
public abstract partial class ApiClientCommandTests(TaizhangApp app)
{
    [Fact]
    public async Task Create_PrintsAWorkingToken_List_Revoke_EndsIt()
    {
        var name = "信访平台-" + Guid.NewGuid().ToString("N")[..6];
        var output = new StringWriter();
        var code = await ApiClientCommand.RunAsync(app.Services, ["api-client", "create", "--name", name, "--unit", "SCH", "--channels", "Petition,HigherLevel"], output);
        Assert.Equal(0, code);
        var token = TokenLine().Match(output.ToString()).Groups[1].Value;
        Assert.StartsWith("tz_", token);

        var platform = app.AnonymousClient();
        platform.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await platform.RegisterAsync(CaseApi.NewCase(channel: "Petition", orgUnit: "SCH-MJC"));
        Assert.Equal("Registered", created["status"]!.GetValue<string>());

        var list = new StringWriter();
        Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services, ["api-client", "list"], list));
        Assert.Contains(name, list.ToString());
        Assert.DoesNotContain(token, list.ToString());

        Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services, ["api-client", "revoke", "--name", name], new StringWriter()));
        using var after = await platform.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("create", "--name", "x", "--unit", "NOWHERE", "--channels", "Hotline")]
    [InlineData("create", "--name", "y", "--unit", "SCH", "--channels", "Fax")]
    [InlineData("create", "--unit", "SCH", "--channels", "Hotline")]
    [InlineData("revoke", "--name", "no-such-client")]
    [InlineData("frobnicate")]
    public async Task BadArguments_ExitWith2_AndSayWhy(params string[] args)
    {
        var output = new StringWriter();
        var code = await ApiClientCommand.RunAsync(app.Services, ["api-client", .. args], output);
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(output.ToString()));
        Assert.DoesNotContain("token", output.ToString());
    }

    [GeneratedRegex(@"token \(shown only now\): (\S+)")]
    private static partial Regex TokenLine();
}

public sealed class ApiClientCommandTests_Sqlite(SqliteApp app) : ApiClientCommandTests(app), IClassFixture<SqliteApp>;

public sealed class ApiClientCommandTests_Postgres(PostgresApp app) : ApiClientCommandTests(app), IClassFixture<PostgresApp>;
