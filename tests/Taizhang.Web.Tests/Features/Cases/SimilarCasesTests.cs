using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// Similar-case suggestions from the full-text index, at triage and at intake: the walk-through's miss —
/// the same caller's "马家村路灯不亮", same village, same day — ranks above a stranger's near-copy; an
/// unrelated matter of the same caller is not suggested; nothing of a phone is in the answer.
/// </summary>
public abstract class SimilarCasesTests(TaizhangApp app) : IAsyncLifetime
{
    private const string Caller = "13655551234";
    private const string NewTitle = "马家村村口路灯坏了晚上看不见";
    private readonly HttpClient _town = app.ClientAs();
    private long _nearCopy, _sameCaller, _unrelated, _new;

    public async Task InitializeAsync()
    {
        // Once per class (its own database): a second test reads the ids back.
        var existing = await app.WithDbAsync(db => Task.FromResult(db.Cases.OrderBy(c => c.Id).Select(c => c.Id).ToList()));
        if (existing.Count == 4)
        {
            (_nearCopy, _sameCaller, _unrelated, _new) = (existing[0], existing[1], existing[2], existing[3]);
            return;
        }
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-5));
        _nearCopy = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村口路灯坏了晚上看不见", orgUnit: "SCH-WJC", phone: "13700009999"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(-3));
        _sameCaller = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马家村路灯不亮", orgUnit: "SCH-MJC", phone: Caller));
        _unrelated = await _town.RegisterIdAsync(CaseApi.NewCase(title: "低保申请没有回音", orgUnit: "SCH-MJC", phone: Caller));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(-1));
        _new = await _town.RegisterIdAsync(CaseApi.NewCase(title: NewTitle, orgUnit: "SCH-MJC", phone: Caller));
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AtTriage_TheSameCallersCaseInTheSameVillage_RanksFirst()
    {
        var (_, html) = await _town.GetHtmlAsync("/triage");
        var start = html.IndexOf($"id=\"case-{_new}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the new case is in the queue");
        var row = html[start..html.IndexOf("</article>", start, StringComparison.Ordinal)];
        var first = row.IndexOf($"data-suggestion-id=\"{_sameCaller}\"", StringComparison.Ordinal);
        var second = row.IndexOf($"data-suggestion-id=\"{_nearCopy}\"", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, row);
        Assert.DoesNotContain($"data-suggestion-id=\"{_unrelated}\"", row);
        Assert.DoesNotContain(Caller, row);
    }

    [Fact]
    public async Task AtIntake_WhileTheOperatorTypes_TheSameCallersCaseRanksFirst_AndNoPhoneIsAnswered()
    {
        var operatorClient = app.ClientAs("operator");
        var draft = new { title = NewTitle, description = NewTitle + "，已经一个多星期了，晚上出行不便。", orgUnit = "SCH-MJC", phone = Caller };
        using var response = await operatorClient.PostAsJsonAsync("/api/v1/cases/similar", draft);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var ids = JsonNode.Parse(body)!.AsArray().Select(s => s!["id"]!.GetValue<long>()).ToArray();
        // The same caller's cases in the village (today's two) come before the stranger's near-copy of five days ago.
        Assert.Equal([_new, _sameCaller, _nearCopy], ids);
        Assert.DoesNotContain(_unrelated, ids);
        Assert.DoesNotContain(Caller, body);

        // Without the phone, the text and the village still find both; an empty or unknown draft finds nothing.
        using var noPhone = await operatorClient.PostAsJsonAsync("/api/v1/cases/similar", draft with { phone = (string)null! });
        var noPhoneIds = JsonNode.Parse(await noPhone.Content.ReadAsStringAsync())!.AsArray().Select(s => s!["id"]!.GetValue<long>()).ToArray();
        Assert.Contains(_sameCaller, noPhoneIds);
        Assert.Contains(_nearCopy, noPhoneIds);
        using var empty = await operatorClient.PostAsJsonAsync("/api/v1/cases/similar", new { title = "", orgUnit = "NOPE" });
        Assert.Equal("[]", await empty.Content.ReadAsStringAsync());
    }
}

public sealed class SimilarCasesTests_Sqlite(SqliteApp app) : SimilarCasesTests(app), IClassFixture<SqliteApp>;

public sealed class SimilarCasesTests_Postgres(PostgresApp app) : SimilarCasesTests(app), IClassFixture<PostgresApp>;
