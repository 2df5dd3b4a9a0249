using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Mediation;

/// <summary>人民调解 over HTTP: the whole mediation of a marriage dispute with the judicial office, the refusals, masking and participants.</summary>
public abstract class MediationTests(TaizhangApp app)
{
    private const string Applicant = "王秀英";
    private const string Respondent = "赵建国";
    private const string ApplicantPhone = "13700001111";
    private const string RespondentPhone = "13800002222";

    private DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));

    private string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A dispute registered by the town and assigned to the judicial office (司法所).</summary>
    private async Task<long> DisputeAsync(string assignee = "SCH-SFS")
    {
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "夫妻因抚养费发生纠纷 " + Guid.NewGuid().ToString("N")[..6], reporterName: Applicant, phone: ApplicantPhone));
        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = assignee });
        return id;
    }

    private object Intake(int acceptedOffset = -3, bool respondent = true) => new
    {
        disputeType = "MarriageFamily",
        source = "PartyApplication",
        summary = "双方因子女抚养费数额发生争执",
        amount = 12000m,
        peopleInvolved = 3,
        riskGrade = "Orange",
        leaderName = "张副书记",
        leaderPost = "镇党委副书记",
        acceptedOn = Day(acceptedOffset),
        mediators = "李调解员、王调解员",
        parties = respondent
            ? new object[]
            {
                new { role = "Applicant", name = Applicant, phone = ApplicantPhone, idType = "居民身份证", idNumber = "620102199001011234", address = "马家村三组" },
                new { role = "Respondent", name = Respondent, phone = RespondentPhone },
            }
            : [new { role = "Applicant", name = Applicant, phone = ApplicantPhone }],
    };

    private static async Task<JsonObject> MediateAsync(HttpClient client, long id, string step, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/cases/{id}/mediation{step}", body);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step}: {response.StatusCode}: {json}");
        return json;
    }

    private static async Task<JsonObject> RefusedAsync(HttpClient client, long id, string step, object body, string field)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/cases/{id}/mediation{step}", body);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey(field), $"{step}: no error for {field}: {problem}");
        return problem;
    }

    [Fact]
    public async Task Mediation_IntakeToSettled_ResolvesTheCase_WithEveryStepOnTheTimeline_AndNoNameInAnyEvent()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        var before = (await agency.GetCaseAsync(id)).Events().Count;

        var m = await MediateAsync(agency, id, "", Intake());
        Assert.Equal(Today.AddDays(27).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m["deadline"]!.GetValue<string>());
        Assert.Equal(27, m["daysLeft"]!.GetValue<int>());
        // The dispute now runs on the mediation's clock: the case is due when the mediation's time limit ends.
        Assert.Equal(m["deadline"]!.GetValue<string>(), (await agency.GetCaseAsync(id))["dueDate"]!.GetValue<string>());
        Assert.Equal(2, m["parties"]!.AsArray().Count);
        await MediateAsync(agency, id, "/notice", new { givenOn = Day(-3), form = "Written" });
        m = await MediateAsync(agency, id, "/sessions", new
        {
            heldOn = Day(-2), mediators = "李调解员", units = new[] { "SCH-SFS" }, partiesPresent = "双方均到场",
            record = "双方陈述了意见，调解员释法说理", outcome = "双方同意按每月一千元支付",
        });
        Assert.Equal("SCH-SFS", m["sessions"]![0]!["units"]![0]!["code"]!.GetValue<string>());
        await MediateAsync(agency, id, "/agreement", new
        {
            form = "Written", facts = "双方于2020年登记结婚，育有一女", disputes = "子女抚养费的数额", responsibilities = "双方对子女均负有抚养义务",
            terms = "男方每月十日前支付抚养费一千元", performanceManner = "银行转账", performancePlace = "马家村村委会", performanceDeadline = Day(10), signedOn = Day(-2),
        });
        m = await MediateAsync(agency, id, "/outcome", new { outcome = "Settled", on = Day(-2) });
        Assert.Equal("Settled", m["outcome"]!.GetValue<string>());
        Assert.Null(m["closedOn"]);
        m = await MediateAsync(agency, id, "/performance", new { on = Day(0), performance = "Full", note = "首月已支付", resolveCase = true });
        Assert.Equal(Day(0), m["closedOn"]!.GetValue<string>());
        Assert.Equal("Resolved", m["caseStatus"]!.GetValue<string>());

        var town = app.SharedClientAs("town");
        var c = await town.GetCaseAsync(id);
        Assert.Equal("Resolved", c.Status());
        Assert.Equal("Solved", c["outcome"]!.GetValue<string>());
        var steps = c.Events().Skip(before).Where(e => e!["action"]!.GetValue<string>() == "Mediate")
            .Select(e => e!["payload"]!["step"]!.GetValue<string>()).ToArray();
        Assert.Equal(["Intake", "NoticeGiven", "Session", "Agreement", "Outcome", "Performance"], steps);
        Assert.Equal("Resolve", c.LastEvent()["action"]!.GetValue<string>());
        var timeline = c.Events().ToJsonString();
        foreach (var secret in new[] { Respondent, RespondentPhone, "620102199001011234", "马家村三组" })
        {
            Assert.DoesNotContain(secret, timeline);
        }
    }

    [Fact]
    public async Task Agreement_WithoutARespondent_IsRefused_AndChangesNothing()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake(respondent: false));
        await MediateAsync(agency, id, "/sessions", new { heldOn = Day(-1), mediators = "李调解员", record = "只有申请人到场" });
        var before = await agency.SnapshotAsync(id);

        var problem = await RefusedAsync(agency, id, "/agreement", new { form = "Oral", terms = "当场赔偿", signedOn = Day(0) }, "parties");
        Assert.Contains("被申请人", problem.Errors()["parties"]![0]!.GetValue<string>());
        await agency.AssertUnchangedAsync(id, before);
        Assert.Null((await agency.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/mediation"))!["agreement"]);
    }

    [Fact]
    public async Task JudicialConfirmation_31DaysAfterTheAgreement_IsRefused_AndChangesNothing()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake(acceptedOffset: -40));
        await MediateAsync(agency, id, "/sessions", new { heldOn = Day(-35), mediators = "李调解员", record = "调解记录" });
        await MediateAsync(agency, id, "/agreement", new
        {
            form = "Written", facts = "事实", disputes = "争议", terms = "协议内容", signedOn = Day(-31),
        });
        var before = await agency.SnapshotAsync(id);

        await RefusedAsync(agency, id, "/judicial-confirmation", new { appliedOn = Day(0), court = "张县人民法院" }, "appliedOn");
        await agency.AssertUnchangedAsync(id, before);
        Assert.Null((await agency.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/mediation"))!["judicialConfirmation"]);

        var m = await MediateAsync(agency, id, "/judicial-confirmation", new { appliedOn = Day(-1), court = "张县人民法院" });
        Assert.Equal(Day(-1), m["judicialConfirmation"]!["appliedOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Session_BeforeIntake_IsRefused_AndChangesNothing()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        var before = await agency.SnapshotAsync(id);

        using var response = await agency.PostAsJsonAsync($"/api/v1/cases/{id}/mediation/sessions", new { heldOn = Day(0), mediators = "李", record = "记录" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("mediation.not-accepted", problem["code"]!.GetValue<string>());
        await agency.AssertUnchangedAsync(id, before);
        using var get = await agency.GetAsync($"/api/v1/cases/{id}/mediation");
        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        // A session dated before the acceptance is refused too.
        await MediateAsync(agency, id, "", Intake(acceptedOffset: -1));
        var afterIntake = await agency.SnapshotAsync(id);
        await RefusedAsync(agency, id, "/sessions", new { heldOn = Day(-2), mediators = "李", record = "记录" }, "heldOn");
        await agency.AssertUnchangedAsync(id, afterIntake);
    }

    [Fact]
    public async Task Parties_AreMasked_ForAParticipantWhoMayNotReveal_AndShown_ToTheHandler()
    {
        var agency = app.SharedClientAs("agency");
        var police = app.SharedClientAs("police");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        using (var notYet = await police.GetAsync($"/api/v1/cases/{id}/mediation"))
        {
            await notYet.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        await MediateAsync(agency, id, "/sessions", new
        {
            heldOn = Day(0), mediators = "李调解员", units = new[] { "SCH-SFS", "SCH-PCS" }, partiesPresent = $"{Applicant}、{Respondent}",
            // What was said names the parties, as records do: shown to those who see the names, to no one else.
            record = $"派出所民警参与调解，{Applicant}陈述了意见",
        });

        // The handler sees names; phones only masked until revealed (and the reveal is recorded).
        var handler = (await agency.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/mediation"))!;
        Assert.Equal(Applicant, handler["parties"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("137****1111", handler["parties"]![0]!["phone"]!.GetValue<string>());
        var revealed = await MediateAsync(agency, id, "/personal-data", new { });
        Assert.Equal(ApplicantPhone, revealed["parties"]![0]!["phone"]!.GetValue<string>());
        Assert.Equal("ViewPersonalData", (await agency.GetCaseAsync(id)).LastEvent()["action"]!.GetValue<string>());

        // The police station took part: it reads the case and the mediation, masked, and cannot act or reveal.
        var masked = (await police.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/mediation"))!;
        var text = masked.ToJsonString();
        foreach (var secret in new[] { Applicant, Respondent, ApplicantPhone, RespondentPhone, "620102199001011234" })
        {
            Assert.DoesNotContain(secret, text);
        }
        Assert.Equal("王**", masked["parties"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("****", masked["sessions"]![0]!["record"]!.GetValue<string>());
        Assert.Contains(Applicant, handler["sessions"]![0]!["record"]!.GetValue<string>());
        Assert.True(masked["partiesMasked"]!.GetValue<bool>());
        var before = await agency.SnapshotAsync(id);
        using (var act = await police.PostAsJsonAsync($"/api/v1/cases/{id}/mediation/notice", new { givenOn = Day(0), form = "Oral" }))
        {
            await act.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using (var reveal = await police.PostAsJsonAsync($"/api/v1/cases/{id}/mediation/personal-data", new { }))
        {
            await reveal.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        await agency.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task JudicialOffice_TookPartInASession_StillReadsTheCase_AfterItIsTransferredElsewhere()
    {
        var agency = app.SharedClientAs("agency");
        var town = app.SharedClientAs("town");
        var id = await DisputeAsync();
        var control = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        await MediateAsync(agency, id, "/sessions", new { heldOn = Day(0), mediators = "李调解员", units = new[] { "SCH-SFS" }, record = "调解未成，移交综治办" });

        await town.DoAsync(id, "transfer", new { toUnit = "SCH-ZWB", reason = "需综治办牵头处理" });
        await town.DoAsync(control, "transfer", new { toUnit = "SCH-ZWB", reason = "需综治办牵头处理" });

        // Read: the case, its mediation and the ledger; not the case it never took part in.
        Assert.Equal("SCH-ZWB", (await agency.GetCaseAsync(id)).AssigneeCode());
        Assert.NotNull(await agency.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{id}/mediation"));
        using (var other = await agency.GetAsync($"/api/v1/cases/{control}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
        var ledger = await agency.ListAsync("pageSize=200&q=" + Uri.EscapeDataString("抚养费"));
        Assert.Contains(id, ledger.ItemIds());
        Assert.DoesNotContain(control, ledger.ItemIds());

        // Not handle: acting on it is refused, and nothing changes.
        var before = await town.SnapshotAsync(id);
        using (var act = await agency.PostAsJsonAsync($"/api/v1/cases/{id}/mediation/sessions", new { heldOn = Day(0), mediators = "李", record = "再次调解" }))
        {
            await act.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        using (var start = await agency.ActAsync(id, "start"))
        {
            await start.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        await town.AssertUnchangedAsync(id, before);
        Assert.Empty((await agency.GetCaseAsync(id))["availableActions"]!.AsArray());
    }

    public static TheoryData<string> StepRoutes() =>
        ["/parties", "/notice", "/sessions", "/agreement", "/extension", "/performance", "/judicial-confirmation", "/outcome", "/personal-data"];

    [Theory]
    [MemberData(nameof(StepRoutes))]
    public async Task EveryStep_OutOfScope404_WithoutPermission403(string step)
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        var before = await agency.SnapshotAsync(id);
        // 王家村's cadre does not reach a 马家村 case assigned to the judicial office; the police station has no part in it.
        foreach (var outsider in new[] { "cadre-wjc", "police" })
        {
            using var response = await app.SharedClientAs(outsider).PostAsJsonAsync($"/api/v1/cases/{id}/mediation{step}", new { });
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        // Town-level readers without Mediate (or RevealPersonalData): forbidden.
        foreach (var reader in new[] { "leader", "operator" })
        {
            using var response = await app.SharedClientAs(reader).PostAsJsonAsync($"/api/v1/cases/{id}/mediation{step}", new { });
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
        await agency.AssertUnchangedAsync(id, before);
    }

    [Fact]
    public async Task Extension_WithoutConsent_IsRefused_WithConsent_MovesTheDeadline()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        var before = await agency.SnapshotAsync(id);
        await RefusedAsync(agency, id, "/extension", new { newDeadline = Day(40), reason = "需要补充证据", partiesConsent = false }, "partiesConsent");
        await agency.AssertUnchangedAsync(id, before);

        var m = await MediateAsync(agency, id, "/extension", new { newDeadline = Day(40), reason = "需要补充证据", partiesConsent = true });
        Assert.Equal(Day(40), m["deadline"]!.GetValue<string>());
        Assert.Equal(Day(27), m["extensions"]![0]!["previousDeadline"]!.GetValue<string>());
    }

    [Fact]
    public async Task AMediationsExtension_LeavesTheCasesDueDate_WhichMovesOnlyByAnApprovedExtension()
    {
        // Found by an outside review: a mediator's extension to 2100 put the case's due date there with it.
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        var due = (await agency.GetCaseAsync(id))["dueDate"]!.GetValue<string>();
        Assert.Equal(Day(27), due);
        var m = await MediateAsync(agency, id, "/extension", new { newDeadline = "2100-12-31", reason = "需要补充证据", partiesConsent = true });
        Assert.Equal("2100-12-31", m["deadline"]!.GetValue<string>());
        Assert.Equal(due, (await agency.GetCaseAsync(id))["dueDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptingAMediation_OfAnOverdueOrResolvedCase_LeavesItsDueDate_AndItsOnTimeFigure()
    {
        // Found by an outside review: a case resolved late, then accepted for mediation, became an on-time case.
        var agency = app.SharedClientAs("agency");
        var town = app.SharedClientAs("town");
        var late = await DisputeAsync();
        var due = (await agency.GetCaseAsync(late))["dueDate"]!.GetValue<string>();
        app.Clock.Advance(TimeSpan.FromDays(40));
        try
        {
            // Overdue and open: the mediation's 30 days do not lift it out of the overdue list.
            var overdue = await DisputeAsync();
            var overdueDue = (await agency.GetCaseAsync(overdue))["dueDate"]!.GetValue<string>();
            app.Clock.Advance(TimeSpan.FromDays(40));
            await MediateAsync(agency, overdue, "", Intake(acceptedOffset: 0));
            var c = await agency.GetCaseAsync(overdue);
            Assert.Equal(overdueDue, c["dueDate"]!.GetValue<string>());
            Assert.True(c["overdue"]!.GetValue<bool>());

            // Resolved late, then accepted for mediation: still late.
            await town.DoAsync(late, "resolve", new { outcome = "Solved", result = "已调处" });
            await MediateAsync(agency, late, "", Intake(acceptedOffset: 0));
            var r = await agency.GetCaseAsync(late);
            Assert.Equal(due, r["dueDate"]!.GetValue<string>());
            var onTime = await town.ListAsync($"onTime=true&q={Uri.EscapeDataString(r["title"]!.GetValue<string>())}");
            Assert.Equal(0, onTime.Total());
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
    }

    [Fact]
    public async Task Referred_ResolvesTheCaseAsExplained_WhenAsked()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync();
        await MediateAsync(agency, id, "", Intake());
        await MediateAsync(agency, id, "/sessions", new { heldOn = Day(0), mediators = "李调解员", record = "双方分歧较大" });
        await RefusedAsync(agency, id, "/outcome", new { outcome = "Referred", on = Day(0) }, "referredTo");
        var m = await MediateAsync(agency, id, "/outcome", new { outcome = "Referred", referredTo = "Court", on = Day(0), resolveCase = true });
        Assert.Equal(Day(0), m["closedOn"]!.GetValue<string>());
        var c = await agency.GetCaseAsync(id);
        Assert.Equal("Resolved", c.Status());
        Assert.Equal("Explained", c["outcome"]!.GetValue<string>());
    }
}

public sealed class MediationTests_Sqlite(SqliteApp app) : MediationTests(app), IClassFixture<SqliteApp>;

public sealed class MediationTests_Postgres(PostgresApp app) : MediationTests(app), IClassFixture<PostgresApp>;
