using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// A merge names another case on both timelines and on the moved reporters. Whoever may not see that
/// other case (a cadre of another village) must learn neither its id nor its tracking code — not from
/// the API, not from the case page, and not through the public tracking view, which would then show
/// the other case's progress. Those who may see both cases still see the link.
/// </summary>
public abstract partial class OtherCaseReferencesTests(TaizhangApp app)
{
    private readonly HttpClient _town = app.SharedClientAs("town");
    private readonly HttpClient _cadre = app.SharedClientAs("cadre");

    [Fact]
    public async Task CaseMergedIntoAnotherVillagesCase_ItsCadre_SeesNeitherTheSurvivorsIdNorCode_InApiPageOrTracking()
    {
        // 马家村's case merged into 王家村's: the 马家村 cadre still sees their case, not 王家村's.
        var survivor = await _town.RegisterAsync(CaseApi.NewCase(title: "王家村水渠堵塞", orgUnit: "SCH-WJC", reporterName: "王大妈", phone: "13700002222"));
        var merged = await _town.RegisterAsync(CaseApi.NewCase(title: "水渠堵了没人管", orgUnit: "SCH-MJC"));
        var (survivorId, survivorCode) = (survivor.Id(), survivor.TrackingCode());
        // The demo's merges write the survivor's code into the reason, as staff do.
        await _town.DoAsync(merged.Id(), "merge", new { into = survivorId, reason = $"与{survivorCode}反映的是同一事项，合并办理。" });

        var api = await _cadre.GetCaseAsync(merged.Id());
        Assert.Equal("Merged", api.Status());
        Assert.Null(api["mergedInto"]);
        var merge = api.LastEvent();
        Assert.Equal("Merge", merge["action"]!.GetValue<string>());
        Assert.False(merge["payload"]!.AsObject().ContainsKey("intoCaseId"), merge.ToJsonString());
        Assert.False(merge["payload"]!.AsObject().ContainsKey("intoTrackingCode"), merge.ToJsonString());
        Assert.Equal("与****-****反映的是同一事项，合并办理。", merge["reason"]!.GetValue<string>());
        AssertNoReference(api, survivorId, survivorCode);

        var (status, raw) = await _cadre.GetHtmlAsync($"/cases/{merged.Id()}");
        var html = WebUtility.HtmlDecode(raw);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(survivorCode, html);
        Assert.DoesNotContain($"href=\"/cases/{survivorId}\"", html);
        Assert.Contains("另一事项（不在您的范围内）", html);
        Assert.EndsWith("合并到另一事项（不在您的范围内）。说明：与****-****反映的是同一事项，合并办理。", Timeline(html)[^1]);

        // The public view of the merged case's code says it was merged, not into which case.
        using var tracked = await app.AnonymousClient().TrackAsync(merged.TrackingCode());
        var text = await tracked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.DoesNotContain(survivorCode, text);
        var publicView = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Merged", publicView["status"]!.GetValue<string>());
        Assert.False(publicView.ContainsKey("mergedIntoTrackingCode"));
        var publicMerge = publicView["timeline"]!.AsArray()[^1]!;
        Assert.Equal("Merge", publicMerge["action"]!.GetValue<string>());
        Assert.Null(publicMerge["detail"]);

        // The town sees both cases, and the link between them, as before.
        var town = await _town.GetCaseAsync(merged.Id());
        Assert.Equal(survivorId, town["mergedInto"]!["id"]!.GetValue<long>());
        Assert.Equal(survivorCode, town.LastEvent()["payload"]!["intoTrackingCode"]!.GetValue<string>());
        Assert.Equal(survivorId, town.LastEvent()["payload"]!["intoCaseId"]!.GetValue<long>());
        Assert.Contains(survivorCode, town.LastEvent()["reason"]!.GetValue<string>());
        var townHtml = WebUtility.HtmlDecode((await _town.GetHtmlAsync($"/cases/{merged.Id()}")).Html);
        Assert.Contains($"<a href=\"/cases/{survivorId}\" class=\"code\">{survivorCode}</a>", townHtml);
        Assert.StartsWith($"合并到事项 {survivorCode}", Timeline(townHtml)[^1].Split(' ', 4)[^1]);
    }

    [Fact]
    public async Task AnotherVillagesCaseMergedIn_TheSurvivorsCadre_SeesNeitherItsIdNorCode_InAbsorbEventOrMovedReporter()
    {
        // The reverse: 王家村's case merged into 马家村's; its reporter moves with it.
        var survivor = await _town.RegisterAsync(CaseApi.NewCase(title: "马家村路灯坏了", orgUnit: "SCH-MJC"));
        var absorbed = await _town.RegisterAsync(CaseApi.NewCase(title: "路灯不亮", orgUnit: "SCH-WJC", reporterName: "王大妈", phone: "13700002222"));
        var (absorbedId, absorbedCode) = (absorbed.Id(), absorbed.TrackingCode());
        await _town.DoAsync(absorbed.Id(), "merge", new { into = survivor.Id(), reason = $"同一事项（原{absorbedCode.ToLowerInvariant()}）" });

        var api = await _cadre.GetCaseAsync(survivor.Id());
        var absorb = api.LastEvent();
        Assert.Equal("AbsorbMerged", absorb["action"]!.GetValue<string>());
        Assert.Equal(1, absorb["payload"]!["reportersAdded"]!.GetValue<int>());
        Assert.False(absorb["payload"]!.AsObject().ContainsKey("mergedCaseId"), absorb.ToJsonString());
        Assert.False(absorb["payload"]!.AsObject().ContainsKey("mergedTrackingCode"), absorb.ToJsonString());
        Assert.Equal("同一事项（原****-****）", absorb["reason"]!.GetValue<string>());
        var moved = api["reporters"]!.AsArray()[^1]!;
        Assert.Null(moved["fromCaseId"]);
        Assert.True(moved["fromMerge"]!.GetValue<bool>());
        AssertNoReference(api, absorbedId, absorbedCode);

        var html = WebUtility.HtmlDecode((await _cadre.GetHtmlAsync($"/cases/{survivor.Id()}")).Html);
        Assert.DoesNotContain(absorbedCode, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"href=\"/cases/{absorbedId}\"", html);
        Assert.EndsWith("并入另一相同事项（不在您的范围内），新增反映人 1 位。说明：同一事项（原****-****）", Timeline(html)[^1]);
        Assert.Contains("来自合并的事项", html);

        // The town sees where the reporter came from.
        var town = await _town.GetCaseAsync(survivor.Id());
        Assert.Equal(absorbedId, town["reporters"]!.AsArray()[^1]!["fromCaseId"]!.GetValue<long>());
        Assert.Equal(absorbedCode, town.LastEvent()["payload"]!["mergedTrackingCode"]!.GetValue<string>());
        Assert.Equal(absorbedId, town.LastEvent()["payload"]!["mergedCaseId"]!.GetValue<long>());
        Assert.Equal($"同一事项（原{absorbedCode.ToLowerInvariant()}）", town.LastEvent()["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACodeWrittenAnyWayPeopleWriteIt_IsMasked()
    {
        var other = await _town.RegisterAsync(CaseApi.NewCase(title: "王家村的另一件事", orgUnit: "SCH-WJC"));
        var code = other.TrackingCode();
        var (a, b) = (code[..4], code[5..]);
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村的又一件事", orgUnit: "SCH-MJC"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        // The forms found by the outside review: full-width hyphen, space, underscore, and lower case with a hyphen.
        var result = $"见{a}－{b}、{a} {b}、{a}_{b}、{code.ToLowerInvariant()}";
        await _cadre.DoAsync(id, "resolve", new { outcome = "Solved", result });

        var shown = (await _cadre.GetCaseAsync(id)).LastEvent()["payload"]!["result"]!.GetValue<string>();
        Assert.Equal("见****-****、****-****、****-****、****-****", shown);
        var page = WebUtility.HtmlDecode((await _cadre.GetHtmlAsync($"/cases/{id}")).Html);
        Assert.DoesNotContain(b, page);
    }

    [Fact]
    public async Task CodesInFreeText_AreMaskedOnlyForCasesTheReaderCannotSee()
    {
        var own = await _town.RegisterAsync(CaseApi.NewCase(title: "马家村另一件事", orgUnit: "SCH-MJC"));
        var other = await _town.RegisterAsync(CaseApi.NewCase(title: "王家村的事", orgUnit: "SCH-WJC"));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村的事", orgUnit: "SCH-MJC"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        // A result naming a case the cadre sees, one they do not, and a word in capitals that names no case.
        var result = $"参照{own.TrackingCode()}和{other.TrackingCode().Replace("-", "")}的做法办结，编号WXYZ-WXYZ";
        await _cadre.DoAsync(id, "resolve", new { outcome = "Solved", result });

        var api = await _cadre.GetCaseAsync(id);
        Assert.Equal($"参照{own.TrackingCode()}和****-****的做法办结，编号WXYZ-WXYZ", api.LastEvent()["payload"]!["result"]!.GetValue<string>());
        Assert.DoesNotContain(other.TrackingCode().Replace("-", ""), api.ToJsonString());
        Assert.Equal(result, (await _town.GetCaseAsync(id)).LastEvent()["payload"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublicTracking_NeverShowsAnotherCasesCode_EvenInTheRejectionReason()
    {
        var first = await _town.RegisterAsync(CaseApi.NewCase(title: "河堤护栏损坏"));
        var repeat = await _town.RegisterAsync(CaseApi.NewCase(title: "河堤栏杆坏了"));
        await _town.DoAsync(repeat.Id(), "reject", new { reason = $"与{first.TrackingCode()}重复（本件{repeat.TrackingCode()}）" });

        using var response = await app.AnonymousClient().TrackAsync(repeat.TrackingCode());
        var json = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"与****-****重复（本件{repeat.TrackingCode()}）", json["timeline"]!.AsArray()[^1]!["detail"]!.GetValue<string>());
        Assert.DoesNotContain(first.TrackingCode(), json.ToJsonString());
    }

    /// <summary>No field that names a case carries the other case, and its code appears nowhere (however written).</summary>
    private static void AssertNoReference(JsonObject c, long otherId, string otherCode)
    {
        var text = c.ToJsonString();
        Assert.DoesNotContain(otherCode, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(otherCode.Replace("-", ""), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(otherId, CaseIds(c));
    }

    /// <summary>Values of every property that names a case: "…CaseId", and the id of "mergedInto".</summary>
    private static IEnumerable<long> CaseIds(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key.EndsWith("CaseId", StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<long>(out var id))
                    {
                        yield return id;
                    }
                    else if (key == "mergedInto" && value?["id"] is JsonValue into)
                    {
                        yield return into.GetValue<long>();
                    }
                    else
                    {
                        foreach (var inner in CaseIds(value))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonArray a:
                foreach (var inner in a.SelectMany(CaseIds))
                {
                    yield return inner;
                }
                break;
        }
    }

    /// <summary>The timeline entries as text (tags stripped, spaces collapsed).</summary>
    private static string[] Timeline(string html)
    {
        var list = TimelineRegex().Match(html);
        Assert.True(list.Success, "no timeline");
        return ItemRegex().Matches(list.Groups[1].Value)
            .Select(m => Regex.Replace(TagRegex().Replace(m.Groups[1].Value, ""), "\\s+", " ").Trim())
            .ToArray();
    }

    [GeneratedRegex("<ol class=\"timeline\">(.*?)</ol>", RegexOptions.Singleline)]
    private static partial Regex TimelineRegex();

    [GeneratedRegex("<li[^>]*>(.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ItemRegex();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagRegex();
}

public sealed class OtherCaseReferencesTests_Sqlite(SqliteApp app) : OtherCaseReferencesTests(app), IClassFixture<SqliteApp>;

public sealed class OtherCaseReferencesTests_Postgres(PostgresApp app) : OtherCaseReferencesTests(app), IClassFixture<PostgresApp>;
