using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// The county's ledger at scale (issue 17): its total from the county counters (<c>LedgerCounts</c>) for the filters
/// they hold, and its page merged from each town's own first rows when the filters match many cases
/// (<c>ListCases.Handler.ByTownAsync</c>). Both must give exactly what the cases themselves give: here the expected
/// total and order are computed from the rows in the database (the filter's definition applied in C#, sorted with
/// the ledger's id tie-break), for a county post over two towns and for one town's clerk, for every filter the
/// counters hold and one they do not, every sort, and pages of 3 (small pages of a dense filter merge by town,
/// deeper ones do not: both plans are compared).
/// </summary>
public abstract class LedgerCountsTests(TaizhangApp app)
{
    private sealed record Row(long Id, long TownId, CaseStatus Status, Channel Channel, Track? Track, Outcome? Outcome, Satisfaction? Satisfaction,
        DateTime? ResolvedAt, DateTime DueAt, DateTime RegisteredAt, DateTime UpdatedAt, int ReopenCount, int FollowUpCount, Urgency Urgency, string? Category);

    private static readonly (string Query, Func<Row, bool> Selects)[] Filters =
    [
        ("", _ => true),
        ("status=Registered", r => r.Status == CaseStatus.Registered),
        ("status=Resolved,FollowedUp", r => r.Status is CaseStatus.Resolved or CaseStatus.FollowedUp),
        ("satisfaction=Satisfied", r => r.Satisfaction == Satisfaction.Satisfied),
        ("satisfaction=Unsatisfied,basicallysatisfied", r => r.Satisfaction is Satisfaction.Unsatisfied or Satisfaction.BasicallySatisfied),
        ("outcome=Solved", r => r.Outcome == Outcome.Solved),
        ("outcome=Explained&status=Resolved", r => r.Outcome == Outcome.Explained && r.Status == CaseStatus.Resolved),
        ("onTime=true", r => r.ResolvedAt != null && r.ResolvedAt < r.DueAt),
        ("onTime=false", r => r.ResolvedAt != null && r.ResolvedAt >= r.DueAt),
        ("resolvedOnce=true", r => r.ReopenCount > 0 || r.Status is CaseStatus.Resolved or CaseStatus.FollowedUp),
        ("resolvedOnce=false", r => r.ReopenCount == 0 && r.Status is not (CaseStatus.Resolved or CaseStatus.FollowedUp)),
        ("followedUp=true", r => r.FollowUpCount > 0),
        ("followedUp=false&satisfaction=Satisfied", r => r.FollowUpCount == 0 && r.Satisfaction == Satisfaction.Satisfied),
        ("channel=WalkIn", r => r.Channel == Channel.WalkIn),
        ("track=Direct", r => r.Track == Track.Direct),
        ("track=Topic", r => r.Track == Track.Topic),
        ("track=Topic,Direct", r => r.Track != null),
        // Channel, urgency and track together, any sets: the kind counters (CaseKindCount).
        ("channel=WalkIn,hotline", r => r.Channel is Channel.WalkIn or Channel.Hotline),
        ("urgency=Urgent", r => r.Urgency == Urgency.Urgent),
        ("channel=Hotline&urgency=Normal", r => r.Channel == Channel.Hotline && r.Urgency == Urgency.Normal),
        ("track=Direct&channel=WalkIn", r => r.Track == Track.Direct && r.Channel == Channel.WalkIn),
        ("urgency=Urgent,Normal&track=Topic", r => r.Urgency is Urgency.Urgent or Urgency.Normal && r.Track == Track.Topic),
        // One urgency and one category: each town's matches in order from (TownId, Urgency, CategoryId, RegisteredAt).
        ("urgency=Urgent&category=roads", r => r.Urgency == Urgency.Urgent && r.Category == "roads"),
        ("urgency=Normal&category=water", r => r.Urgency == Urgency.Normal && r.Category == "water"),
        ("urgency=Normal&category=water,roads", r => r.Urgency == Urgency.Normal && r.Category is "water" or "roads"),
        // A registration date range (local dates: the registrations run from 10:37 on 6 November into the 7th, Beijing time),
        // alone (each town's rows in order from (TownId, RegisteredAt)) and with a channel.
        ("from=2026-11-06&to=2026-11-06", r => LocalDate(r) == new DateOnly(2026, 11, 6)),
        ("channel=Hotline&to=2026-11-06", r => r.Channel == Channel.Hotline && LocalDate(r) <= new DateOnly(2026, 11, 6)),
        ("from=2026-11-07", r => LocalDate(r) >= new DateOnly(2026, 11, 7)),
    ];

    private static DateOnly LocalDate(Row r) => DateOnly.FromDateTime(r.RegisteredAt.AddHours(8));

    private static readonly string[] Sorts = ["", "-registeredAt", "registeredAt", "dueAt", "-dueAt", "updatedAt", "-updatedAt", "id", "-id"];

    [Fact]
    public async Task TotalsFromTheCounters_AndPagesMergedByTown_AreExactlyTheCasesInTheLedgersOrder()
    {
        var county = app.ClientAs("admin-county");
        var town = app.ClientAs("town");
        var (other, otherTown, otherVillage) = await SecondTownClerkAsync();

        // Registrations a few minutes apart, the towns interleaved, taken through every turn of the lifecycle.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-20));
        for (var i = 0; i < 24; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(37));
            var (client, unit) = i % 3 == 2 ? (other, otherVillage) : (town, "SCH-MJC");
            var id = await client.RegisterIdAsync(CaseApi.NewCase(title: $"县域合计 {i}", orgUnit: unit,
                channel: i % 4 == 0 ? "WalkIn" : "Hotline", urgency: i % 5 == 0 ? "Urgent" : null, category: i % 7 < 3 ? "water" : "roads"));
            if (i % 6 == 0)
            {
                continue; // registered only
            }
            if (i % 12 == 1)
            {
                await client.DoAsync(id, "triage", new { track = "Topic" });
                continue; // a topic for deliberation
            }
            await client.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = unit });
            if (i % 6 == 1)
            {
                continue; // in handling
            }
            // Some resolved late: the clock passes the due date first.
            app.Clock.Advance(TimeSpan.FromDays(i % 4 == 3 ? 40 : 0));
            await client.DoAsync(id, "resolve", new { outcome = i % 2 == 0 ? "Solved" : "Explained", result = "已处理" });
            app.Clock.Advance(TimeSpan.FromDays(i % 4 == 3 ? -40 : 0));
            if (i % 6 >= 3)
            {
                // Unsatisfied reopens the case by itself (reopened once: resolvedOnce stays true).
                await client.DoAsync(id, "follow-up", new { satisfaction = (i % 6) switch { 3 => "Satisfied", 4 => "BasicallySatisfied", _ => "Unsatisfied" } });
            }
        }
        app.Clock.SetUtcNow(TaizhangApp.Start);

        var rows = await app.WithDbAsync(db => db.Cases.AsNoTracking()
            .Select(c => new Row(c.Id, c.TownId, c.Status, c.Channel, c.Track, c.Outcome, c.Satisfaction, c.ResolvedAt, c.DueAt, c.RegisteredAt,
                c.UpdatedAt, c.ReopenCount, c.FollowUpCount, c.Urgency, db.Categories.Where(k => k.Id == c.CategoryId).Select(k => k.Code).FirstOrDefault()))
            .ToListAsync());
        Assert.Equal(24, rows.Count);
        var sch = await app.UnitIdAsync("SCH");
        Assert.Equal(2, rows.Select(r => r.TownId).Distinct().Count());

        var merged = 0;
        foreach (var (who, client, scope) in new[] { ("county", county, rows), ("town", town, rows.Where(r => r.TownId == sch).ToList()) })
        {
            foreach (var (query, selects) in Filters)
            {
                var matching = scope.Where(selects).ToList();
                foreach (var sort in Sorts)
                {
                    var expected = Ordered(matching, sort).Select(r => r.Id).ToList();
                    var seen = new List<long>();
                    for (var page = 1; page <= expected.Count / 3 + 1; page++)
                    {
                        var q = string.Join('&', new[] { query, sort.Length > 0 ? "sort=" + sort : "", $"pageSize=3&page={page}" }.Where(p => p.Length > 0));
                        var result = await client.ListAsync(q);
                        Assert.True(expected.Count == result.Total(), $"{who} {q}: total {result.Total()}, expected {expected.Count}");
                        seen.AddRange(result.ItemIds());
                        // The plan the ledger takes for a county's dense filter: matches² > towns × rows × scope.
                        if (who == "county" && (double)matching.Count * matching.Count > 2.0 * page * 3 * scope.Count)
                        {
                            merged++;
                        }
                    }
                    Assert.True(expected.SequenceEqual(seen), $"{who} {query} sort={sort}: [{string.Join(',', seen)}], expected [{string.Join(',', expected)}]");
                }
            }
        }
        Assert.True(merged > 50, $"only {merged} pages took the merged plan");

        // The other town's clerk sees only theirs, counted from the counters too.
        var ofOther = await other.ListAsync("followedUp=true&pageSize=200");
        Assert.Equal(rows.Count(r => r.TownId == otherTown && r.FollowUpCount > 0), ofOther.Total());
        Assert.Equal(ofOther.Total(), ofOther.ItemIds().Length);

        // The merge's statements themselves, which give the same rows whatever their shape. PostgreSQL: one LATERAL
        // subquery per part (with a bare column as the correlation EF Core writes ROW_NUMBER() over every match of the
        // county instead: 1 s a page at 1,000,000 cases). SQLite: the late cases from their own partial index.
        // Three more cases resolved late, so the county's late cases outnumber its towns (the merge's condition for a page of one).
        for (var i = 0; i < 3; i++)
        {
            var id = await town.RegisterIdAsync(CaseApi.NewCase(title: $"逾期办结 {i}", orgUnit: "SCH-MJC", channel: "WalkIn"));
            await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            app.Clock.Advance(TimeSpan.FromDays(40));
            await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理" });
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
        var capture = new LogCapture();
        using (var logged = LogCapture.Host(app, capture))
        {
            var reader = app.ClientOf(logged, "admin-county");
            Assert.Equal(rows.Count(r => r.Channel == Channel.Hotline), (await reader.ListAsync("channel=Hotline&pageSize=3")).Total());
            Assert.Equal(rows.Count(r => r.ResolvedAt >= r.DueAt) + 3, (await reader.ListAsync("onTime=false&pageSize=1")).Total());
        }
        var statements = capture.Lines.Where(l => l.StartsWith("Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal)).ToList();
        if (app.Provider == "Postgres")
        {
            Assert.Contains(statements, l => l.Contains("JOIN LATERAL", StringComparison.Ordinal) && l.Contains("\"Channel\" = ", StringComparison.Ordinal));
            Assert.Contains(statements, l => l.Contains("JOIN LATERAL", StringComparison.Ordinal) && l.Contains("\"ResolvedAt\" >= ", StringComparison.Ordinal));
            Assert.DoesNotContain(statements, l => l.Contains("ROW_NUMBER()", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(statements, l => l.Contains("INDEXED BY \"IX_Cases_Late_TownId_RegisteredAt\"", StringComparison.Ordinal));
        }
    }

    private static IEnumerable<Row> Ordered(IEnumerable<Row> rows, string sort)
    {
        var descending = sort.Length == 0 || sort.StartsWith('-');
        Func<Row, DateTime> key = sort.TrimStart('-') switch
        {
            "dueAt" => r => r.DueAt,
            "updatedAt" => r => r.UpdatedAt,
            "id" => _ => default,
            _ => r => r.RegisteredAt,
        };
        return descending ? rows.OrderByDescending(key).ThenByDescending(r => r.Id) : rows.OrderBy(key).ThenBy(r => r.Id);
    }

    private async Task<(HttpClient Client, long Town, string Village)> SecondTownClerkAsync()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "L" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "金山镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "南村", kind = "Village", parent = town })).StatusCode);
        var userName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "金山镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = town } },
        })).StatusCode);
        var client = await app.SignInClientAsync(userName, TaizhangApp.Password);
        return (client, await app.UnitIdAsync(town), village);
    }
}

public sealed class LedgerCountsTests_Sqlite(SqliteApp app) : LedgerCountsTests(app), IClassFixture<SqliteApp>;

public sealed class LedgerCountsTests_Postgres(PostgresApp app) : LedgerCountsTests(app), IClassFixture<PostgresApp>;
