using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Demo;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// On the demo year, the board's stages, the triage page's queues and the ledger's ready-made
/// views count the same cases: they all derive from the lifecycle's stages (Lifecycle.StageOf).
/// </summary>
public abstract partial class QueuesAgreeTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Taizhang.Web.Data.TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var codeKey = await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.CaseIds>().KeyAsync(CancellationToken.None);
        await DemoCases.SeedAsync(db, new DemoOptions().RandomSeed, 600, due, app.Clock.GetUtcNow().UtcDateTime, codeKey, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task BoardStages_TriageQueues_AndLedgerViews_CountTheSameCases()
    {
        var (_, board) = await _town.GetHtmlAsync("/board");
        var stages = PageApi.BoardStages(board).ToDictionary(kv => Enum.Parse<CaseStage>(kv.Key), kv => kv.Value);
        Assert.Equal(Enum.GetValues<CaseStage>().Order(), stages.Keys.Order());
        // Every case is in exactly one stage.
        Assert.Equal((await _town.ListAsync("")).Total(), stages.Values.Sum(s => s.Count));
        // The demo year has cases waiting in both office queues, or the comparison would prove little.
        Assert.True(stages[CaseStage.AwaitingTriage].Count > 0);
        Assert.True(stages[CaseStage.AwaitingAssignment].Count > 0);

        var (status, triage) = await _town.GetHtmlAsync("/triage");
        Assert.Equal(HttpStatusCode.OK, status);
        var queues = QueueFigure().Matches(triage).ToDictionary(m => Enum.Parse<CaseStage>(m.Groups["key"].Value), m => int.Parse(m.Groups["n"].Value));
        Assert.Equal([CaseStage.AwaitingTriage, CaseStage.AwaitingAssignment], queues.Keys);
        Assert.Contains($"data-total=\"{stages[CaseStage.AwaitingTriage].Count}\"", triage);
        var (_, assignment) = await _town.GetHtmlAsync("/triage?queue=AwaitingAssignment");
        Assert.Contains($"data-total=\"{stages[CaseStage.AwaitingAssignment].Count}\"", assignment);

        var (_, ledger) = await _town.GetHtmlAsync("/cases");
        var views = ViewLink().Matches(ledger).ToDictionary(m => m.Groups["key"].Value, m => WebUtility.HtmlDecode(m.Groups["href"].Value));
        foreach (var (stage, (link, count)) in stages)
        {
            Assert.Equal(count, await TotalAsync(link));
            if (stage != CaseStage.Closed)
            {
                // The same link: arriving from the board marks the view as the current one.
                Assert.Equal(link, views[stage.ToString()]);
                Assert.Equal(count, await TotalAsync(views[stage.ToString()]));
            }
            if (queues.TryGetValue(stage, out var queued))
            {
                Assert.Equal(count, queued);
            }
        }
    }

    [Fact]
    public async Task TheOfficeQueues_AreViewsOnlyForThoseWhoWorkThem()
    {
        var (_, agency) = await app.SharedClientAs("agency").GetHtmlAsync("/cases");
        var views = ViewLink().Matches(agency).Select(m => m.Groups["key"].Value).ToList();
        Assert.Equal(["Deliberation", "InHandling", "AwaitingFollowUp"], views);
        var (_, town) = await _town.GetHtmlAsync("/cases");
        Assert.Equal(["AwaitingTriage", "AwaitingAssignment", "Deliberation", "InHandling", "AwaitingFollowUp"],
            ViewLink().Matches(town).Select(m => m.Groups["key"].Value).ToList());
    }

    private Task<int> TotalAsync(string link) => _town.LedgerTotalAsync(link);

    [GeneratedRegex("""data-queue="(?<key>[^"]+)" data-count="(?<n>\d+)""")]
    private static partial Regex QueueFigure();

    [GeneratedRegex("""<a href="(?<href>/cases[^"]*)" data-view="stage\.(?<key>\w+)""")]
    private static partial Regex ViewLink();
}

public sealed class QueuesAgreeTests_Sqlite(SqliteApp app) : QueuesAgreeTests(app), IClassFixture<SqliteApp>;

public sealed class QueuesAgreeTests_Postgres(PostgresApp app) : QueuesAgreeTests(app), IClassFixture<PostgresApp>;
