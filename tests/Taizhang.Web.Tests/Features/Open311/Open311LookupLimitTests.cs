using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Open311;

/// <summary>
/// Anonymous Open311 reads are a tracking-code oracle (a code that exists answers, one that does not is
/// 404), so they must cost as much per code as /track does: one code of the per-address bucket each. Two
/// ways around it were open: a made-up api_key of the right shape (tz_ + 12 + 40 characters) took the
/// request out of the bucket and /tokens/{code} never checked it, and one GET asked for up to 100 codes
/// (service_request_id=a,b,c…) at the price of one.
/// </summary>
public abstract class Open311LookupLimitTests(TaizhangApp app)
{
    public const int PerMinute = 5;

    private static readonly string FakeKey = "tz_abcdefghijkl_" + new string('a', 40);

    public const string AddressHeader = "X-Test-Client-Address";

    /// <summary>An anonymous client at its own address (each test its own bucket).</summary>
    private HttpClient From(string address)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    [Fact]
    public async Task AMadeUpKeyOfTheRightShape_IsRefused_AndTakesNothingOutOfTheAnonymousBucket()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var code = (await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "路灯不亮"))).TrackingCode();
        var anonymous = From("10.9.0.1");
        // The made-up key tells nothing about the code …
        using (var fake = await anonymous.GetAsync($"/open311/v2/tokens/{code}.json?api_key={FakeKey}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, fake.StatusCode);
        }
        // … and, however often it is sent, the address's anonymous lookups stay limited.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute * 3; i++)
        {
            using var r = await anonymous.GetAsync($"/open311/v2/tokens/{code}.json" + (i % 2 == 0 ? $"?api_key={FakeKey}" : ""));
            statuses.Add(r.StatusCode);
        }
        Assert.All(statuses.Where((_, i) => i % 2 == 0), s => Assert.Equal(HttpStatusCode.Forbidden, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= PerMinute, string.Join(",", statuses));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task ManyIdsInOneAnonymousRequest_CostOneLookupEach()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var town = app.SharedClientAs("town");
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await town.RegisterAsync(CaseApi.NewCase(title: "路灯不亮 " + i))).TrackingCode());
        }
        var anonymous = From("10.9.0.2");
        // Three codes: three of the five lookups a minute.
        using (var three = await anonymous.GetAsync("/open311/v2/requests.json?service_request_id=" + string.Join(',', codes)))
        {
            Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        }
        // Three more do not fit in what is left of the minute; more than a minute's worth never does.
        using (var more = await anonymous.GetAsync("/open311/v2/requests.json?service_request_id=" + string.Join(',', codes)))
        {
            Assert.True(more.StatusCode == HttpStatusCode.TooManyRequests, await more.Content.ReadAsStringAsync());
        }
        const string digits = "23456789AB";
        var guesses = Enumerable.Range(0, 100).Select(i => $"ZZZZ-{digits[i / 10]}{digits[i % 10]}ZZ").ToArray();
        using (var hundred = await From("10.9.0.3").GetAsync("/open311/v2/requests.json?service_request_id=" + string.Join(',', guesses)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, hundred.StatusCode);
        }
    }
}

public sealed class Open311LookupLimitedSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Open311PerMinute", Open311LookupLimitTests.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, AddressFromHeader>());
    }
}

public sealed class Open311LookupLimitedPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Open311PerMinute", Open311LookupLimitTests.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, AddressFromHeader>());
    }
}

/// <summary>The test's address header as the connection's remote address.</summary>
internal sealed class AddressFromHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (IPAddress.TryParse(http.Request.Headers[Open311LookupLimitTests.AddressHeader].ToString(), out var address))
            {
                http.Connection.RemoteIpAddress = address;
            }
            return nextMiddleware(http);
        });
        next(app);
    };
}

public sealed class Open311LookupLimitTests_Sqlite(Open311LookupLimitedSqliteApp app) : Open311LookupLimitTests(app), IClassFixture<Open311LookupLimitedSqliteApp>;

public sealed class Open311LookupLimitTests_Postgres(Open311LookupLimitedPostgresApp app) : Open311LookupLimitTests(app), IClassFixture<Open311LookupLimitedPostgresApp>;
