using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

public abstract partial class RegisterCaseTests(TaizhangApp app)
{
    [Fact]
    public async Task Register_Valid_Returns201WithTrackingCodeDueDateAndLocation()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var client = app.ClientAs("接线员小李");
        using var response = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(urgency: "High", category: "infrastructure"));
        var json = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = json["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/cases/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches(TrackingCodePattern(), json["trackingCode"]!.GetValue<string>());
        Assert.Equal("Registered", json.Status());
        // Thursday 26 Nov + 3 working days = Tuesday 1 Dec, due at the end of that day in Shanghai.
        Assert.Equal("2026-12-01", json["dueDate"]!.GetValue<string>());
        Assert.Equal(new DateTime(2026, 12, 1, 16, 0, 0, DateTimeKind.Utc), json["dueAt"]!.GetValue<DateTime>().ToUniversalTime());

        var detail = await client.GetCaseAsync(id);
        Assert.Equal("村口路灯不亮", detail["title"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", detail["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("infrastructure", detail["category"]!["code"]!.GetValue<string>());
        Assert.Equal("张桂兰", detail["reporters"]![0]!["name"]!.GetValue<string>());
        var register = Assert.Single(detail.Events());
        Assert.Equal("Register", register!["action"]!.GetValue<string>());
        Assert.Equal("接线员小李", register["actor"]!["name"]!.GetValue<string>());
        Assert.Equal("User", register["actor"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_WithoutUrgency_IsNormalSevenWorkingDays()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var json = await app.ClientAs().RegisterAsync(CaseApi.NewCase());
        Assert.Equal("2026-12-07", json["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_BeforeNationalDay_DueDateSkipsHolidayAndCountsAdjustedSaturday()
    {
        // 30 Sep 10:00 Shanghai; 1–7 Oct are off, Sat 10 Oct is a working day (调休).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 30, 2, 0, 0, TimeSpan.Zero));
        try
        {
            var normal = await app.ClientAs().RegisterAsync(CaseApi.NewCase(urgency: "Normal"));
            var high = await app.ClientAs().RegisterAsync(CaseApi.NewCase(urgency: "High"));
            var urgent = await app.ClientAs().RegisterAsync(CaseApi.NewCase(urgency: "Urgent"));
            Assert.Equal("2026-10-15", normal["dueDate"]!.GetValue<string>());
            Assert.Equal("2026-10-10", high["dueDate"]!.GetValue<string>());
            Assert.Equal(new DateTime(2026, 10, 1, 2, 0, 0, DateTimeKind.Utc), urgent["dueAt"]!.GetValue<DateTime>().ToUniversalTime());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Register_SameIdempotencyKey_ReturnsOriginalAndCreatesNothing()
    {
        var client = app.ClientAs();
        var key = Guid.NewGuid().ToString();
        var first = await client.RegisterAsync(CaseApi.NewCase(title: "水管破裂"), key);
        var countBefore = await CountAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(CaseApi.NewCase(title: "水管破裂")) };
        request.Headers.Add("Idempotency-Key", key);
        using var again = await client.SendAsync(request);
        var second = await again.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first["id"]!.GetValue<long>(), second["id"]!.GetValue<long>());
        Assert.Equal(first["trackingCode"]!.GetValue<string>(), second["trackingCode"]!.GetValue<string>());
        Assert.Equal(countBefore, await CountAsync());
    }

    [Fact]
    public async Task Register_SameKeyForADifferentMatter_Is422AndCreatesNothing()
    {
        var client = app.ClientAs();
        var key = Guid.NewGuid().ToString();
        await client.RegisterAsync(CaseApi.NewCase(title: "水管破裂"), key);
        var before = await CountAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(CaseApi.NewCase(title: "完全不同的事项")) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("intake.idempotency-key-reused", problem["code"]!.GetValue<string>());
        Assert.DoesNotContain("水管破裂", problem.ToJsonString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_AnIntegrationsExternalRef_RepeatedIsTheSameCase_ReusedForAnotherMatterIs422()
    {
        var (integration, _) = await app.IntegrationAsync();
        var reference = "12345-" + Guid.NewGuid().ToString("N")[..8];
        var first = await integration.RegisterAsync(CaseApi.NewCase(channel: "Hotline", externalRef: reference));
        var repeat = await integration.RegisterAsync(CaseApi.NewCase(channel: "Hotline", externalRef: reference));
        Assert.Equal(first["id"]!.GetValue<long>(), repeat["id"]!.GetValue<long>());

        // The same ticket number for another matter (another channel, another text) is refused, not answered with the first case.
        var before = await CountAsync();
        using var other = await integration.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(channel: "Petition", title: "另一件事", externalRef: reference));
        var problem = await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("intake.external-ref-reused", problem["code"]!.GetValue<string>());
        Assert.DoesNotContain(first["trackingCode"]!.GetValue<string>(), problem.ToJsonString());
        Assert.Equal(before, await CountAsync());

        // Another integration's ticket numbers are its own.
        var (another, _) = await app.IntegrationAsync();
        var theirs = await another.RegisterAsync(CaseApi.NewCase(channel: "Hotline", externalRef: reference));
        Assert.NotEqual(first["id"]!.GetValue<long>(), theirs["id"]!.GetValue<long>());
    }

    /// <summary>
    /// The same attack through the Idempotency-Key (found by the outside review of the fix): a member
    /// registers under the key the hotline system will use next. Keys are their caller's: the
    /// integration's registration is its own case, whatever the member sent — the same text included.
    /// </summary>
    [Fact]
    public async Task Register_APlantedIdempotencyKey_NeitherBlocksNorSwallowsAnotherCallersRegistration()
    {
        var key = "HL-2026-" + Random.Shared.Next(100_000, 999_999);
        var member = app.SharedClientAs("member");
        var planted = await member.RegisterAsync(CaseApi.NewCase(channel: "Hotline", title: "村口水管爆裂"), key);
        var (hotline, _) = await app.IntegrationAsync();

        var real = await hotline.RegisterAsync(CaseApi.NewCase(channel: "Hotline", title: "村口水管爆裂", phone: "13912340001"), key);
        var other = await hotline.RegisterAsync(CaseApi.NewCase(channel: "Hotline", title: "另一件事", phone: "13912340002"), "other-" + key);

        Assert.NotEqual(planted.Id(), real.Id());
        Assert.NotEqual(real.Id(), other.Id());
        // The caller's own repeat still replays its own case.
        var again = await hotline.RegisterAsync(CaseApi.NewCase(channel: "Hotline", title: "村口水管爆裂", phone: "13912340001"), key);
        Assert.Equal(real.Id(), again.Id());
        Assert.Single((await app.SharedClientAs("town").GetCaseAsync(real.Id()))["reporters"]!.AsArray());
    }

    /// <summary>
    /// The attack that worked: a member registered a made-up matter under the hotline system's next
    /// ticket number, and the real complaint was then answered with the planted case and never stored.
    /// </summary>
    [Fact]
    public async Task Register_APlantedExternalRef_IsRefused_AndTheIntegrationsCaseIsStored()
    {
        var reference = "HL-2026-" + Random.Shared.Next(100_000, 999_999);
        var before = await CountAsync();
        using var planted = await app.SharedClientAs("member").PostAsJsonAsync("/api/v1/cases",
            CaseApi.NewCase(channel: "Hotline", title: "无关小事", externalRef: reference));
        var problem = await planted.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("externalRef"), problem.ToJsonString());
        Assert.Equal(before, await CountAsync());

        var (hotline, _) = await app.IntegrationAsync();
        using var real = await hotline.PostAsJsonAsync("/api/v1/cases",
            CaseApi.NewCase(channel: "Hotline", title: "村口水管爆裂", externalRef: reference, phone: "13912340000"));
        Assert.Equal(HttpStatusCode.Created, real.StatusCode);
        Assert.False(real.Headers.Contains("Idempotent-Replayed"));
        var c = await app.SharedClientAs("town").GetCaseAsync((await real.ReadJsonAsync())["id"]!.GetValue<long>());
        Assert.Equal("村口水管爆裂", c["title"]!.GetValue<string>());
        Assert.Single(c["reporters"]!.AsArray());
    }

    [Fact]
    public async Task Register_ConcurrentRequests_AllCommittedWithDistinctIdsAndCodes()
    {
        var client = app.ClientAs();
        var before = await CountAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            client.RegisterAsync(CaseApi.NewCase(title: $"并发登记 {i}"))));

        Assert.Equal(40, results.Select(r => r["id"]!.GetValue<long>()).Distinct().Count());
        Assert.Equal(40, results.Select(r => r["trackingCode"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(before + 40, await CountAsync());
        foreach (var r in results.Take(5))
        {
            var detail = await client.GetCaseAsync(r["id"]!.GetValue<long>());
            Assert.Single(detail.Events());
        }
    }

    [Fact]
    public async Task Register_ConcurrentRepeatsOfOneKey_CreateExactlyOneCase()
    {
        var client = app.ClientAs();
        var key = Guid.NewGuid().ToString();
        var before = await CountAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            client.RegisterAsync(CaseApi.NewCase(title: "同一来电重复提交"), key)));

        Assert.Single(results.Select(r => r["id"]!.GetValue<long>()).Distinct());
        Assert.Equal(before + 1, await CountAsync());
    }

    /// <summary>
    /// The same Idempotency-Key twice in one batch (PostgreSQL writes a batch's cases in one multi-row insert):
    /// one case, both callers hear it, nothing of the second is stored, and the batch's other case is not failed.
    /// </summary>
    [Fact]
    public async Task Writer_SameKeyTwiceInOneBatch_StoresOneCase_AndTheOtherCaseOfTheBatch()
    {
        var before = await CountAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var units = await scope.ServiceProvider.GetRequiredService<OrgDirectory>().GetAsync();
        var village = units.UnitsByCode["SCH-MJC"];
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var writer = app.Services.GetRequiredService<IntakeWriter>();
        var ids = app.Services.GetRequiredService<CaseIds>();
        var key = "same-batch-" + Guid.NewGuid().ToString("N");
        var built = new List<Case>();
        foreach (var (k, title) in new[] { (key, "同批重复"), (key, "同批重复"), ((string?)null, "同批另一件") })
        {
            var (id, code) = await ids.NextAsync(CancellationToken.None);
            built.Add(Case.Register(village.TownId!.Value, village.Id, Channel.Hotline, title, "同一批次",
                Urgency.Normal, null, new ReporterInfo("王某", "13800000000"), null, null, k, null, code, due, Actor.System, DateTime.UtcNow, id: id));
        }

        // Submitted together so that they are likely to share a batch.
        var results = await Task.WhenAll(built.Select(c => writer.SubmitAsync(c, CancellationToken.None)));

        Assert.Equal(results[0].CaseId, results[1].CaseId);
        Assert.Equal(1, results.Take(2).Count(r => r.Created));
        Assert.True(results[2].Created);
        Assert.Equal(before + 2, await CountAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.IdempotencyKey == key)));
        var refused = results[0].Created ? built[1].Id : built[0].Id;
        Assert.Equal(0, await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => e.CaseId == refused)));
        Assert.Equal(0, await app.WithDbAsync(db => db.CaseReporters.CountAsync(r => r.CaseId == refused)));
        Assert.Equal(1, await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => e.CaseId == results[0].CaseId)));
    }

    [Fact]
    public async Task Register_MissingAndInvalidFields_Returns400WithEveryFieldAndWritesNothing()
    {
        var before = await CountAsync();
        using var response = await app.ClientAs().PostAsJsonAsync("/api/v1/cases", new
        {
            channel = "Fax",
            title = "",
            reporter = new { name = "", phone = "12345" },
            urgency = "Whenever",
            location = new { lat = 95.0, lng = 200.0 },
        });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        var errors = problem["errors"]!.AsObject();
        foreach (var field in new[] { "channel", "title", "description", "orgUnit", "urgency", "reporter.name", "reporter.phone", "location.lat", "location.lng" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {errors}");
        }
        Assert.Contains("Hotline", errors["channel"]![0]!.GetValue<string>());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_UnknownReferences_AreFieldErrors()
    {
        var before = await CountAsync();
        using var response = await app.ClientAs().PostAsJsonAsync("/api/v1/cases", new
        {
            channel = "Meeting",
            title = "t",
            description = "d",
            orgUnit = "NOPE",
            category = "no-such-category",
            meetingId = 999999,
        });
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.Contains("NOPE", errors["orgUnit"]![0]!.GetValue<string>());
        Assert.True(errors.ContainsKey("category"));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_AgainstPartnerUnit_IsRefused()
    {
        using var response = await app.ClientAs().PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(orgUnit: "SCH-SFS"));
        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("orgUnit"));
    }

    [Fact]
    public async Task Register_MalformedJson_Returns400Problem()
    {
        var before = await CountAsync();
        using var content = new StringContent("{\"channel\": \"Hotline\", \"title\": ", System.Text.Encoding.UTF8, "application/json");
        using var response = await app.ClientAs().PostAsync("/api/v1/cases", content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        using var wrongType = new StringContent("{\"meetingId\": \"abc\"}", System.Text.Encoding.UTF8, "application/json");
        using var response2 = await app.ClientAs().PostAsync("/api/v1/cases", wrongType);
        var errors = (await response2.AssertProblemAsync(HttpStatusCode.BadRequest, "validation"))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("meetingId"), errors.ToJsonString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Register_PhoneFormats_AreNormalized()
    {
        var client = app.ClientAs();
        var mobile = await client.RegisterAsync(CaseApi.NewCase(phone: "+86 139 1234 5678"));
        var landline = await client.RegisterAsync(CaseApi.NewCase(phone: "09324567890"));
        var m = await client.DoAsync(mobile["id"]!.GetValue<long>(), "personal-data");
        var l = await client.DoAsync(landline["id"]!.GetValue<long>(), "personal-data");
        Assert.Equal("13912345678", m["reporters"]![0]!["phone"]!.GetValue<string>());
        Assert.Equal("0932-4567890", l["reporters"]![0]!["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_AreEnglishWhenAsked()
    {
        var client = app.ClientAs();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        using var response = await client.PostAsJsonAsync("/api/v1/cases", new { });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal("Some fields of the request are invalid.", problem["title"]!.GetValue<string>());
        Assert.Equal("Required.", problem["errors"]!["title"]![0]!.GetValue<string>());
    }

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Cases.CountAsync());

    [GeneratedRegex("^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex TrackingCodePattern();
}

public sealed class RegisterCaseTests_Sqlite(SqliteApp app) : RegisterCaseTests(app), IClassFixture<SqliteApp>;

public sealed class RegisterCaseTests_Postgres(PostgresApp app) : RegisterCaseTests(app), IClassFixture<PostgresApp>;
