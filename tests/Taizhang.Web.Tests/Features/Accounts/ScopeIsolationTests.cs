using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// One village's cases do not exist for another village's cadre: not in the ledger, not in its
/// counts, not by id, not by tracking code, not by any action. Partners see a case only while it
/// is theirs to handle.
/// </summary>
public abstract class ScopeIsolationTests(TaizhangApp app)
{
    [Fact]
    public async Task VillageCadre_CannotListCountReadActOnRevealOrFind_AnotherVillagesCases()
    {
        var town = app.SharedClientAs("town");
        var cadre = app.SharedClientAs("cadre");
        var marker = "王家村内部事项" + Guid.NewGuid().ToString("N")[..8];
        var externalRef = "WJC-" + Guid.NewGuid().ToString("N")[..10];
        var idempotencyKey = Guid.NewGuid().ToString();

        // A case of 王家村 for every route, each in a state where that route is legal, plus one
        // registered with an external reference and an idempotency key.
        var wjc = await CaseActionRoutes.PrepareManyAsync(town, CaseActionRoutes.All.Keys
            .Select(route => new CaseActionRoutes.Spec(route, "SCH-WJC", "SCH-WJC", false, $"{marker} {route}"))
            .ToList(), requester: app.SharedClientAs("town-desk"));
        var (hotline, _) = await app.IntegrationAsync("SCH");
        var keyed = await hotline.RegisterAsync(
            CaseApi.NewCase(title: marker + " 热线", orgUnit: "SCH-WJC", externalRef: externalRef), idempotencyKey);
        // (The merge route's case comes with a second 王家村 case to merge into.)
        var wjcIds = wjc.Select(p => p.Id).Concat(wjc.Select(p => p.SurvivorId).OfType<long>()).Append(keyed.Id()).ToArray();
        var wjcCodes = wjc.Select(p => p.TrackingCode).Append(keyed.TrackingCode()).ToArray();
        var own = await town.RegisterIdAsync(CaseApi.NewCase(title: "马家村自己的事项", orgUnit: "SCH-MJC"));

        // The town sees them, so the queries below are not empty for a trivial reason.
        Assert.Equal(wjcIds.Length, (await town.ListAsync("q=" + Uri.EscapeDataString(marker) + "&pageSize=200")).Total());
        Assert.Equal(wjcIds.Length, (await app.SharedClientAs("cadre-wjc").ListAsync("q=" + Uri.EscapeDataString(marker) + "&pageSize=200")).Total());

        // The ledger: no 王家村 case on any page or in any count, whatever the filter.
        var all = await cadre.ListAsync("pageSize=200");
        Assert.Contains(own, all.ItemIds());
        Assert.Empty(all.ItemIds().Intersect(wjcIds));
        Assert.Equal(all.ItemIds().Length, all.Total());
        Assert.All(all["items"]!.AsArray(), item => Assert.True(
            item!["orgUnit"]!["code"]!.GetValue<string>().StartsWith("SCH-MJC", StringComparison.Ordinal)
            || (item["assigneeUnit"]?["code"]?.GetValue<string>() ?? "").StartsWith("SCH-MJC", StringComparison.Ordinal),
            item.ToJsonString()));
        foreach (var query in new[]
        {
            "orgUnit=SCH-WJC",
            "orgUnit=SCH-WJC-1",
            "orgUnit=SCH",
            "q=" + Uri.EscapeDataString(marker),
            "q=" + Uri.EscapeDataString(marker + " triage"),
            "status=Registered,Triaged,Assigned,Resolved,Ledgered,Deliberating,Reopened&pageSize=200",
            "channel=Hotline&pageSize=200",
            "overdue=false&pageSize=200",
            "sort=-id&pageSize=200",
        })
        {
            var page = await cadre.ListAsync(query.Contains("pageSize", StringComparison.Ordinal) ? query : query + "&pageSize=200");
            Assert.Empty(page.ItemIds().Intersect(wjcIds));
            Assert.DoesNotContain(marker, page.ToJsonString());
            Assert.Equal(page.ItemIds().Length, page.Total());
            if (query.StartsWith("q=", StringComparison.Ordinal))
            {
                Assert.True(page.Total() == 0, $"{query}: {page}");
            }
            if (query.StartsWith("orgUnit=SCH-WJC", StringComparison.Ordinal))
            {
                // Only 王家村 cases given to 马家村 to handle (another test here makes one).
                Assert.All(page["items"]!.AsArray(), item => Assert.StartsWith("SCH-MJC", item!["assigneeUnit"]?["code"]?.GetValue<string>() ?? ""));
            }
        }
        // Tracking codes, however written, find nothing either.
        foreach (var code in wjcCodes)
        {
            foreach (var written in new[] { code, code.ToLowerInvariant(), code.Replace("-", "", StringComparison.Ordinal) })
            {
                var page = await cadre.ListAsync("q=" + Uri.EscapeDataString(written));
                Assert.Equal(0, page.Total());
                Assert.Empty(page["items"]!.AsArray());
            }
            Assert.Equal(1, (await town.ListAsync("q=" + Uri.EscapeDataString(code))).Total());
        }

        // Guessing ids: every 王家村 id answers exactly like an id that does not exist.
        var missing = wjcIds.Max() + 1_000_000;
        using var missingResponse = await cadre.GetAsync($"/api/v1/cases/{missing}");
        var notFound = await missingResponse.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        foreach (var id in wjcIds)
        {
            using var response = await cadre.GetAsync($"/api/v1/cases/{id}");
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
            Assert.Equal(notFound["title"]!.GetValue<string>(), problem["title"]!.GetValue<string>());
            Assert.DoesNotContain(marker, problem.ToJsonString());
        }

        // Every action with a valid body: on the case prepared for it (where it would be legal), and
        // on every other 王家村 case too.
        var routes = CaseActionRoutes.All.Keys.ToArray();
        for (var i = 0; i < wjc.Count; i++)
        {
            var before = await town.SnapshotAsync(wjc[i].Id);
            foreach (var route in routes)
            {
                var body = route == routes[i] ? wjc[i].Body : BodyFor(route, into: own);
                using var response = await cadre.ActAsync(wjc[i].Id, CaseActionRoutes.PathOf(route), body);
                var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
                Assert.DoesNotContain(marker, problem.ToJsonString());
            }
            await town.AssertUnchangedAsync(wjc[i].Id, before);
        }
        // Nobody outside 王家村 viewed its residents' data.
        foreach (var id in wjcIds)
        {
            Assert.DoesNotContain("ViewPersonalData", (await town.GetCaseAsync(id)).EventActions());
        }

        // Registering again with a 王家村 case's external reference or idempotency key does not hand it out.
        using (var repeat = await cadre.PostAsJsonAsync("/api/v1/cases",
            CaseApi.NewCase(title: "重复来电", orgUnit: "SCH-MJC", externalRef: externalRef)))
        {
            var json = await repeat.ReadJsonAsync();
            Assert.NotEqual(HttpStatusCode.OK, repeat.StatusCode);
            Assert.True(repeat.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity,
                $"{repeat.StatusCode}: {json}");
            Assert.DoesNotContain(keyed.TrackingCode(), json.ToJsonString());
            Assert.NotEqual(keyed.Id(), json["id"]?.GetValue<long>());
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases")
        {
            Content = JsonContent.Create(CaseApi.NewCase(title: marker + " 热线", orgUnit: "SCH-MJC")),
        })
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var replay = await cadre.SendAsync(request);
            var json = await replay.ReadJsonAsync();
            Assert.NotEqual(HttpStatusCode.OK, replay.StatusCode);
            Assert.DoesNotContain(keyed.TrackingCode(), json.ToJsonString());
            Assert.NotEqual(keyed.Id(), json["id"]?.GetValue<long>());
        }

        // The resident's public tracking view still works, anonymously, and shows nobody's data.
        var anonymous = app.AnonymousClient();
        foreach (var code in wjcCodes)
        {
            using var response = await anonymous.TrackAsync(code);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(code, text);
            Assert.DoesNotContain("张桂兰", text);
            Assert.DoesNotContain("13912345678", text);
            Assert.DoesNotContain("139", text);
            Assert.DoesNotContain("****", text);
        }
    }

    [Fact]
    public async Task VillageCadre_SeesAnotherVillagesCase_OnceAssignedToTheirVillage()
    {
        var town = app.SharedClientAs("town");
        var cadre = app.SharedClientAs("cadre");
        var title = "王家村交马家村协办 " + Guid.NewGuid().ToString("N")[..8];
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: title, orgUnit: "SCH-WJC"));

        using (var before = await cadre.GetAsync($"/api/v1/cases/{id}"))
        {
            await before.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.Equal(0, (await cadre.ListAsync("q=" + Uri.EscapeDataString(title))).Total());

        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

        var seen = await cadre.GetCaseAsync(id);
        Assert.Equal("SCH-WJC", seen["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", seen.AssigneeCode());
        Assert.Equal([id], (await cadre.ListAsync("q=" + Uri.EscapeDataString(title))).ItemIds());
        // And, being responsible for it now, may handle it.
        Assert.Equal("InProgress", (await cadre.DoAsync(id, "start")).Status());
    }

    [Fact]
    public async Task AgencyHandler_SeesCaseOnlyWhileAssignedToTheirUnit()
    {
        var town = app.SharedClientAs("town");
        var agency = app.SharedClientAs("agency");
        var title = "邻里宅基地纠纷 " + Guid.NewGuid().ToString("N")[..8];
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: title, orgUnit: "SCH-MJC", category: "dispute-neighbour"));

        using (var response = await agency.GetAsync($"/api/v1/cases/{id}"))
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.Equal(0, (await agency.ListAsync("q=" + Uri.EscapeDataString(title))).Total());

        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        Assert.Equal("SCH-SFS", (await agency.GetCaseAsync(id)).AssigneeCode());
        Assert.Equal([id], (await agency.ListAsync("q=" + Uri.EscapeDataString(title))).ItemIds());

        var returned = await agency.DoAsync(id, "return", new { reason = "属于村内事务，建议村里先调解" });
        Assert.Equal("Returned", returned.Status());

        using (var after = await agency.GetAsync($"/api/v1/cases/{id}"))
        {
            await after.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.Equal(0, (await agency.ListAsync("q=" + Uri.EscapeDataString(title))).Total());
        var snapshot = await town.SnapshotAsync(id);
        using (var again = await agency.ActAsync(id, "reporters", new { name = "王大伟", phone = "13511112222" }))
        {
            await again.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        await town.AssertUnchangedAsync(id, snapshot);
        Assert.Equal("Returned", snapshot.Status);
    }

    [Fact]
    public async Task AgencyHandler_DoesNotSeeCasesOfAnotherPartner()
    {
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "打架斗殴", orgUnit: "SCH-MJC"));
        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-PCS" });

        Assert.Equal("SCH-PCS", (await app.SharedClientAs("police").GetCaseAsync(id)).AssigneeCode());
        using var response = await app.SharedClientAs("agency").GetAsync($"/api/v1/cases/{id}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("operator", HttpStatusCode.Created)]
    [InlineData("leader", HttpStatusCode.Forbidden)]
    [InlineData("member", HttpStatusCode.Created)]
    public async Task Register_AtAVillage_ByRole(string user, HttpStatusCode expected)
    {
        using var response = await app.SharedClientAs(user).PostAsJsonAsync("/api/v1/cases",
            CaseApi.NewCase(title: "登记权限 " + user, orgUnit: "SCH-MJC"));
        if (expected == HttpStatusCode.Created)
        {
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        }
        else
        {
            await response.AssertProblemAsync(expected, "forbidden");
        }
    }

    /// <summary>A valid body for the route on a 马家村 case (a merge names <paramref name="into"/>).</summary>
    private static object? BodyFor(string route, long into) =>
        CaseActionRoutes.Body(new CaseActionRoutes.Spec(route, "SCH-MJC", "SCH-MJC", false, route), into);
}

public sealed class ScopeIsolationTests_Sqlite(SqliteApp app) : ScopeIsolationTests(app), IClassFixture<SqliteApp>;

public sealed class ScopeIsolationTests_Postgres(PostgresApp app) : ScopeIsolationTests(app), IClassFixture<PostgresApp>;
