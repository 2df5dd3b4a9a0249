using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>The journal's file: records come back as written, across segments; a torn or corrupt tail is cut off.</summary>
public sealed class IntakeJournalFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "taizhang-tests", "journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static byte[] Payload(int n) => System.Text.Encoding.UTF8.GetBytes($"登记 {n} " + new string('x', n % 97));

    private static List<(long Seq, string Text)> ReadAll(string folder, long after)
    {
        using var reader = new IntakeJournal.Reader(folder, after);
        var all = new List<(long, string)>();
        while (reader.TryRead(out var seq, out var payload))
        {
            all.Add((seq, System.Text.Encoding.UTF8.GetString(payload.Span)));
        }
        return all;
    }

    [Fact]
    public void Records_ComeBackInOrder_AcrossSegments_FromAnyNumber_AndAppliedSegmentsAreDeleted()
    {
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 0, segmentBytes: 1024))
        {
            for (var i = 0; i < 40; i++)
            {
                Assert.Equal(1 + (i * 5), journal.Append(Enumerable.Range(i * 5, 5).Select(Payload).ToList()));
            }
            Assert.Equal(201, journal.NextSeq);
            Assert.True(IntakeJournal.Segments(_folder).Count > 5, "a 1 KB segment size starts several segments");

            var all = ReadAll(_folder, 0);
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), all.Select(r => r.Seq));
            Assert.Equal(System.Text.Encoding.UTF8.GetString(Payload(137)), all[137].Text);
            Assert.Equal(Enumerable.Range(151, 50).Select(i => (long)i), ReadAll(_folder, 150).Select(r => r.Seq));

            var before = IntakeJournal.Segments(_folder).Count;
            Assert.True(journal.DeleteApplied(150) > 0);
            // Whatever is not yet applied is still there, and the first remaining segment starts at or before 151.
            Assert.Equal(Enumerable.Range(151, 50).Select(i => (long)i), ReadAll(_folder, 150).Select(r => r.Seq));
            Assert.True(IntakeJournal.Segments(_folder)[0].First <= 151);
            Assert.True(IntakeJournal.Segments(_folder).Count < before);
        }
        // Reopened: numbering goes on after the last record.
        using var again = IntakeJournal.Open(_folder, appliedSeq: 150, segmentBytes: 1024);
        Assert.Equal(201, again.NextSeq);
    }

    [Theory]
    [InlineData("torn")]
    [InlineData("corrupt")]
    public void ATornOrCorruptLastRecord_IsCutOff_AndNumberingContinuesAfterTheLastWholeOne(string damage)
    {
        string last;
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 0))
        {
            journal.Append([Payload(1), Payload(2)]);
            journal.Append([Payload(3)]);
            last = IntakeJournal.Segments(_folder)[^1].Path;
        }
        var bytes = File.ReadAllBytes(last);
        if (damage == "torn")
        {
            // A power cut in the middle of the third record's write.
            File.WriteAllBytes(last, bytes[..^5]);
        }
        else
        {
            // A flipped byte in the third record's payload: its CRC fails.
            bytes[^3] ^= 0x5A;
            File.WriteAllBytes(last, bytes);
        }
        Assert.Equal([1L, 2L], ReadAll(_folder, 0).Select(r => r.Seq));
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 0))
        {
            Assert.Equal(3, journal.NextSeq);
            Assert.True(new FileInfo(last).Length < bytes.Length);
            Assert.Equal(3, journal.Append([Payload(30)]));
        }
        Assert.Equal([1L, 2L, 3L], ReadAll(_folder, 0).Select(r => r.Seq));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(Payload(30)), ReadAll(_folder, 2).Single().Text);
    }

    [Fact]
    public void OneAppenderPerFolder_ASecondOpenIsRefusedUntilTheFirstCloses()
    {
        var first = IntakeJournal.Open(_folder, appliedSeq: 0);
        first.Append([Payload(1)]);
        Assert.Throws<IntakeJournal.InUseException>(() => IntakeJournal.Open(_folder, appliedSeq: 0));
        first.Dispose();
        using var second = IntakeJournal.Open(_folder, appliedSeq: 0);
        Assert.Equal(2, second.Append([Payload(2)]));
    }

    [Fact]
    public void NumberingAfterTheLedger_StartsANewSegment_SoThatNoSegmentSkipsANumber()
    {
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 0))
        {
            journal.Append([Payload(1), Payload(2), Payload(3)]);
        }
        // The ledger is ahead of the journal (records lost from the folder, or entered by a backup that was restored).
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 10))
        {
            Assert.Equal(11, journal.NextSeq);
            Assert.Equal(11, journal.Append([Payload(11)]));
            Assert.Equal(12, journal.Append([Payload(12)]));
        }
        Assert.Equal(2, IntakeJournal.Segments(_folder).Count);
        // Opening again keeps 11 and 12 (a segment that skipped from 3 to 11 would have been cut at 11).
        using (var journal = IntakeJournal.Open(_folder, appliedSeq: 10))
        {
            Assert.Equal(13, journal.NextSeq);
        }
        Assert.Equal([11L, 12L], ReadAll(_folder, 10).Select(r => r.Seq));
    }

    [Fact]
    public void AnEmptiedJournal_NumbersAfterWhatTheLedgerApplied()
    {
        using var journal = IntakeJournal.Open(_folder, appliedSeq: 41);
        Assert.Equal(42, journal.NextSeq);
        Assert.Equal(42, journal.Append([Payload(1)]));
        Assert.Equal([42L], ReadAll(_folder, 41).Select(r => r.Seq));
    }

    [Fact]
    public void TheApplierThreadsPriority_IsLoweredToNice19_OnLinux()
    {
        int? nice = null;
        var thread = new Thread(() =>
        {
            Taizhang.Web.Infrastructure.LowPriorityThread.Lower(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            nice = Taizhang.Web.Infrastructure.LowPriorityThread.Current();
        });
        thread.Start();
        thread.Join();
        Assert.Equal(OperatingSystem.IsLinux() ? 19 : null, nice);
        // Only that thread: this one keeps its priority.
        Assert.NotEqual(OperatingSystem.IsLinux() ? 19 : -1, Taizhang.Web.Infrastructure.LowPriorityThread.Current());
    }

    [Fact]
    public void RowValues_RoundTrip_WithTheirTypes()
    {
        object?[] row =
        [
            null, "马家村路灯不亮", 42L, 7, 30.5, true, new DateTime(2026, 12, 7, 1, 2, 3, DateTimeKind.Utc),
            new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8)), 12.34m, new byte[] { 1, 2, 3 }, Guid.NewGuid(),
            new DateOnly(2026, 12, 7), TimeSpan.FromMinutes(90), (short)3, 1.5f, (byte)9, new TimeOnly(8, 30),
        ];
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, RowCodec.Utf8, leaveOpen: true))
        {
            RowCodec.WriteRow(w, row);
        }
        buffer.Position = 0;
        using var r = new BinaryReader(buffer, RowCodec.Utf8);
        var back = RowCodec.ReadRow(r);
        Assert.Equal(row.Length, back.Length);
        for (var i = 0; i < row.Length; i++)
        {
            Assert.Equal(row[i], back[i]);
            Assert.Equal(row[i]?.GetType(), back[i]?.GetType());
        }
        Assert.Equal(DateTimeKind.Utc, ((DateTime)back[6]!).Kind);
        using var refused = new BinaryWriter(new MemoryStream());
        Assert.Throws<NotSupportedException>(() => RowCodec.WriteRow(refused, [new Uri("http://x")]));
    }
}

/// <summary>
/// <c>Prefer: respond-async</c> on <c>POST /api/v1/cases</c>: on SQLite the registration is answered 202 once it is durable
/// in the intake journal, before the ledger has it; on PostgreSQL (no journal) the preference is not applied (201).
/// </summary>
public abstract class RespondAsyncTests(TaizhangApp app)
{
    private bool Journaled => app.Provider == "Sqlite";

    private static HttpRequestMessage Post(object body, string? key, bool respondAsync = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        if (respondAsync)
        {
            request.Headers.TryAddWithoutValidation("Prefer", "return=minimal, respond-async; wait=5");
        }
        return request;
    }

    [Fact]
    public async Task RespondAsync_IsAcceptedWithTheCase_ItsLocationReads_ARepeatIsTheSameCase_AnotherMatterIsRefused()
    {
        var (client, _) = await app.IntegrationAsync();
        var key = "async-" + Guid.NewGuid().ToString("N");
        var title = "马家村路灯不亮-" + key[^6..];
        using var first = await client.SendAsync(Post(CaseApi.NewCase(title: title), key));
        var json = await first.ReadJsonAsync();
        Assert.Equal(Journaled ? HttpStatusCode.Accepted : HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(Journaled, first.Headers.TryGetValues("Preference-Applied", out var applied) && applied.Single() == "respond-async");
        var id = json.Id();
        Assert.Equal($"/api/v1/cases/{id}", first.Headers.Location?.OriginalString);
        Assert.Matches("^[A-Z0-9-]+$", json.TrackingCode());
        Assert.Equal("Registered", json.Status());

        // The Location answers with the case (a read by id waits the moment until the ledger has it).
        var detail = await client.GetCaseAsync(id);
        Assert.Equal(title, detail["title"]!.GetValue<string>());
        Assert.Equal(json.TrackingCode(), detail["trackingCode"]!.GetValue<string>());
        Assert.Equal(["Register"], detail.EventActions());

        using var again = await client.SendAsync(Post(CaseApi.NewCase(title: title), key));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.ReadJsonAsync()).Id());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        using var other = await client.SendAsync(Post(CaseApi.NewCase(title: "完全不同的事项"), key));
        var problem = await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("intake.idempotency-key-reused", problem["code"]!.GetValue<string>());
        Assert.Equal(1, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Title == title || c.Title == "完全不同的事项")));
    }

    [Fact]
    public async Task ManyAtOnce_WithRepeatsWhileTheyArePending_MakeOneCaseEach_AllInTheLedgerAndItsSearch()
    {
        var (client, _) = await app.IntegrationAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var keys = Enumerable.Range(0, 60).Select(i => $"{run}-{i}").ToList();
        // Each key is sent twice at once: the second finds the first in the journal (or the ledger).
        var responses = await Task.WhenAll(keys.Concat(keys).Select(async k =>
        {
            using var response = await client.SendAsync(Post(CaseApi.NewCase(title: "村道积水-" + k, externalRef: "ticket-" + k), k));
            return (Key: k, response.StatusCode, Json: await response.ReadJsonAsync());
        }));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created or HttpStatusCode.OK,
            $"{r.StatusCode}: {r.Json}"));
        foreach (var pair in responses.GroupBy(r => r.Key))
        {
            Assert.Single(pair.Select(r => r.Json.Id()).Distinct());
            Assert.Single(pair, r => r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Created);
        }
        var ids = responses.Select(r => r.Json.Id()).Distinct().ToList();
        Assert.Equal(60, ids.Count);
        // Every one is read by its id, and then is in the ledger once.
        foreach (var id in ids)
        {
            await client.GetCaseAsync(id);
        }
        Assert.Equal(60, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Title.StartsWith("村道积水-" + run))));
        Assert.Equal(60, await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => ids.Contains(e.CaseId))));
        // And in the full-text index (written by the same apply).
        var seventh = responses.First(r => r.Key == $"{run}-7").Json.Id();
        using var list = await client.GetAsync($"/api/v1/cases?q={Uri.EscapeDataString("村道积水-" + run + "-7")}");
        var found = await list.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(seventh, found["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task WithoutThePreference_TheAnswerComesAfterTheLedgerHasTheCase()
    {
        var (client, _) = await app.IntegrationAsync();
        var title = "不要异步-" + Guid.NewGuid().ToString("N")[..6];
        using var response = await client.SendAsync(Post(CaseApi.NewCase(title: title), key: null, respondAsync: false));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        // No read waits here: the row is there when the 201 is.
        Assert.Equal(1, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
    }

    [Theory]
    [InlineData("respond-async", true)]
    [InlineData("return=minimal, Respond-Async", true)]
    [InlineData("respond-async; wait=10", true)]
    [InlineData("respond-asynchronously", false)]
    [InlineData("return=representation", false)]
    [InlineData("", false)]
    public void ThePreference_IsReadAsRfc7240Says(string header, bool expected) =>
        Assert.Equal(expected, RegisterCase.PrefersRespondAsync(new Microsoft.Extensions.Primitives.StringValues(header)));
}

public sealed class RespondAsyncTests_Sqlite(SqliteApp app) : RespondAsyncTests(app), IClassFixture<SqliteApp>;

public sealed class RespondAsyncTests_Postgres(PostgresApp app) : RespondAsyncTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// A crash between the journal's fsync and the ledger's commit: registrations answered 202 by a node that never applied
/// them (Intake:JournalApply false, then stopped) are in the ledger after the next start, once each, with their ids and
/// codes; a torn record after them (a power cut mid-write, never acknowledged) is cut off.
/// </summary>
public sealed class IntakeJournalReplayTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "taizhang-tests", "replay-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    private sealed class Node(string dir, bool apply, bool first) : TaizhangApp
    {
        public override string Provider => "Sqlite";

        protected override string ConnectionString => $"Data Source={Path.Combine(dir, "taizhang.db")}";

        public override string AttachmentsDirectory => Path.Combine(dir, "attachments");

        protected override bool SeedOrganisation => first;

        protected override bool FromTemplate => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Intake:JournalApply", apply ? "true" : "false");
        }
    }

    /// <summary>Five registrations answered 202 by a node that does not apply them, which is then stopped.</summary>
    private async Task<(List<(long Id, string Code, string Key, string Title)> Accepted, string Token)> AcceptFiveUnappliedAsync()
    {
        var accepted = new List<(long Id, string Code, string Key, string Title)>();
        await using var stopped = new Node(_dir, apply: false, first: true);
        await stopped.InitializeAsync();
        var (_, _, token) = await stopped.AddApiClientAsync();
        var client = stopped.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 5; i++)
        {
            var key = $"replay-{i}";
            var title = $"重启前受理的事项-{i}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(CaseApi.NewCase(title: title)) };
            request.Headers.Add("Idempotency-Key", key);
            request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            using var response = await client.SendAsync(request);
            var json = await response.ReadJsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {json}");
            accepted.Add((json.Id(), json.TrackingCode(), key, title));
        }
        // Acknowledged, durable in the journal, and not in the ledger: the answer came before the ledger's write.
        var writer = stopped.Services.GetRequiredService<IntakeWriter>();
        Assert.True(writer.Journaled);
        Assert.Equal(5, writer.JournalBacklog);
        Assert.Equal(0, await stopped.WithDbAsync(db => db.Cases.CountAsync(c => c.Title.StartsWith("重启前受理的事项"))));
        return (accepted, token);
    }

    [Fact]
    public async Task ABackup_EntersWhatTheJournalHolds_BeforeItCopies()
    {
        var (accepted, _) = await AcceptFiveUnappliedAsync();
        var file = Path.Combine(_dir, "backup", "taizhang-backup.db");
        await using (var paused = new Node(_dir, apply: false, first: false))
        {
            await paused.InitializeAsync();
            var output = new StringWriter();
            Assert.Equal(0, await Taizhang.Web.Features.Admin.BackupCommand.RunAsync(paused.Services, ["backup", file], output));
            Assert.Contains("intake journal: 5 registrations entered into the ledger before the copy", output.ToString());
            Assert.Equal(0, paused.Services.GetRequiredService<IntakeWriter>().JournalBacklog);
        }
        await using var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync();
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT group_concat(\"Id\") FROM (SELECT \"Id\" FROM \"Cases\" WHERE \"Title\" LIKE '重启前受理的事项-%' ORDER BY \"Id\")";
        Assert.Equal(string.Join(",", accepted.Select(a => a.Id).Order()), await count.ExecuteScalarAsync() as string);
    }

    [Fact]
    public async Task AcceptedButNotApplied_IsInTheLedgerAfterTheNextStart_OnceEach()
    {
        var (accepted, token) = await AcceptFiveUnappliedAsync();
        // A record cut short after them: never acknowledged (its write did not finish).
        var segment = IntakeJournal.Segments(IntakeJournal.FolderOf(Path.Combine(_dir, "taizhang.db")))[^1].Path;
        await using (var f = new FileStream(segment, FileMode.Append))
        {
            f.Write([200, 0, 0, 0, 1, 2, 3, 4, 6, 0, 0, 0, 0, 0, 0, 0, 9, 9]);
        }

        await using var next = new Node(_dir, apply: true, first: false);
        await next.InitializeAsync();
        var rows = await next.WithDbAsync(db => db.Cases.AsNoTracking().Where(c => c.Title.StartsWith("重启前受理的事项"))
            .Select(c => new { c.Id, c.TrackingCode, c.Title }).ToListAsync());
        Assert.Equal(accepted.Select(a => (a.Id, a.Code, a.Title)).OrderBy(a => a.Id), rows.Select(r => (r.Id, r.TrackingCode, r.Title)).OrderBy(r => r.Id));
        var ids = accepted.Select(a => a.Id).ToList();
        Assert.Equal(5, await next.WithDbAsync(db => db.CaseEvents.CountAsync(e => ids.Contains(e.CaseId))));
        Assert.Equal(0, next.Services.GetRequiredService<IntakeWriter>().JournalBacklog);
        Assert.Equal("5", await next.WithDbAsync(db => db.Settings.Where(s => s.Key == IntakeWriter.AppliedSetting).Select(s => s.Value).SingleAsync()));

        // The integration repeats one (it never saw the answer): the same case, nothing new; a new one is numbered on.
        var again = next.CreateDefaultClient();
        again.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var repeat = await again.RegisterAsync(CaseApi.NewCase(title: accepted[2].Title), accepted[2].Key);
        Assert.Equal(accepted[2].Id, repeat.Id());
        var fresh = await again.RegisterAsync(CaseApi.NewCase(title: "重启后的新事项"), "after-restart");
        Assert.DoesNotContain(fresh.Id(), ids);
        Assert.Equal(6, await next.WithDbAsync(db => db.Cases.CountAsync(c => c.Title.StartsWith("重启"))));
        Assert.Equal("6", await next.WithDbAsync(db => db.Settings.Where(s => s.Key == IntakeWriter.AppliedSetting).Select(s => s.Value).SingleAsync()));
    }
}
