using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Reliability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Taizhang.Reliability.Tests;

/// <summary>
/// Nothing acknowledged is ever lost. The released server takes concurrent registrations from an
/// integration (Bearer token, each request with its own Idempotency-Key) and is killed with SIGKILL
/// at a random moment, then restarted on the same database, again and again. Requests whose answer
/// was lost with the process are in doubt: they are sent again with the same key after the restart
/// and must come back as one case, never two. At the end every case answered 201 must be on disk
/// with its Register event and reporter, no key may have two cases, and the database must be sound.
/// Short form (./test.sh): 3 kills. Full form: TAIZHANG_CRASH_KILLS=20 (bench/crash.sh).
/// </summary>
public abstract class CrashSafetyTests(ITestOutputHelper output)
{
    public const string KillsVariable = "TAIZHANG_CRASH_KILLS";
    public const string SeedVariable = "TAIZHANG_CRASH_SEED";
    public const string SummaryVariable = "TAIZHANG_CRASH_SUMMARY";

    private const int Workers = 16;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    protected abstract CrashDatabase NewDatabase();

    /// <summary>
    /// SQLite: every other registration asks <c>Prefer: respond-async</c> and is acknowledged (202) once it is in the
    /// intake journal, before the ledger has it; a kill between the two must lose none of them either.
    /// </summary>
    protected virtual bool MixRespondAsync => false;

    [Fact]
    public async Task KilledAtRandom_EveryAcknowledgedCaseSurvives_RetriesMakeNoDuplicates()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        var run = new Run("crash-" + Guid.NewGuid().ToString("N")[..8]) { MixRespondAsync = MixRespondAsync };
        var started = TimeProvider.System.GetTimestamp();
        var startup = TimeSpan.Zero;

        await using var database = NewDatabase();
        await database.CreateAsync();
        var app = await AppProcess.StartAsync(database);
        try
        {
            var created = await AppProcess.RunCommandAsync(database,
                "api-client", "create", "--name", "崩溃测试 " + run.Prefix, "--unit", "SCH", "--channels", "Hotline,WeChat");
            var token = created.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("token (shown only now): ", StringComparison.Ordinal))
                ["token (shown only now): ".Length..];

            for (var round = 1; round <= kills; round++)
            {
                if (round > 1)
                {
                    var t = TimeProvider.System.GetTimestamp();
                    app = await AppProcess.StartAsync(database);
                    startup += TimeProvider.System.GetElapsedTime(t);
                }
                using var http = Client(app, token);
                await run.RetryInDoubtAsync(http);
                await run.ReplayAcknowledgedAsync(http, random, 16);

                using var stop = new CancellationTokenSource();
                var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => run.WorkAsync(http, stop.Token))).ToArray();
                await Task.Delay(random.Next(300, 2001));
                await app.KillAsync();
                await stop.CancelAsync();
                await Task.WhenAll(workers);
                await app.DisposeAsync();
            }

            // The last start settles every request still in doubt, then stops gracefully.
            app = await AppProcess.StartAsync(database);
            using (var http = Client(app, token))
            {
                for (var attempt = 0; attempt < 5 && !run.InDoubt.IsEmpty; attempt++)
                {
                    await run.RetryInDoubtAsync(http);
                }
                await run.ReplayAcknowledgedAsync(http, random, 64);
            }
            await app.StopAsync();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- app output ---\n{app.Output}", e);
        }
        finally
        {
            await app.DisposeAsync();
        }

        await VerifyAsync(database, run, "crash", kills, seed, started, startup, output);
    }

    /// <summary>
    /// What is on disk, read directly after the app has gone: every acknowledged case with its history, no key
    /// twice, nothing stored that was never answered, the database sound. Shared with <see cref="TwoNodeTests"/>.
    /// </summary>
    internal static async Task VerifyAsync(CrashDatabase database, Run run, string label, int kills, int seed, long started, TimeSpan startup,
        ITestOutputHelper output)
    {
        // The title is "{TitlePrefix} {the key after the run's prefix} 路灯不亮".
        var stored = await database.CasesWithKeysAsync(run.TitlePrefix,
            title => run.Prefix + "-" + title[(run.TitlePrefix.Length + 1)..].Split(' ')[0]);
        var byKey = stored.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.ToList());
        var titled = await database.CasesWithTitlePrefixAsync(run.TitlePrefix);
        var events = await database.EventsAsync(run.TitlePrefix);
        var integrity = await database.IntegrityAsync();

        var lost = run.Acknowledged.Where(a => !byKey.TryGetValue(a.Key, out var rows) || rows.All(r => r.Id != a.Value.Id || r.TrackingCode != a.Value.TrackingCode))
            .Select(a => a.Key).ToList();
        var duplicates = (titled - byKey.Count) + byKey.Values.Sum(rows => rows.Count - 1);
        var withoutHistory = run.Acknowledged.Values.Where(a => !events.TryGetValue(a.Id, out var e) || e.Events < 1 || !e.RegisteredFirst || e.Reporters != 1)
            .Select(a => a.Id).ToList();
        var neverAnswered = byKey.Keys.Where(key => !run.Acknowledged.ContainsKey(key)).ToList();

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{label}[{database.Provider}]: kills={kills} sent={run.Sent} acknowledged={run.Acknowledged.Count} (201/202 at once={run.Created}, of them and retries 202 from the journal={run.Accepted}, 201 on retry={run.CreatedOnRetry}, 200 replay of an unanswered commit={run.RecoveredOnRetry}) in-doubt={run.InDoubtTotal} still-in-doubt={run.InDoubt.Count} replays-checked={run.ReplaysChecked} lost={lost.Count} duplicates={duplicates + run.ReplayDuplicates} integrity={integrity} seed={seed} elapsed={TimeProvider.System.GetElapsedTime(started).TotalSeconds:F0}s (restarts {startup.TotalSeconds:F0}s)");
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, summary + Environment.NewLine);
        }

        Assert.True(run.Unexpected.IsEmpty, "unexpected answers: " + string.Join("\n", run.Unexpected.Take(10)));
        Assert.True(run.Acknowledged.Count > 0, "no registration was acknowledged: the load never reached the app");
        Assert.True(!run.MixRespondAsync || run.Accepted > 0, "no registration was answered from the intake journal (202)");
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged cases are missing: {string.Join(", ", lost.Take(10))}");
        Assert.True(duplicates == 0 && run.ReplayDuplicates == 0, $"duplicates: {duplicates} stored, {run.ReplayDuplicates} on replay");
        Assert.True(withoutHistory.Count == 0, $"acknowledged cases without their Register event or reporter: {string.Join(", ", withoutHistory.Take(10))}");
        Assert.True(run.InDoubt.IsEmpty, $"{run.InDoubt.Count} requests were never answered after the last restart");
        Assert.True(neverAnswered.Count == 0, $"cases stored whose request was never answered: {string.Join(", ", neverAnswered.Take(10))}");
        Assert.Equal("ok", integrity);
    }

    internal static HttpClient Client(AppProcess app, string token)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = app.BaseAddress,
            Timeout = RequestTimeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public sealed record Acknowledgement(long Id, string TrackingCode);

    /// <summary>What the clients were told, and which requests are in doubt.</summary>
    internal sealed class Run(string prefix)
    {
        private int _next;
        private long _sent;
        private long _created;
        private long _createdOnRetry;
        private long _recovered;
        private long _inDoubtTotal;
        private long _replays;
        private long _replayDuplicates;

        public string Prefix { get; } = prefix;

        /// <summary>Odd-numbered keys ask for an answer from the intake journal (202).</summary>
        public bool MixRespondAsync { get; init; }

        private long _accepted;

        /// <summary>Acknowledged with 202 from the journal (at once or on a retry).</summary>
        public long Accepted => Interlocked.Read(ref _accepted);

        public string TitlePrefix => "崩溃测试 " + Prefix;

        public ConcurrentDictionary<string, Acknowledgement> Acknowledged { get; } = new();

        public ConcurrentDictionary<string, byte> InDoubt { get; } = new();

        public ConcurrentQueue<string> Unexpected { get; } = new();

        public long Sent => Interlocked.Read(ref _sent);

        public long Created => Interlocked.Read(ref _created);

        public long CreatedOnRetry => Interlocked.Read(ref _createdOnRetry);

        public long RecoveredOnRetry => Interlocked.Read(ref _recovered);

        public long InDoubtTotal => Interlocked.Read(ref _inDoubtTotal);

        public long ReplaysChecked => Interlocked.Read(ref _replays);

        public long ReplayDuplicates => Interlocked.Read(ref _replayDuplicates);

        /// <summary>New registrations until the app dies or <paramref name="stop"/>.</summary>
        public async Task WorkAsync(HttpClient http, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var key = $"{Prefix}-{Interlocked.Increment(ref _next):D7}";
                var (status, body) = await SendAsync(http, key);
                switch (status)
                {
                    case HttpStatusCode.Created or HttpStatusCode.Accepted:
                        Interlocked.Increment(ref _created);
                        if (status == HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref _accepted);
                        }
                        Acknowledge(key, body!);
                        break;
                    case null or HttpStatusCode.ServiceUnavailable:
                        // Refused connection, reset, timeout or a refusal during shutdown: in doubt.
                        // A client whose server has gone waits for it to come back.
                        Interlocked.Increment(ref _inDoubtTotal);
                        InDoubt[key] = 0;
                        return;
                    default:
                        Unexpected.Enqueue($"{key}: {(int)status} {body?.ToJsonString()}");
                        break;
                }
            }
        }

        /// <summary>Each request in doubt again, with its key: 201 if it never committed, 200 (replay) if it did.</summary>
        public async Task RetryInDoubtAsync(HttpClient http)
        {
            await Parallel.ForEachAsync(InDoubt.Keys.ToList(), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (key, _) =>
            {
                var (status, body) = await SendAsync(http, key);
                switch (status)
                {
                    case HttpStatusCode.Created or HttpStatusCode.Accepted:
                        Interlocked.Increment(ref _createdOnRetry);
                        if (status == HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref _accepted);
                        }
                        Acknowledge(key, body!);
                        InDoubt.TryRemove(key, out byte _);
                        break;
                    case HttpStatusCode.OK:
                        Interlocked.Increment(ref _recovered);
                        Acknowledge(key, body!);
                        InDoubt.TryRemove(key, out byte _);
                        break;
                    case null or HttpStatusCode.ServiceUnavailable:
                        break;
                    default:
                        Unexpected.Enqueue($"retry {key}: {(int)status} {body?.ToJsonString()}");
                        break;
                }
            });
        }

        /// <summary>A sample of acknowledged keys again: each must answer 200 with the same case, never a new one.</summary>
        public async Task ReplayAcknowledgedAsync(HttpClient http, Random random, int count)
        {
            var sample = Acknowledged.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
            random.Shuffle(sample);
            foreach (var key in sample.Take(count))
            {
                var (status, body) = await SendAsync(http, key);
                Interlocked.Increment(ref _replays);
                if (status != HttpStatusCode.OK || body?["id"]?.GetValue<long>() != Acknowledged[key].Id)
                {
                    if (status is HttpStatusCode.Created or HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref _replayDuplicates);
                    }
                    Unexpected.Enqueue($"replay {key} (case {Acknowledged[key].Id}): {(int?)status} {body?.ToJsonString()}");
                }
            }
        }

        private void Acknowledge(string key, JsonObject body)
        {
            var ack = new Acknowledgement(body["id"]!.GetValue<long>(), body["trackingCode"]!.GetValue<string>());
            var first = Acknowledged.GetOrAdd(key, ack);
            if (first != ack)
            {
                Unexpected.Enqueue($"{key} answered with case {ack.Id} after case {first.Id}");
            }
        }

        private async Task<(HttpStatusCode? Status, JsonObject? Body)> SendAsync(HttpClient http, string key)
        {
            Interlocked.Increment(ref _sent);
            // The same key always carries the same matter: a retry is the same request.
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/cases")
            {
                Content = JsonContent.Create(new
                {
                    channel = "Hotline",
                    title = $"{TitlePrefix} {key[(Prefix.Length + 1)..]} 路灯不亮",
                    description = $"来电反映 {key}：村口路灯已经一个多星期不亮了，晚上出行不便。",
                    reporter = new { name = "张桂兰", phone = "139" + key[^7..].PadLeft(8, '0') },
                    orgUnit = "SCH-MJC",
                    urgency = "Normal",
                }),
            };
            request.Headers.Add("Idempotency-Key", key);
            if (MixRespondAsync && key[^1] is '1' or '3' or '5' or '7' or '9')
            {
                request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
            }
            try
            {
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                JsonObject? json = null;
                try
                {
                    json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
                }
                catch (System.Text.Json.JsonException)
                {
                    // A body cut off by the kill: the answer never arrived whole.
                    return (null, null);
                }
                return (response.StatusCode, json);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return (null, null);
            }
        }
    }
}

// One collection: the two runs take turns rather than share two cores.
[Collection("crash")]
public sealed class CrashSafetyTests_Sqlite(ITestOutputHelper output) : CrashSafetyTests(output)
{
    protected override CrashDatabase NewDatabase() => new SqliteCrashDatabase();

    protected override bool MixRespondAsync => true;
}

[Collection("crash")]
public sealed class CrashSafetyTests_Postgres(ITestOutputHelper output) : CrashSafetyTests(output)
{
    protected override CrashDatabase NewDatabase() => new PostgresCrashDatabase();
}
