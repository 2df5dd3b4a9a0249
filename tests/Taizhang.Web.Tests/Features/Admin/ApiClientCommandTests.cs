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

    [Fact]
    public async Task Create_WithAnExpiry_ListShowsItAndWhenLastUsed_AndTheTokenStopsThen()
    {
        var name = "热线到期-" + Guid.NewGuid().ToString("N")[..6];
        var output = new StringWriter();
        Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services,
            ["api-client", "create", "--name", name, "--unit", "SCH", "--channels", "Hotline", "--expires-at", "2027-01-31"], output));
        Assert.Contains("expires 2027-01-31 16:00:00Z", output.ToString());
        var platform = app.AnonymousClient();
        platform.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenLine().Match(output.ToString()).Groups[1].Value);

        string Line(StringWriter list) => list.ToString().Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal));
        var before = new StringWriter();
        Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services, ["api-client", "list"], before));
        Assert.Contains("active until 2027-01-31 16:00:00Z", Line(before));
        Assert.Contains("never used", Line(before));

        using (var used = await platform.GetAsync("/api/v1/cases?pageSize=1"))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }
        var usedAt = app.Clock.GetUtcNow().UtcDateTime;
        var after = new StringWriter();
        Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services, ["api-client", "list"], after));
        Assert.Contains("last used " + usedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Line(after));

        var now = app.Clock.GetUtcNow();
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 31, 16, 0, 0, TimeSpan.Zero));
        try
        {
            using (var expired = await platform.GetAsync("/api/v1/cases?pageSize=1"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            }
            var later = new StringWriter();
            Assert.Equal(0, await ApiClientCommand.RunAsync(app.Services, ["api-client", "list"], later));
            Assert.Contains("expired 2027-01-31 16:00:00Z", Line(later));
        }
        finally
        {
            app.Clock.SetUtcNow(now);
        }
    }

    [Theory]
    [InlineData("create", "--name", "x", "--unit", "NOWHERE", "--channels", "Hotline")]
    [InlineData("create", "--name", "y", "--unit", "SCH", "--channels", "Fax")]
    [InlineData("create", "--unit", "SCH", "--channels", "Hotline")]
    [InlineData("revoke", "--name", "no-such-client")]
    [InlineData("create", "--name", "z", "--unit", "SCH", "--channels", "Hotline", "--expires-at", "2020-01-01")]
    [InlineData("create", "--name", "w", "--unit", "SCH", "--channels", "Hotline", "--expires-at", "next-year")]
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
