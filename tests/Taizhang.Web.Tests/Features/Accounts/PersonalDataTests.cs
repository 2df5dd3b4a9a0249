using System.Net;
using System.Text.Json.Nodes;
using Taizhang.Domain.Access;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// Residents' names and phones: phones always masked, names masked for those who do not handle the
/// case, both shown unmasked only on a recorded request, never on the public tracking view.
/// </summary>
public abstract class PersonalDataTests(TaizhangApp app)
{
    private const string Name = "张桂兰";
    private const string MaskedName = "张**";
    private const string Phone = "13912345678";
    private const string MaskedPhone = "139****5678";

    public static TheoryData<string> Everyone() => new(TaizhangApp.People.Keys);

    /// <summary>
    /// Two cases so that every person has one in scope: 马家村's, handled by the judicial office, and
    /// 王家村's, handled by the police station.
    /// </summary>
    private async Task<(long Mjc, long Wjc)> CasesAsync(string title)
    {
        var town = app.SharedClientAs("town");
        var mjc = await town.RegisterIdAsync(CaseApi.NewCase(title: title + " 马家村", orgUnit: "SCH-MJC", reporterName: Name, phone: Phone));
        var wjc = await town.RegisterIdAsync(CaseApi.NewCase(title: title + " 王家村", orgUnit: "SCH-WJC", reporterName: Name, phone: Phone));
        await town.DoAsync(mjc, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        await town.DoAsync(wjc, "triage", new { track = "Direct", assigneeUnit = "SCH-PCS" });
        return (mjc, wjc);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TaizhangApp, Lazy<Task<(long, long)>>> Shared = new();

    /// <summary>One pair of cases per app for the per-person rows (signing in and registering per row is slow).</summary>
    private Task<(long Mjc, long Wjc)> SharedCasesAsync() =>
        Shared.GetValue(app, _ => new Lazy<Task<(long, long)>>(() => CasesAsync("每人脱敏"))).Value;

    private static bool SeesMjc(string user) => user is not ("cadre-wjc" or "police");

    [Theory]
    [MemberData(nameof(Everyone))]
    public async Task GetCase_PhoneAlwaysMasked_NameMaskedUnlessTheRoleHandlesCases(string user)
    {
        var (mjc, wjc) = await SharedCasesAsync();
        var id = SeesMjc(user) ? mjc : wjc;
        var before = (await app.SharedClientAs("town").GetCaseAsync(id)).Events().Count;

        var c = await app.SharedClientAs(user).GetCaseAsync(id);

        var reporter = Assert.Single(c["reporters"]!.AsArray())!;
        Assert.Equal(MaskedPhone, reporter["phone"]!.GetValue<string>());
        Assert.True(reporter["masked"]!.GetValue<bool>());
        var handles = Permissions.Allows(TaizhangApp.People[user].Role, Permission.RevealPersonalData);
        Assert.Equal(handles ? Name : MaskedName, reporter["name"]!.GetValue<string>());
        Assert.DoesNotContain(Phone, c.ToJsonString());
        if (!handles)
        {
            Assert.DoesNotContain(Name, c.ToJsonString());
        }
        // Reading is not a viewing of personal data: nothing is recorded.
        Assert.Equal(before, (await app.SharedClientAs("town").GetCaseAsync(id)).Events().Count);

        // The ledger shows no personal data at all.
        var page = await app.SharedClientAs(user).ListAsync("q=" + Uri.EscapeDataString("每人脱敏") + "&pageSize=200");
        Assert.Contains(id, page.ItemIds());
        Assert.DoesNotContain(Phone, page.ToJsonString());
        Assert.DoesNotContain(MaskedPhone, page.ToJsonString());
        Assert.DoesNotContain(Name, page.ToJsonString());
    }

    [Fact]
    public async Task TownStaff_RevealsPersonalData_Unmasked_AndTheViewingIsRecordedWithTheActor()
    {
        var (mjc, _) = await CasesAsync("查看原始信息");
        var town = app.SharedClientAs("town");
        var before = await town.GetCaseAsync(mjc);

        var revealed = await town.DoAsync(mjc, "personal-data");

        var reporter = Assert.Single(revealed["reporters"]!.AsArray())!;
        Assert.Equal(Phone, reporter["phone"]!.GetValue<string>());
        Assert.Equal(Name, reporter["name"]!.GetValue<string>());
        Assert.False(reporter["masked"]!.GetValue<bool>());

        var after = await town.GetCaseAsync(mjc);
        Assert.Equal(before.Events().Count + 1, after.Events().Count);
        var viewed = after.LastEvent();
        Assert.Equal("ViewPersonalData", viewed["action"]!.GetValue<string>());
        Assert.Equal("User", viewed["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal("镇办受理员", viewed["actor"]!["name"]!.GetValue<string>());
        Assert.Equal(before.Status(), after.Status());
        // The record of the viewing does not itself hold the data, and the next read is masked again.
        Assert.DoesNotContain(Phone, viewed.ToJsonString());
        Assert.Equal(MaskedPhone, after["reporters"]![0]!["phone"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Everyone))]
    public async Task RevealPersonalData_ByRole_FollowsThePermissionTable(string user)
    {
        var (mjc, wjc) = await SharedCasesAsync();
        var id = SeesMjc(user) ? mjc : wjc;
        var town = app.SharedClientAs("town");
        var before = await town.SnapshotAsync(id);
        var (role, _, displayName) = TaizhangApp.People[user];

        using var response = await app.SharedClientAs(user).ActAsync(id, "personal-data");

        if (Permissions.Allows(role, Permission.RevealPersonalData))
        {
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {json}");
            Assert.Equal(Phone, json["reporters"]![0]!["phone"]!.GetValue<string>());
            var after = await town.GetCaseAsync(id);
            Assert.Equal(before.Events + 1, after.Events().Count);
            Assert.Equal("ViewPersonalData", after.LastEvent()["action"]!.GetValue<string>());
            Assert.Equal(displayName, after.LastEvent()["actor"]!["name"]!.GetValue<string>());
        }
        else
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            Assert.DoesNotContain(Phone, problem.ToJsonString());
            Assert.DoesNotContain(Name, problem.ToJsonString());
            await town.AssertUnchangedAsync(id, before);
        }
    }

    [Fact]
    public async Task Leader_CannotReveal_AndNoEventIsRecorded()
    {
        var (mjc, _) = await CasesAsync("领导查看");
        var town = app.SharedClientAs("town");
        var before = await town.SnapshotAsync(mjc);

        using var response = await app.SharedClientAs("leader").ActAsync(mjc, "personal-data");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await town.AssertUnchangedAsync(mjc, before);
        Assert.DoesNotContain("ViewPersonalData", (await town.GetCaseAsync(mjc)).EventActions());
    }

    [Fact]
    public async Task ActionAnswers_ShowPhonesMasked()
    {
        var (mjc, _) = await CasesAsync("办理回执");
        var started = await app.SharedClientAs("agency").DoAsync(mjc, "start");
        Assert.Equal(MaskedPhone, started["reporters"]![0]!["phone"]!.GetValue<string>());
        Assert.DoesNotContain(Phone, started.ToJsonString());

        var added = await app.SharedClientAs("town").DoAsync(mjc, "reporters", new { name = "李秀英", phone = "13700001111" });
        Assert.Equal(["139****5678", "137****1111"], added["reporters"]!.AsArray().Select(r => r!["phone"]!.GetValue<string>()).ToArray());
        Assert.DoesNotContain("13700001111", added.ToJsonString());
    }

    [Fact]
    public async Task PublicTrackingView_NeverShowsNamesOrPhones()
    {
        var (mjc, _) = await CasesAsync("公开进度");
        var town = app.SharedClientAs("town");
        await town.DoAsync(mjc, "personal-data");
        await town.DoAsync(mjc, "reporters", new { name = "李秀英", phone = "13700001111" });
        await app.SharedClientAs("agency").DoAsync(mjc, "resolve", new { outcome = "Solved", result = $"已联系{Name}（{Phone}）调解完毕" });
        var code = (await town.GetCaseAsync(mjc)).TrackingCode();

        using var response = await app.AnonymousClient().TrackAsync(code);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var secret in new[] { Name, "李秀英", Phone, "13700001111", MaskedPhone, "****", "张", "司法所调解员", "镇办受理员" })
        {
            Assert.DoesNotContain(secret, text);
        }
        Assert.DoesNotContain("reporters", JsonNode.Parse(text)!.AsObject().Select(p => p.Key));
    }
}

public sealed class PersonalDataTests_Sqlite(SqliteApp app) : PersonalDataTests(app), IClassFixture<SqliteApp>;

public sealed class PersonalDataTests_Postgres(PostgresApp app) : PersonalDataTests(app), IClassFixture<PostgresApp>;
