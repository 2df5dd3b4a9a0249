using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Open311;

/// <summary>
/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) at /open311/v2: every method in .json and .xml,
/// checked against the element names and values of the specification's own examples; creating through
/// an api_key into the ledger, repeats creating nothing, the spec's errors, and what an anonymous caller
/// never sees.
/// </summary>
public abstract class Open311Tests(TaizhangApp app)
{
    private const string Base = "/open311/v2";

    /// <summary>The fields of a request in GET Service Requests, in the specification's order.</summary>
    private static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
        "lat", "long", "media_url",
    ];

    private static readonly string[] ServiceFields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];

    // ---- discovery, services, definitions ----

    [Fact]
    public async Task Discovery_InJsonAndXml_HasTheSpecsFields_AndNamesThisEndpoint()
    {
        var client = app.AnonymousClient();
        var (json, _) = await GetJsonAsync(client, "/discovery.json");
        var d = json.AsObject();
        Assert.Equal(["changeset", "contact", "key_service", "endpoints"], d.Select(p => p.Key));
        Assert.False(string.IsNullOrWhiteSpace(d["contact"]!.GetValue<string>()));
        Assert.Contains("/admin/api-clients", d["key_service"]!.GetValue<string>(), StringComparison.Ordinal);
        var endpoint = Assert.Single(d["endpoints"]!.AsArray())!.AsObject();
        Assert.Equal(["specification", "url", "changeset", "type", "formats"], endpoint.Select(p => p.Key));
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint["specification"]!.GetValue<string>());
        Assert.Equal("http://localhost/open311/v2", endpoint["url"]!.GetValue<string>());
        Assert.Equal("production", endpoint["type"]!.GetValue<string>());
        Assert.Equal(["text/xml", "application/json"], endpoint["formats"]!.AsArray().Select(f => f!.GetValue<string>()));

        var xml = await GetXmlAsync(client, "/discovery.xml");
        Assert.Equal("discovery", xml.Root!.Name.LocalName);
        Assert.Equal(d["changeset"]!.GetValue<string>(), xml.Root.Element("changeset")!.Value);
        var x = xml.Root.Element("endpoints")!.Elements("endpoint").Single();
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", x.Element("specification")!.Value);
        Assert.Equal(["text/xml", "application/json"], x.Element("formats")!.Elements("format").Select(f => f.Value));
    }

    [Fact]
    public async Task Services_ListEveryCategory_AsTheSpecsServiceElements_ChineseNamesAsTheyAre()
    {
        var client = app.AnonymousClient();
        var (json, _) = await GetJsonAsync(client, "/services.json");
        var services = json.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(14, services.Count);
        Assert.All(services, s => Assert.Equal(ServiceFields, s.Select(p => p.Key)));
        var roads = services.Single(s => s["service_code"]!.GetValue<string>() == "roads");
        Assert.Equal("道路交通", roads["service_name"]!.GetValue<string>());
        Assert.True(roads["metadata"]!.GetValue<bool>());
        Assert.Equal("realtime", roads["type"]!.GetValue<string>());
        Assert.Equal("民生诉求", roads["group"]!.GetValue<string>());
        Assert.Equal("矛盾纠纷", services.Single(s => s["service_code"]!.GetValue<string>() == "dispute-family")["group"]!.GetValue<string>());

        var xml = await GetXmlAsync(client, "/services.xml");
        Assert.Equal("services", xml.Root!.Name.LocalName);
        var items = xml.Root.Elements("service").ToList();
        Assert.Equal(14, items.Count);
        var water = items.Single(s => s.Element("service_code")!.Value == "water");
        Assert.Equal(ServiceFields, water.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("饮水安全", water.Element("service_name")!.Value);
        Assert.Equal("true", water.Element("metadata")!.Value);
    }

    [Fact]
    public async Task ServiceDefinition_OffersTheVillageAttribute_WithTheTownsVillages_AndAnUnknownCodeIs404()
    {
        var client = app.AnonymousClient();
        var (json, _) = await GetJsonAsync(client, "/services/roads.json");
        Assert.Equal("roads", json["service_code"]!.GetValue<string>());
        var attribute = Assert.Single(json["attributes"]!.AsArray())!.AsObject();
        Assert.Equal(["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"], attribute.Select(p => p.Key));
        Assert.True(attribute["variable"]!.GetValue<bool>());
        Assert.Equal("village", attribute["code"]!.GetValue<string>());
        Assert.Equal("singlevaluelist", attribute["datatype"]!.GetValue<string>());
        Assert.False(attribute["required"]!.GetValue<bool>());
        Assert.Equal(1, attribute["order"]!.GetValue<int>());
        var values = attribute["values"]!.AsArray().Select(v => (v!["key"]!.GetValue<string>(), v["name"]!.GetValue<string>())).ToList();
        Assert.Contains(("SCH-MJC", "马家村"), values);
        Assert.Contains(("SCH-WJC", "王家村"), values);
        // Villages and communities only: no groups, no partner units.
        Assert.DoesNotContain(values, v => v.Item1.EndsWith("-1", StringComparison.Ordinal) || v.Item1 == "SCH-SFS");

        var xml = await GetXmlAsync(client, "/services/roads.xml");
        Assert.Equal("service_definition", xml.Root!.Name.LocalName);
        Assert.Equal("roads", xml.Root.Element("service_code")!.Value);
        var a = xml.Root.Element("attributes")!.Elements("attribute").Single();
        Assert.Equal("singlevaluelist", a.Element("datatype")!.Value);
        var mjc = a.Element("values")!.Elements("value").Single(v => v.Element("key")!.Value == "SCH-MJC");
        Assert.Equal("马家村", mjc.Element("name")!.Value);

        await AssertErrorAsync(await client.GetAsync(Base + "/services/no-such.json"), HttpStatusCode.NotFound, "json");
        await AssertErrorAsync(await client.GetAsync(Base + "/services/no-such.xml"), HttpStatusCode.NotFound, "xml");
        await AssertErrorAsync(await client.GetAsync(Base + "/services.html"), HttpStatusCode.BadRequest, "xml");
        await AssertErrorAsync(await client.GetAsync(Base + "/nothing-here.json"), HttpStatusCode.NotFound, "json");
    }

    // ---- POST Service Request ----

    [Fact]
    public async Task Post_RegistersACase_OnTheOpen311Channel_AsTheClient_SeenByTheTownClerk()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var client = app.AnonymousClient();
        using var response = await client.PostAsync(Base + "/requests.json", Form(key, ("service_code", "roads"), ("lat", "34.8431"),
            ("long", "104.4721"), ("address_string", "马家村村口桥头"), ("description", "村口的桥栏杆断了\n晚上很危险"),
            ("first_name", "三"), ("last_name", "张"), ("phone", "13800001111"), ("email", "zs@example.com"), ("attribute[village]", "SCH-MJC")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var answer = Assert.Single(JsonNode.Parse(text)!.AsArray())!.AsObject();
        Assert.Equal(["service_request_id", "service_notice", "account_id"], answer.Select(p => p.Key));
        var code = answer["service_request_id"]!.GetValue<string>();
        Assert.Matches("^[2-9A-Z]{4}-[2-9A-Z]{4}$", code);
        Assert.Null(answer["account_id"]);
        var notice = answer["service_notice"]!.GetValue<string>();
        Assert.Contains(code, notice, StringComparison.Ordinal);
        Assert.Contains("/track/" + code, notice, StringComparison.Ordinal);
        Assert.Matches("评价码 [0-9]{8}", notice);

        // The town clerk finds it in the ledger, on the Open311 channel, registered by the client.
        var town = app.SharedClientAs("town");
        var page = await town.ListAsync("channel=Open311&q=" + Uri.EscapeDataString(code));
        var id = Assert.Single(page.ItemIds());
        var c = await town.GetCaseAsync(id);
        Assert.Equal("Open311", c["channel"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", c["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("roads", c["category"]!["code"]!.GetValue<string>());
        Assert.Equal("村口的桥栏杆断了", c["title"]!.GetValue<string>());
        Assert.Equal("村口的桥栏杆断了\n晚上很危险", c["description"]!.GetValue<string>());
        Assert.Equal("马家村村口桥头", c["location"]!["address"]!.GetValue<string>());
        Assert.Equal(34.8431, c["location"]!["lat"]!.GetValue<double>(), 6);
        Assert.Equal(104.4721, c["location"]!["lng"]!.GetValue<double>(), 6);
        var reporter = Assert.Single(c["reporters"]!.AsArray())!;
        Assert.Equal("张三", reporter["name"]!.GetValue<string>());
        Assert.DoesNotContain("zs@example.com", c.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("ApiClient", c.Events()[0]!["actor"]!["kind"]!.GetValue<string>());

        // XML: the spec's <service_requests><request> with the same fields; without a village, the client's unit.
        using var xmlResponse = await client.PostAsync(Base + "/requests.xml", Form(key, ("service_code", "water"), ("address_id", "A-100")));
        var xmlText = await xmlResponse.Content.ReadAsStringAsync();
        Assert.True(xmlResponse.StatusCode == HttpStatusCode.OK, xmlText);
        var xml = ParseXml(xmlResponse, xmlText);
        Assert.Equal("service_requests", xml.Root!.Name.LocalName);
        var request = xml.Root.Elements("request").Single();
        Assert.Equal(["service_request_id", "service_notice", "account_id"], request.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(string.Empty, request.Element("account_id")!.Value);
        var second = await town.GetCaseAsync(Assert.Single((await town.ListAsync("q=" + request.Element("service_request_id")!.Value)).ItemIds()));
        Assert.Equal("SCH", second["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("饮水安全（提交时未附说明）", second["description"]!.GetValue<string>());
        Assert.True(second["anonymous"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Post_Replayed_WithTheSameIdempotencyKey_OrTheSameDevicesSameReport_AnswersTheSameId_AndCreatesNothing()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var client = app.AnonymousClient();
        var before = await CountOpen311Async();

        async Task<(string Id, string Notice, bool Replayed)> PostAsync(string? idempotencyKey, params (string, string)[] fields)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Base + "/requests.json") { Content = Form(key, fields) };
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var a = JsonNode.Parse(text)![0]!;
            return (a["service_request_id"]!.GetValue<string>(), a["service_notice"]!.GetValue<string>(), response.Headers.Contains("Idempotent-Replayed"));
        }

        var first = await PostAsync("app-retry-1", ("service_code", "roads"), ("address_string", "王家村"), ("description", "重试的请求"));
        var again = await PostAsync("app-retry-1", ("service_code", "roads"), ("address_string", "王家村"), ("description", "重试的请求"));
        Assert.Equal(first.Id, again.Id);
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        // The same rating code again for the same request (derived from the key), so a lost answer loses nothing.
        Assert.Equal(RatingCode(first.Notice), RatingCode(again.Notice));
        Assert.Equal(before + 1, await CountOpen311Async());

        // Without a header: the same device's word-for-word retry is the same request.
        (string, string)[] fromDevice = [("service_code", "environment"), ("lat", "34.84"), ("long", "104.47"), ("description", "垃圾没人清运"), ("device_id", "dev-42")];
        var byDevice = await PostAsync(null, fromDevice);
        var byDeviceAgain = await PostAsync(null, fromDevice);
        Assert.Equal(byDevice.Id, byDeviceAgain.Id);
        Assert.Equal(before + 2, await CountOpen311Async());
        // Another report from that device is another request; the next day, the same report is a new one.
        var other = await PostAsync(null, [.. fromDevice[..^2], ("description", "另一处垃圾"), ("device_id", "dev-42")]);
        Assert.NotEqual(byDevice.Id, other.Id);
        app.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await PostAsync(null, fromDevice);
        Assert.NotEqual(byDevice.Id, nextDay.Id);
        Assert.Equal(before + 4, await CountOpen311Async());

        // The same key for another matter is refused, and stores nothing.
        using var reused = new HttpRequestMessage(HttpMethod.Post, Base + "/requests.json")
        {
            Content = Form(key, ("service_code", "water"), ("address_string", "别处"), ("description", "另一件事")),
        };
        reused.Headers.Add("Idempotency-Key", "app-retry-1");
        await AssertErrorAsync(await client.SendAsync(reused), HttpStatusCode.BadRequest, "json");
        Assert.Equal(before + 4, await CountOpen311Async());
    }

    [Fact]
    public async Task Post_WithoutServiceCodeOrLocation_OrWithBadValues_Is400_InTheSpecsErrorFormat_AndStoresNothing()
    {
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var client = app.AnonymousClient();
        var before = await CountOpen311Async();
        (string, string)[][] bad =
        [
            [("address_string", "马家村")],
            [("service_code", "roads")],
            [("service_code", "roads"), ("lat", "34.8")],
            [("service_code", "roads"), ("lat", "134.8"), ("long", "104")],
            [("service_code", "roads"), ("lat", "NaN"), ("long", "104")],
            [("service_code", "roads"), ("address_string", "x"), ("attribute[village]", "NOPE")],
            [("service_code", "roads"), ("address_string", "x"), ("phone", "12345")],
            [("service_code", "roads"), ("address_string", "x"), ("description", new string('长', 4001))],
        ];
        foreach (var fields in bad)
        {
            foreach (var format in new[] { "json", "xml" })
            {
                await AssertErrorAsync(await client.PostAsync($"{Base}/requests.{format}", Form(key, fields)), HttpStatusCode.BadRequest, format);
            }
        }
        await AssertErrorAsync(await client.PostAsync(Base + "/requests.json", Form(key, ("service_code", "no-such"), ("address_string", "x"))),
            HttpStatusCode.NotFound, "json");
        // Not a form: the spec's body is form-encoded.
        await AssertErrorAsync(await client.PostAsync(Base + "/requests.json",
            new StringContent("{\"api_key\":\"" + key + "\",\"service_code\":\"roads\"}", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "json");
        Assert.Equal(before, await CountOpen311Async());

        // The same in multipart/form-data, which some clients send, is accepted.
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(key), "api_key" }, { new StringContent("roads"), "service_code" }, { new StringContent("马家村小学门口"), "address_string" },
        };
        using var ok = await client.PostAsync(Base + "/requests.json", multipart);
        Assert.True(ok.StatusCode == HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await CountOpen311Async());
    }

    [Fact]
    public async Task Post_WithAMissingUnknownRevokedOrExpiredKey_OrAClientWithoutTheOpen311Channel_Is403_AndStoresNothing()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var client = app.AnonymousClient();
        var (revokedId, _, revoked) = await app.AddApiClientAsync(channels: "Open311");
        var (expiredId, _, expired) = await app.AddApiClientAsync(channels: "Open311");
        var (_, _, hotlineOnly) = await app.AddApiClientAsync(channels: "Hotline,WeChat");
        var (_, _, valid) = await app.AddApiClientAsync(channels: "Open311");
        await app.WithDbAsync(async db =>
        {
            (await db.ApiClients.FindAsync(revokedId))!.RevokedAt = TaizhangApp.Start.UtcDateTime;
            (await db.ApiClients.FindAsync(expiredId))!.ExpiresAt = TaizhangApp.Start.UtcDateTime.AddMinutes(-1);
            return await db.SaveChangesAsync();
        });
        var before = await CountOpen311Async();
        var forged = valid[..^4] + (valid[^4..] == "AAAA" ? "BBBB" : "AAAA");
        foreach (var key in new[] { null, "", "nonsense", forged, revoked, expired, hotlineOnly })
        {
            foreach (var format in new[] { "json", "xml" })
            {
                var fields = new List<KeyValuePair<string, string>> { new("service_code", "roads"), new("address_string", "马家村") };
                if (key is not null)
                {
                    fields.Add(new("api_key", key));
                }
                var error = await AssertErrorAsync(await client.PostAsync($"{Base}/requests.{format}", new FormUrlEncodedContent(fields)),
                    HttpStatusCode.Forbidden, format);
                Assert.Contains("api_key", error, StringComparison.Ordinal);
            }
            // A bad key on a read is refused too (it is not read as anonymous).
            if (!string.IsNullOrEmpty(key))
            {
                await AssertErrorAsync(await client.GetAsync($"{Base}/requests.json?api_key={Uri.EscapeDataString(key)}"), HttpStatusCode.Forbidden, "json");
            }
        }
        Assert.Equal(before, await CountOpen311Async());
        // A staff cookie is no api_key: Open311 does not register for signed-in people.
        await AssertErrorAsync(await app.SharedClientAs("town").PostAsync(Base + "/requests.json",
            new FormUrlEncodedContent([new("service_code", "roads"), new("address_string", "马家村")])), HttpStatusCode.Forbidden, "json");
        Assert.Equal(before, await CountOpen311Async());
    }

    // ---- GET Service Requests, GET Service Request, tokens ----

    [Fact]
    public async Task Get_Anonymous_ShowsOnlyPublicFields_AKeyHolderSeesDescriptionAndPlace_OnlyOfItsOwnRequests()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, townKey) = await app.AddApiClientAsync(channels: "Open311");
        var (_, _, wjcKey) = await app.AddApiClientAsync(unit: "SCH-WJC", channels: "Open311");
        var code = await PostCodeAsync(townKey, ("service_code", "safety"), ("lat", "34.85"), ("long", "104.48"),
            ("address_string", "马家村三组李家门前"), ("description", "电线杆倾斜私密描述"), ("first_name", "秀英"), ("last_name", "王"),
            ("phone", "13698765432"), ("media_url", "https://img.example.com/p/1.jpg"), ("attribute[village]", "SCH-MJC"));
        var anonymous = app.AnonymousClient();

        foreach (var url in new[] { $"/requests/{code}.json", $"/requests.json?service_request_id={code}", "/requests.json" })
        {
            var (json, text) = await GetJsonAsync(anonymous, url);
            var r = json.AsArray().Select(x => x!.AsObject()).Single(x => x["service_request_id"]!.GetValue<string>() == code);
            Assert.Equal(RequestFields, r.Select(p => p.Key));
            Assert.Null(r["description"]);
            Assert.Null(r["address"]);
            Assert.Null(r["lat"]);
            Assert.Null(r["long"]);
            Assert.Null(r["media_url"]);
            Assert.Equal("open", r["status"]!.GetValue<string>());
            Assert.Equal("安全隐患", r["service_name"]!.GetValue<string>());
            foreach (var secret in new[] { "私密描述", "王秀英", "秀英", "13698765432", "1369876", "李家门前", "img.example.com", "34.85" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
            Assert.DoesNotMatch("[^0-9][0-9]{8}[^0-9]", text.Replace(code, "", StringComparison.Ordinal)
                .Replace("2026-", "", StringComparison.Ordinal)); // no rating code
        }
        var xmlText = (await GetXmlAsync(anonymous, $"/requests/{code}.xml")).ToString();
        Assert.DoesNotContain("私密描述", xmlText, StringComparison.Ordinal);
        Assert.DoesNotContain("13698765432", xmlText, StringComparison.Ordinal);

        // The town's client sees what the ledger holds for its town; 王家村's client sees only the public fields of 马家村's case.
        var (own, ownText) = await GetJsonAsync(anonymous, $"/requests/{code}.json?api_key={Uri.EscapeDataString(townKey)}");
        var o = own[0]!.AsObject();
        Assert.StartsWith("电线杆倾斜私密描述", o["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("马家村三组李家门前", o["address"]!.GetValue<string>());
        Assert.Equal(34.85, o["lat"]!.GetValue<double>(), 6);
        Assert.Equal(104.48, o["long"]!.GetValue<double>(), 6);
        Assert.DoesNotContain("13698765432", ownText, StringComparison.Ordinal);
        Assert.DoesNotContain("王秀英", ownText, StringComparison.Ordinal);
        var (other, _) = await GetJsonAsync(anonymous, $"/requests/{code}.json?api_key={Uri.EscapeDataString(wjcKey)}");
        Assert.Null(other[0]!["description"]);
        Assert.Null(other[0]!["lat"]);

        // A matter told at the hotline of the same town: the town's Open311 key reads its public fields only (an app
        // reads back what its own users sent, never what residents told the office through other channels).
        var counter = await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "柜台登记的私密事项"));
        var counterCode = counter["trackingCode"]!.GetValue<string>();
        var (theirs, theirsText) = await GetJsonAsync(anonymous, $"/requests/{counterCode}.json?api_key={Uri.EscapeDataString(townKey)}");
        Assert.Null(theirs[0]!["description"]);
        Assert.Null(theirs[0]!["address"]);
        Assert.DoesNotContain("柜台登记的私密事项", theirsText, StringComparison.Ordinal);
        // 王家村's key lists only what its unit may see: not 马家村's case.
        var (wjcList, _) = await GetJsonAsync(anonymous, $"/requests.json?api_key={Uri.EscapeDataString(wjcKey)}");
        Assert.DoesNotContain(wjcList.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == code);
        var (townList, _) = await GetJsonAsync(anonymous, $"/requests.json?api_key={Uri.EscapeDataString(townKey)}");
        Assert.Contains(townList.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == code);
    }

    [Fact]
    public async Task Get_FollowsTheCase_OpenThenClosed_WithTheRicherStatusInChinese_AndDatesWithTheShanghaiOffset()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var code = await PostCodeAsync(key, ("service_code", "water"), ("address_string", "马家村"), ("attribute[village]", "SCH-MJC"));
        var town = app.SharedClientAs("town");
        var id = Assert.Single((await town.ListAsync("q=" + code)).ItemIds());
        var anonymous = app.AnonymousClient();

        var (json, _) = await GetJsonAsync(anonymous, $"/requests/{code}.json");
        var r = json[0]!;
        Assert.Equal("open", r["status"]!.GetValue<string>());
        Assert.Equal("已登记，等待分流", r["status_notes"]!.GetValue<string>());
        Assert.Equal("三岔镇", r["agency_responsible"]!.GetValue<string>());
        Assert.Equal("2026-11-26T10:00:00+08:00", r["requested_datetime"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$", r["expected_datetime"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromHours(1));
        await town.DoAsync(id, "triage", new { track = "Direct", urgency = "High", category = "water", assigneeUnit = "SCH-MJC" });
        (json, _) = await GetJsonAsync(anonymous, $"/requests/{code}.json");
        Assert.Equal("open", json[0]!["status"]!.GetValue<string>());
        Assert.Equal("已转交马家村办理", json[0]!["status_notes"]!.GetValue<string>());
        Assert.Equal("马家村", json[0]!["agency_responsible"]!.GetValue<string>());
        Assert.Equal("2026-11-26T11:00:00+08:00", json[0]!["updated_datetime"]!.GetValue<string>());

        await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "内部办理记录：已更换水管" });
        var xml = await GetXmlAsync(anonymous, $"/requests/{code}.xml");
        var request = xml.Root!.Elements("request").Single();
        Assert.Equal(RequestFields, request.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("closed", request.Element("status")!.Value);
        Assert.Equal("已办结（已解决），等待回访", request.Element("status_notes")!.Value);
        Assert.DoesNotContain("内部办理记录", xml.ToString(), StringComparison.Ordinal);

        // English on request.
        (json, _) = await GetJsonAsync(anonymous, $"/requests/{code}.json?culture=en");
        Assert.Equal("Resolved (Solved), waiting for the return visit", json[0]!["status_notes"]!.GetValue<string>());

        // Unknown or malformed ids are the spec's 404.
        await AssertErrorAsync(await anonymous.GetAsync(Base + "/requests/2222-2222.json"), HttpStatusCode.NotFound, "json");
        await AssertErrorAsync(await anonymous.GetAsync(Base + "/requests/42.xml"), HttpStatusCode.NotFound, "xml");
    }

    [Fact]
    public async Task Get_Requests_DefaultsToTheLast90Days_TakesADateWindowStatusAndServiceCode_AndPagesNewestFirst()
    {
        // A stretch of time no other test of this class registers in.
        var t = TaizhangApp.Start.AddDays(400);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        app.Clock.SetUtcNow(t.AddDays(-100));
        var old = await PostCodeAsync(key, ("service_code", "agriculture"), ("address_string", "旧的"));
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.SetUtcNow(t.AddDays(i));
            codes.Add(await PostCodeAsync(key, ("service_code", "agriculture"), ("address_string", "新的 " + i)));
        }
        app.Clock.SetUtcNow(t.AddDays(2).AddHours(1));
        var anonymous = app.AnonymousClient();
        string[] Ids(JsonNode list) => list.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()).ToArray();

        // Default: the most recent 90 days, newest first.
        var (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture");
        Assert.Equal([codes[2], codes[1], codes[0]], Ids(json));
        // start_date alone: 90 days from it; both: exactly that window (offsets honoured).
        (json, _) = await GetJsonAsync(anonymous, $"/requests.json?service_code=agriculture&start_date={Uri.EscapeDataString(t.AddDays(-101).ToString("yyyy-MM-ddTHH:mm:ssZ"))}");
        Assert.Equal([old], Ids(json));
        var shanghai = t.ToOffset(TimeSpan.FromHours(8));
        (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture"
            + "&start_date=" + Uri.EscapeDataString(shanghai.AddHours(12).ToString("yyyy-MM-ddTHH:mm:sszzz"))
            + "&end_date=" + Uri.EscapeDataString(shanghai.AddDays(2).AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz")));
        Assert.Equal([codes[1]], Ids(json));
        // Paging (the common extension).
        (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture&page_size=2");
        Assert.Equal([codes[2], codes[1]], Ids(json));
        (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture&page_size=2&page=2");
        Assert.Equal([codes[0]], Ids(json));
        // Status.
        (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture&status=closed");
        Assert.Empty(json.AsArray());
        (json, _) = await GetJsonAsync(anonymous, "/requests.json?service_code=agriculture&status=open,closed");
        Assert.Equal(3, json.AsArray().Count);
        // Explicit ids override everything else, the window too.
        (json, _) = await GetJsonAsync(anonymous, $"/requests.json?service_request_id={old},{codes[0].ToLowerInvariant()}&status=closed&service_code=water");
        Assert.Equal([codes[0], old], Ids(json));

        foreach (var bad in new[]
        {
            "start_date=" + Uri.EscapeDataString(t.AddDays(-100).ToString("yyyy-MM-ddTHH:mm:ssZ")) + "&end_date=" + Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ")),
            "start_date=2027-02-01T00:00:00Z&end_date=2027-01-01T00:00:00Z",
            "start_date=yesterday", "end_date=2027-13-45", "status=pending", "page=0", "page_size=1001", "page_size=-1", "page=x",
        })
        {
            await AssertErrorAsync(await anonymous.GetAsync(Base + "/requests.json?" + bad), HttpStatusCode.BadRequest, "json");
        }
        await AssertErrorAsync(await anonymous.GetAsync(Base + "/requests.xml?service_code=nope"), HttpStatusCode.NotFound, "xml");
    }

    [Fact]
    public async Task Get_Listing_LeavesOutPetitionsAndDisputes_WhichAnswerOnlyToTheirId()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-30));
        var town = app.SharedClientAs("town");
        var petition = (await town.RegisterAsync(CaseApi.NewCase(title: "信访事项", channel: "Petition"))).TrackingCode();
        var dispute = (await town.RegisterAsync(CaseApi.NewCase(title: "邻里纠纷", category: "dispute-neighbour"))).TrackingCode();
        var ordinary = (await town.RegisterAsync(CaseApi.NewCase(title: "路灯不亮", category: "infrastructure"))).TrackingCode();
        var anonymous = app.AnonymousClient();
        var (json, _) = await GetJsonAsync(anonymous, "/requests.json");
        var listed = json.AsArray().Select(r => r!["service_request_id"]!.GetValue<string>()).ToList();
        Assert.Contains(ordinary, listed);
        Assert.DoesNotContain(petition, listed);
        Assert.DoesNotContain(dispute, listed);
        (json, _) = await GetJsonAsync(anonymous, $"/requests/{dispute}.json");
        Assert.Equal("邻里纠纷", json[0]!["service_name"]!.GetValue<string>());
        (json, _) = await GetJsonAsync(anonymous, $"/requests.json?service_request_id={petition}");
        Assert.Single(json.AsArray());
    }

    [Fact]
    public async Task Tokens_AnswerTheRequestId_InTheSpecsShape()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var code = await PostCodeAsync(key, ("service_code", "policy"), ("address_string", "镇政府"));
        var anonymous = app.AnonymousClient();
        var (json, _) = await GetJsonAsync(anonymous, $"/tokens/{code}.json");
        var t = Assert.Single(json.AsArray())!.AsObject();
        Assert.Equal(["service_request_id", "token"], t.Select(p => p.Key));
        Assert.Equal(code, t["service_request_id"]!.GetValue<string>());
        Assert.Equal(code, t["token"]!.GetValue<string>());
        var xml = await GetXmlAsync(anonymous, $"/tokens/{code}.xml");
        Assert.Equal(code, xml.Root!.Element("request")!.Element("service_request_id")!.Value);
        await AssertErrorAsync(await anonymous.GetAsync(Base + "/tokens/2222-3333.json"), HttpStatusCode.NotFound, "json");
    }

    [Fact]
    public async Task Xml_And_Json_CarryChineseAndMarkupCharacters_Exactly()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        const string description = "村口<script>alert(\"x\")</script> & 'AT&T' ]]> 路灯坏了 𠀀";
        var code = await PostCodeAsync(key, ("service_code", "infrastructure"), ("address_string", "<b>马家村</b> & 二组"), ("description", description));
        var anonymous = app.AnonymousClient();
        var keyed = $"?api_key={Uri.EscapeDataString(key)}";

        using var response = await anonymous.GetAsync($"{Base}/requests/{code}.xml{keyed}");
        var raw = await response.Content.ReadAsStringAsync();
        var xml = ParseXml(response, raw);
        var request = xml.Root!.Element("request")!;
        Assert.Equal(description, request.Element("description")!.Value);
        Assert.Equal("<b>马家村</b> & 二组", request.Element("address")!.Value);
        Assert.Contains("&lt;script&gt;", raw, StringComparison.Ordinal);
        Assert.Contains("&amp; 'AT&amp;T'", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        // Chinese is written as UTF-8 text, not as character references.
        Assert.Contains("路灯坏了", raw, StringComparison.Ordinal);
        Assert.Contains("𠀀", raw, StringComparison.Ordinal);

        var (json, _) = await GetJsonAsync(anonymous, $"/requests/{code}.json{keyed}");
        Assert.Equal(description, json[0]!["description"]!.GetValue<string>());
        Assert.Equal("<b>马家村</b> & 二组", json[0]!["address"]!.GetValue<string>());
    }

    // ---- helpers ----

    private async Task<int> CountOpen311Async() =>
        await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Cases.Where(c => c.Channel == Taizhang.Domain.Cases.Channel.Open311)));

    private async Task<string> PostCodeAsync(string key, params (string, string)[] fields)
    {
        using var response = await app.AnonymousClient().PostAsync(Base + "/requests.json", Form(key, fields));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)![0]!["service_request_id"]!.GetValue<string>();
    }

    private static FormUrlEncodedContent Form(string key, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Prepend(new("api_key", key)));

    private static string? RatingCode(string notice) =>
        System.Text.RegularExpressions.Regex.Match(notice, "评价码 ([0-9]{8})") is { Success: true } m ? m.Groups[1].Value : null;

    private static async Task<(JsonNode Json, string Text)> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(Base + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        return (JsonNode.Parse(text)!, text);
    }

    private static async Task<XDocument> GetXmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(Base + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        return ParseXml(response, text);
    }

    /// <summary>The spec's XML: text/xml in UTF-8, the declaration first, no namespace.</summary>
    private static XDocument ParseXml(HttpResponseMessage response, string text)
    {
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        var doc = XDocument.Parse(text);
        Assert.Equal(XNamespace.None, doc.Root!.Name.Namespace);
        return doc;
    }

    /// <summary>The spec's error list: [{"code":…,"description":…}] or &lt;errors&gt;&lt;error&gt;&lt;code&gt;…; returns the descriptions.</summary>
    private static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string format)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: expected {status}, got {response.StatusCode} {text}");
            if (format == "json")
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
                var errors = JsonNode.Parse(text)!.AsArray();
                Assert.NotEmpty(errors);
                Assert.All(errors, e =>
                {
                    Assert.Equal(["code", "description"], e!.AsObject().Select(p => p.Key));
                    Assert.Equal((int)status, e["code"]!.GetValue<int>());
                    Assert.False(string.IsNullOrWhiteSpace(e["description"]!.GetValue<string>()));
                });
                return string.Join("\n", errors.Select(e => e!["description"]!.GetValue<string>()));
            }
            var xml = ParseXml(response, text);
            Assert.Equal("errors", xml.Root!.Name.LocalName);
            var items = xml.Root.Elements("error").ToList();
            Assert.NotEmpty(items);
            Assert.All(items, e =>
            {
                Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Element("code")!.Value);
                Assert.False(string.IsNullOrWhiteSpace(e.Element("description")!.Value));
            });
            return string.Join("\n", items.Select(e => e.Element("description")!.Value));
        }
    }
}

public sealed class Open311Tests_Sqlite(SqliteApp app) : Open311Tests(app), IClassFixture<SqliteApp>;

public sealed class Open311Tests_Postgres(PostgresApp app) : Open311Tests(app), IClassFixture<PostgresApp>;

/// <summary>Reads without an api_key are limited per client address, in a bucket of their own.</summary>
public abstract class Open311RateLimitTests(TaizhangApp app)
{
    public const int PerMinute = 5;

    [Fact]
    public async Task AnonymousReads_AreLimitedPerAddress_InTheirOwnBucket_KeyHoldersAndTrackingAreNot()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, _, key) = await app.AddApiClientAsync(channels: "Open311");
        var anonymous = app.AnonymousClient();
        // By default (Open311:AnonymousListing off, as this app runs) a listing needs a key: it would hand
        // out tracking codes. The refusal is the spec's error list; the key holder's listing below answers.
        using (var listing = await anonymous.GetAsync("/open311/v2/requests.json"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, listing.StatusCode);
            var errors = System.Text.Json.JsonDocument.Parse(await listing.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(403, errors[0].GetProperty("code").GetInt32());
            Assert.Contains("api_key", errors[0].GetProperty("description").GetString());
        }
        for (var i = 1; i < PerMinute; i++)
        {
            using var ok = await anonymous.GetAsync("/open311/v2/services.json");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await anonymous.GetAsync("/open311/v2/requests.xml");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // An empty or malformed api_key is no way around it.
        foreach (var fake in new[] { "", "x", "tz_short_key" })
        {
            using var still = await anonymous.GetAsync("/open311/v2/services.json?api_key=" + fake);
            Assert.Equal(HttpStatusCode.TooManyRequests, still.StatusCode);
        }
        Assert.True(refused.Headers.RetryAfter is not null || refused.Headers.Contains("Retry-After"));

        // The tracking page's bucket is another one; an integration with its key is not counted here.
        using var track = await anonymous.GetAsync("/api/v1/track/2222-2222");
        Assert.Equal(HttpStatusCode.NotFound, track.StatusCode);
        using var keyed = await anonymous.GetAsync("/open311/v2/requests.json?api_key=" + Uri.EscapeDataString(key));
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        using var post = await anonymous.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(
            [new("api_key", key), new("service_code", "roads"), new("address_string", "马家村")]));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }
}

public sealed class Open311LimitedSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Open311PerMinute", Open311RateLimitTests.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Open311:AnonymousListing", "false");
    }
}

public sealed class Open311LimitedPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:Open311PerMinute", Open311RateLimitTests.PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Open311:AnonymousListing", "false");
    }
}

public sealed class Open311RateLimitTests_Sqlite(Open311LimitedSqliteApp app) : Open311RateLimitTests(app), IClassFixture<Open311LimitedSqliteApp>;

public sealed class Open311RateLimitTests_Postgres(Open311LimitedPostgresApp app) : Open311RateLimitTests(app), IClassFixture<Open311LimitedPostgresApp>;
