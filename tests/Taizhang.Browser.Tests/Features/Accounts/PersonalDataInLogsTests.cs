using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Browser.Tests.Infrastructure;

namespace Taizhang.Browser.Tests.Features.Accounts;

/// <summary>
/// Residents' phone numbers never reach the server's log, at any level: the released app started
/// from another folder (it must still find its settings next to it) with every category at Trace,
/// through the hotline flow — registering with a phone, looking the caller up, searching the ledger
/// by the number, revealing it on the case — and then the whole console output is searched.
/// </summary>
public sealed class PersonalDataInLogsTests
{
    [Fact]
    public async Task TheHotlineFlow_AtTrace_LeavesNoPhoneNumberInTheLog()
    {
        var elsewhere = Directory.CreateTempSubdirectory("taizhang-cwd-");
        try
        {
            await using var server = await TaizhangServer.StartAsync(elsewhere.FullName,
                "--Demo:Cases=30",
                "--Logging:LogLevel:Default=Trace",
                "--Logging:LogLevel:Microsoft=Trace",
                "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
                "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Trace");
            var phone = "139" + Random.Shared.Next(10_000_000, 99_999_999);
            var http = await SignedInAsync(server, "operator");

            using (var registered = await http.PostAsJsonAsync("api/v1/cases", new
            {
                channel = "Hotline", title = "村口路灯不亮", description = "晚上出行不便。", orgUnit = "SCH-MJC",
                reporter = new { name = "李秀英", phone },
            }))
            {
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            }
            using (var lookup = await http.PostAsync("hotline/callers", new FormUrlEncodedContent([new("phone", phone)])))
            {
                Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
            }
            using (var search = await http.GetAsync($"api/v1/cases?q={phone}"))
            {
                Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            }
            var town = await SignedInAsync(server, "town");
            var id = (await town.GetFromJsonAsync<JsonObject>($"api/v1/cases?q={Uri.EscapeDataString("村口路灯不亮")}"))!["items"]![0]!["id"]!.GetValue<long>();
            using (var reveal = await town.PostAsync($"api/v1/cases/{id}/personal-data", null))
            {
                Assert.Contains(phone, await reveal.Content.ReadAsStringAsync());
            }

            var log = server.Output;
            // Trace was on: the log is full, not empty for a trivial reason.
            Assert.Contains("Executed DbCommand", log);
            Assert.DoesNotContain(phone, log);
            Assert.DoesNotContain(phone[3..], log);
            var mobiles = server.PhoneNumbersInOutput();
            Assert.True(mobiles.Count == 0, "phone numbers in the log: " + string.Join(", ", mobiles));
            // Started from another folder, the app read its own appsettings.json (its log levels, its calendar).
            Assert.DoesNotContain("no holiday calendar", log, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    private static async Task<HttpClient> SignedInAsync(TaizhangServer server, string who)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        using var signIn = await http.PostAsJsonAsync("api/v1/session", new { userName = who, password = TaizhangServer.DemoPassword });
        var json = await signIn.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(signIn.IsSuccessStatusCode, json?.ToJsonString());
        http.DefaultRequestHeaders.Add("X-XSRF-TOKEN", json!["antiforgeryToken"]!.GetValue<string>());
        return http;
    }
}
