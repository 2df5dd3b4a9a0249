using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>The mediation file page and the printable agreement, as HTML.</summary>
public abstract class MediationPageTests(TaizhangApp app)
{
    private const string Applicant = "王秀英";
    private const string ApplicantPhone = "13700001111";

    private static string Day(TaizhangApp app, int offset) =>
        DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A marriage dispute assigned to the judicial office; optionally accepted, with a session and an agreement of the given form.</summary>
    public static async Task<long> DisputeAsync(TaizhangApp app, bool accept = false, string? agreement = null)
    {
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "婚姻纠纷 " + Guid.NewGuid().ToString("N")[..6], category: "dispute-marriage",
            reporterName: Applicant, phone: ApplicantPhone));
        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        if (!accept && agreement is null)
        {
            return id;
        }
        var agency = app.SharedClientAs("agency");
        async Task Post(string step, object body)
        {
            using var r = await agency.PostAsJsonAsync($"/api/v1/cases/{id}/mediation{step}", body);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{step}: {await r.Content.ReadAsStringAsync()}");
        }
        await Post("", new
        {
            disputeType = "MarriageFamily", source = "PartyApplication", summary = "夫妻因家务分担争吵", riskGrade = "Yellow", leaderName = "张副书记",
            mediators = "李调解员", acceptedOn = Day(app, -2),
            parties = new object[]
            {
                new { role = "Applicant", name = Applicant, phone = ApplicantPhone, idType = "居民身份证", idNumber = "620102199001011234" },
                new { role = "Respondent", name = "赵建国", phone = "13800002222" },
            },
        });
        if (agreement is not null)
        {
            await Post("/sessions", new { heldOn = Day(app, -1), mediators = "李调解员", units = new[] { "SCH-SFS", "SCH-PCS" }, record = "双方各自陈述" });
            await Post("/agreement", new { form = agreement, facts = "双方系夫妻", disputes = "家务分担", terms = "双方轮流承担家务", performancePlace = "家中", signedOn = Day(app, -1) });
        }
        return id;
    }

    /// <summary>Every form the mediation page can show, on three cases (for the antiforgery test).</summary>
    public static async Task<string[]> PagesWithEveryFormAsync(TaizhangApp app) =>
    [
        $"/cases/{await DisputeAsync(app)}/mediation",
        $"/cases/{await DisputeAsync(app, accept: true)}/mediation",
        $"/cases/{await DisputeAsync(app, agreement: "Written")}/mediation",
    ];

    [Fact]
    public async Task CasePage_OfADispute_LinksToTheMediation_AndTheIntakeFormIsInChinese()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync(app);
        var (status, html) = await agency.GetHtmlAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"/cases/{id}/mediation\"", html);
        Assert.Contains("受理调解", html);

        (status, html) = await agency.GetHtmlAsync($"/cases/{id}/mediation");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("受理登记", html);
        Assert.Contains("婚姻家庭", html);
        Assert.Contains("当事人申请", html);
        Assert.Contains("name=\"Intake.Parties[1].Name\"", html);

        // A case that is not a dispute and has no mediation shows no block.
        var plain = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "路灯不亮 " + Guid.NewGuid().ToString("N")[..6]));
        (_, html) = await app.SharedClientAs("town").GetHtmlAsync($"/cases/{plain}");
        Assert.DoesNotContain($"/cases/{plain}/mediation", html);
    }

    [Fact]
    public async Task CasePage_OfADispute_LinksTheIntakeOnlyForWhoMayMediate_AndTheFileForEveryReader()
    {
        // A walk-through: the leader (no 人民调解 in the permission table) followed 受理调解 to an empty page.
        var leader = app.SharedClientAs("leader");
        var id = await DisputeAsync(app);
        var (status, html) = await leader.GetHtmlAsync($"/cases/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain($"href=\"/cases/{id}/mediation\"", html);
        Assert.DoesNotContain("受理调解</a>", html);
        Assert.Contains("data-field=\"mediation-not-accepted\"", html);
        Assert.Contains("该事项尚未受理调解。", System.Net.WebUtility.HtmlDecode(html));
        // The town office may mediate: it keeps the link.
        Assert.Contains($"href=\"/cases/{id}/mediation\"", (await app.SharedClientAs("town").GetHtmlAsync($"/cases/{id}")).Html);

        // Once accepted, every reader gets the file (read-only for the leader).
        var accepted = await DisputeAsync(app, accept: true);
        (_, html) = await leader.GetHtmlAsync($"/cases/{accepted}");
        Assert.Contains($"href=\"/cases/{accepted}/mediation\"", html);
        Assert.Contains("查看调解卷宗", System.Net.WebUtility.HtmlDecode(html));
        (status, html) = await leader.GetHtmlAsync($"/cases/{accepted}/mediation");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-field=\"disputeType\">婚姻家庭", System.Net.WebUtility.HtmlDecode(html));
        Assert.DoesNotContain("handler=Party", html);
    }

    [Fact]
    public async Task IntakeForm_Refused_ShowsTheMessageNextToTheField_KeepsWhatWasTyped_ThenAccepts()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync(app);
        var before = await agency.SnapshotAsync(id);
        (string, string)[] Fields(string summary) =>
        [
            ("Intake.DisputeType", "MarriageFamily"), ("Intake.Source", "PartyApplication"), ("Intake.RiskGrade", "Red"),
            ("Intake.AcceptedOn", Day(app, 0)), ("Intake.Summary", summary), ("Intake.Amount", "abc"), ("Intake.LeaderName", "张副书记"),
            ("Intake.Mediators", "李调解员"), ("Intake.Parties[0].Role", "Applicant"), ("Intake.Parties[0].Name", Applicant),
            ("Intake.Parties[0].Phone", ApplicantPhone), ("Intake.Parties[1].Role", "Respondent"), ("Intake.Parties[1].Name", "赵建国"),
        ];
        using (var refused = await agency.PostFormAsync($"/cases/{id}/mediation?handler=Intake", Fields("夫妻矛盾")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("id=\"Intake-Amount-error\"", html);
            Assert.Contains("请填写数字", html);
            Assert.Contains("value=\"张副书记\"", html);
        }
        using (var refused = await agency.PostFormAsync($"/cases/{id}/mediation?handler=Intake", [.. Fields(" ").Where(f => f.Item1 != "Intake.Amount")]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("id=\"Intake-Summary-error\"", await refused.Content.ReadAsStringAsync());
        }
        await agency.AssertUnchangedAsync(id, before);

        using (var accepted = await agency.PostFormAsync($"/cases/{id}/mediation?handler=Intake", [.. Fields("夫妻矛盾").Where(f => f.Item1 != "Intake.Amount")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
            Assert.Equal($"/cases/{id}/mediation", accepted.Headers.Location!.OriginalString);
        }
        var (_, page) = await agency.GetHtmlAsync($"/cases/{id}/mediation");
        Assert.Contains("已受理调解", page);
        Assert.Contains("红色风险", page);
        Assert.Contains(Applicant, page);
        Assert.DoesNotContain(ApplicantPhone, page);
        Assert.Contains("137****1111", page);
        Assert.Contains("剩余 30 天", page);
    }

    [Fact]
    public async Task AgreementPrint_IsTheA4Agreement_Unmasked_AndRecorded_ForTheHandler_Masked_ForAParticipant()
    {
        var agency = app.SharedClientAs("agency");
        var id = await DisputeAsync(app, agreement: "Written");
        var events = (await agency.GetCaseAsync(id)).Events().Count;

        var (status, html) = await agency.GetHtmlAsync($"/cases/{id}/mediation/agreement");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var part in new[] { "人民调解协议书", "编号", "申请人", "被申请人", "纠纷主要事实、争议事项及各方责任", "双方轮流承担家务", "履行方式、地点、期限", "自愿达成",
            "人民调解员（签名）", "人民调解委员会（印）", "mediation-print.css", Applicant, ApplicantPhone, "620102199001011234" })
        {
            Assert.Contains(part, html);
        }
        var after = await agency.GetCaseAsync(id);
        Assert.Equal(events + 1, after.Events().Count);
        Assert.Equal("ViewPersonalData", after.LastEvent()["action"]!.GetValue<string>());

        // The police station took part in the session: it reads the agreement, masked, and nothing is recorded.
        (status, html) = await app.SharedClientAs("police").GetHtmlAsync($"/cases/{id}/mediation/agreement");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(Applicant, html);
        Assert.DoesNotContain(ApplicantPhone, html);
        Assert.Contains("王**", html);
        Assert.Equal(events + 1, (await agency.GetCaseAsync(id)).Events().Count);

        // The case's timeline says each step in words, without the parties.
        var (_, casePage) = await agency.GetHtmlAsync($"/cases/{id}");
        Assert.Contains("人民调解：受理登记", casePage);
        // The intake moved the due date to the mediation's time limit: the timeline says so, with the new date.
        var intake = (await agency.GetCaseAsync(id)).Events().Select(e => e!.AsObject())
            .Single(e => e["action"]!.GetValue<string>() == "Mediate" && e["payload"]?["step"]?.GetValue<string>() == "Intake");
        // (A direct-handling case is due sooner than the mediation's 30 days: the intake moved it.)
        var moved = intake["payload"]!["dueAt"]!.GetValue<DateTime>().ToUniversalTime();
        var date = TimeZoneInfo.ConvertTimeFromUtc(moved.AddTicks(-1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Contains($"人民调解：受理登记（办理期限随调解时限调整为 {date:yyyy-MM-dd}）", casePage);
        Assert.Contains("人民调解：调解（第 1 次）", casePage);
        Assert.Contains("人民调解：达成调解协议（书面）", casePage);
        Assert.Contains("查看调解卷宗", casePage);

        var oral = await DisputeAsync(app, agreement: "Oral");
        (_, html) = await agency.GetHtmlAsync($"/cases/{oral}/mediation/agreement");
        Assert.Contains("口头协议记录", html);
        Assert.DoesNotContain("人民调解协议书", html);

        var none = await DisputeAsync(app, accept: true);
        (status, _) = await agency.GetHtmlAsync($"/cases/{none}/mediation/agreement");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task MediationPage_OutOfScope_IsNotFound()
    {
        var id = await DisputeAsync(app, accept: true);
        var (status, _) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync($"/cases/{id}/mediation");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await app.SharedClientAs("police").GetHtmlAsync($"/cases/{id}/mediation/agreement");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}

public sealed class MediationPageTests_Sqlite(SqliteApp app) : MediationPageTests(app), IClassFixture<SqliteApp>;

public sealed class MediationPageTests_Postgres(PostgresApp app) : MediationPageTests(app), IClassFixture<PostgresApp>;
