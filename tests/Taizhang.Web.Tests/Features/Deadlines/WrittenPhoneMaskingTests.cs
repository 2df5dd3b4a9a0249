using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Deadlines;

/// <summary>
/// Phone numbers typed into the deadline practice's free text (a suspension's reason, a reminder's note, a contact's note)
/// are masked wherever they are read: also when written as people write them (138 1234 5678, 138-1234-5678, +86…,
/// full-width digits), and also in the case's API timeline, which gave every reason whole while the page masked it
/// (attack review of issue 16).
/// </summary>
public abstract class WrittenPhoneMaskingTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");
    private HttpClient Cadre => app.SharedClientAs("cadre");
    private HttpClient Member => app.SharedClientAs("member");

    private static readonly string[] Written = ["139 1234 5678", "137-1234-5678", "+86 136.1234.5678", "１３５１２３４５６７８", "13412345678"];

    private static readonly string[] Masked = ["139****5678", "137****5678", "136****5678", "134****5678"];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON answer's text with its escapes undone (Chinese, '+'), so what a reader would see can be searched.</summary>
    private static string Plain(string json) => JsonSerializer.Serialize(JsonNode.Parse(json), Relaxed);

    [Fact]
    public async Task PhonesWrittenWithSpacesDashesOrFullWidthDigits_AreMaskedInNotesAndReasons_OnPagesAndInTheApi()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var id = await Town.RegisterIdAsync(CaseApi.NewCase(title: "挂起：等待村民回电"));
        await Town.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        await Town.DoAsync(id, "remind", new { note = "请联系村民 " + Written[0] + " 或 " + Written[4] });
        await Cadre.DoAsync(id, "contact", new { note = "已回电 " + Written[3] });
        await Cadre.DoAsync(id, "request-suspension", new { reason = "等待村民（" + Written[1] + "，" + Written[2] + "）提供材料" });

        var texts = new List<(string Where, string Text)>
        {
            ("case api (town)", Plain(await Town.GetStringAsync($"/api/v1/cases/{id}"))),
            ("case api (member)", Plain(await Member.GetStringAsync($"/api/v1/cases/{id}"))),
            ("ledger api", Plain(await Town.GetStringAsync("/api/v1/cases?pendingRequest=true&pageSize=100"))),
            ("tasks api (town)", Plain(await Town.GetStringAsync("/api/v1/tasks"))),
            ("tasks api (cadre)", Plain(await Cadre.GetStringAsync("/api/v1/tasks"))),
            ("case page", WebUtility.HtmlDecode((await Town.GetHtmlAsync($"/cases/{id}")).Html)),
            ("tasks page", WebUtility.HtmlDecode((await Town.GetHtmlAsync("/tasks")).Html)),
        };
        Assert.Contains(Masked[0], texts[0].Text);
        Assert.Contains(Masked[1], texts[0].Text);
        Assert.Contains(Masked[2], texts[0].Text);
        Assert.Contains(Masked[3], texts[0].Text);
        foreach (var (where, text) in texts)
        {
            foreach (var written in Written)
            {
                Assert.False(text.Contains(written, StringComparison.Ordinal), $"{where} shows {written}");
            }
            Assert.DoesNotContain("12345678", text.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
                .Replace(".", "", StringComparison.Ordinal));
        }

        // Office landlines and ordinary figures in a note stay as typed.
        await Town.DoAsync(id, "decide-suspension", new { approve = false, note = "请按 2026-12-07 前办结，镇办电话 0932-4567890，共 3 户" });
        var after = Plain(await Town.GetStringAsync($"/api/v1/cases/{id}"));
        Assert.Contains("2026-12-07", after);
        Assert.Contains("共 3 户", System.Text.RegularExpressions.Regex.Unescape(after));
    }
}

public sealed class WrittenPhoneMaskingTests_Sqlite(SqliteApp app) : WrittenPhoneMaskingTests(app), IClassFixture<SqliteApp>;

public sealed class WrittenPhoneMaskingTests_Postgres(PostgresApp app) : WrittenPhoneMaskingTests(app), IClassFixture<PostgresApp>;
