using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Taizhang.Reliability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Taizhang.Reliability.Tests;

/// <summary>
/// Several nodes, one database (issue 17, item 5): two released servers as their own processes on one
/// PostgreSQL database, sharing nothing but it. (1) The crash test's clients spread over both while one node
/// at a time is killed with SIGKILL and restarted: nothing acknowledged is lost, no Idempotency-Key yields
/// two cases. (2) Settings changed through one node take effect on the other within <see cref="Bound"/>: an
/// API client revoked on A is refused by B, a service level changed on A gives B's next registration the new
/// due date. (3) The background jobs run once: the notification sender sends each queued message once and only
/// on the node that holds the jobs' lock; the deadline watch gives each overdue case one automatic reminder
/// although both nodes run it, and the other node takes over when the holder is killed.
/// Short form in ./test.sh (3 kills); longer: TAIZHANG_NODES_KILLS=20.
/// </summary>
[Collection("crash")]
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    public const string KillsVariable = "TAIZHANG_NODES_KILLS";

    /// <summary>The bound the docs state for a change on one node to take effect on the other (Cluster:PollSeconds is 2).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private const int WorkersPerNode = 8;

    private static string[] Node(string name, params string[] more) =>
        [$"--Cluster:NodeName={name}", "--Logging:LogLevel:Taizhang.Web.Infrastructure.ClusterNode=Information", .. more];

    [Fact]
    public async Task OneOfTwoKilledAtRandom_EveryAcknowledgedCaseSurvives_NoKeyTwice()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable(KillsVariable), CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable(CrashSafetyTests.SeedVariable), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        var run = new CrashSafetyTests.Run("nodes-" + Guid.NewGuid().ToString("N")[..8]);
        var started = TimeProvider.System.GetTimestamp();
        var startup = TimeSpan.Zero;
        string[] names = ["node-a", "node-b"];

        await using var database = new PostgresCrashDatabase();
        await database.CreateAsync();
        var nodes = new AppProcess?[2];
        try
        {
            nodes[0] = await AppProcess.StartAsync(database, Node(names[0]));
            nodes[1] = await AppProcess.StartAsync(database, Node(names[1]));
            var created = await AppProcess.RunCommandAsync(database,
                "api-client", "create", "--name", "两节点测试 " + run.Prefix, "--unit", "SCH", "--channels", "Hotline,WeChat");
            var token = created.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("token (shown only now): ", StringComparison.Ordinal))
                ["token (shown only now): ".Length..];

            for (var round = 1; round <= kills; round++)
            {
                for (var i = 0; i < 2; i++)
                {
                    if (nodes[i] is null)
                    {
                        var t = TimeProvider.System.GetTimestamp();
                        nodes[i] = await AppProcess.StartAsync(database, Node(names[i]));
                        startup += TimeProvider.System.GetElapsedTime(t);
                    }
                }
                using var a = CrashSafetyTests.Client(nodes[0]!, token);
                using var b = CrashSafetyTests.Client(nodes[1]!, token);
                // In-doubt requests of the last round go to either node: the key, not the node, finds the case.
                await run.RetryInDoubtAsync(random.Next(2) == 0 ? a : b);
                await run.ReplayAcknowledgedAsync(a, random, 8);
                await run.ReplayAcknowledgedAsync(b, random, 8);

                using var stop = new CancellationTokenSource();
                var workers = Enumerable.Range(0, 2 * WorkersPerNode)
                    .Select(w => Task.Run(() => run.WorkAsync(w % 2 == 0 ? a : b, stop.Token))).ToArray();
                await Task.Delay(random.Next(300, 2001));
                var victim = random.Next(2);
                await nodes[victim]!.KillAsync();
                // The other node keeps taking registrations while its peer is dead.
                await Task.Delay(random.Next(200, 801));
                await stop.CancelAsync();
                await Task.WhenAll(workers);
                await nodes[victim]!.DisposeAsync();
                nodes[victim] = null;
            }

            for (var i = 0; i < 2; i++)
            {
                nodes[i] ??= await AppProcess.StartAsync(database, Node(names[i]));
            }
            using (var a = CrashSafetyTests.Client(nodes[0]!, token))
            using (var b = CrashSafetyTests.Client(nodes[1]!, token))
            {
                for (var attempt = 0; attempt < 5 && !run.InDoubt.IsEmpty; attempt++)
                {
                    await run.RetryInDoubtAsync(attempt % 2 == 0 ? a : b);
                }
                await run.ReplayAcknowledgedAsync(a, random, 32);
                await run.ReplayAcknowledgedAsync(b, random, 32);
            }
            await nodes[0]!.StopAsync();
            await nodes[1]!.StopAsync();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- node a ---\n{nodes[0]?.Output}\n--- node b ---\n{nodes[1]?.Output}", e);
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }
            }
        }

        await CrashSafetyTests.VerifyAsync(database, run, "nodes", kills, seed, started, startup, output);
    }

    [Fact]
    public async Task SettingsChangedOnOneNode_TakeEffectOnTheOther_WithinTheBound()
    {
        await using var database = new PostgresCrashDatabase();
        await database.CreateAsync();
        await using var a = await AppProcess.StartAsync(database, Node("node-a"));
        await using var b = await AppProcess.StartAsync(database, Node("node-b"));
        try
        {
            using var admin = await StaffSession.SignInAsync(a);

            // An integration's client, created and later revoked on A, used on B (which keeps it in memory).
            var created = await admin.SendAsync(HttpMethod.Post, "api/v1/admin/api-clients",
                new { name = "两节点吊销测试", orgUnit = "SCH", channels = new[] { "Hotline" } });
            var clientId = created["client"]!["id"]!.GetValue<long>();
            var token = created["token"]!.GetValue<string>();
            using var onB = CrashSafetyTests.Client(b, token);
            var before = await RegisterAsync(onB, "before");
            Assert.Equal(HttpStatusCode.Created, before.Status);
            var dueBefore = DueDays(before.Body!);
            Assert.True(dueBefore < 20, $"the default Normal service level (7 working days) gave {dueBefore:F1} days");

            // A service level changed on A: B's next registration is due by the new one.
            var levels = Stopwatch.StartNew();
            await admin.SendAsync(HttpMethod.Put, "api/v1/admin/service-levels", new
            {
                urgent = new { count = 1, unit = "CalendarDays" },
                high = new { count = 3, unit = "WorkingDays" },
                normal = new { count = 60, unit = "CalendarDays" },
                low = new { count = 15, unit = "WorkingDays" },
            });
            double dueAfter;
            while (true)
            {
                var r = await RegisterAsync(onB, "after-" + levels.ElapsedMilliseconds);
                Assert.Equal(HttpStatusCode.Created, r.Status);
                dueAfter = DueDays(r.Body!);
                if (dueAfter > 50 || levels.Elapsed > Bound + TimeSpan.FromSeconds(5))
                {
                    break;
                }
                await Task.Delay(100);
            }
            var levelsTook = levels.Elapsed;
            Assert.True(dueAfter > 50, $"B still registered with the old service level {levelsTook.TotalSeconds:F1} s after A changed it ({dueAfter:F1} days)");
            Assert.True(levelsTook <= Bound, $"B took {levelsTook.TotalSeconds:F1} s to apply A's service level (bound {Bound.TotalSeconds} s)");

            // The client revoked on A: B refuses it.
            var revoke = Stopwatch.StartNew();
            await admin.SendAsync(HttpMethod.Post, $"api/v1/admin/api-clients/{clientId}/revoke", null);
            HttpStatusCode status;
            while (true)
            {
                using var response = await onB.GetAsync("api/v1/session");
                status = response.StatusCode;
                if (status == HttpStatusCode.Unauthorized || revoke.Elapsed > ApiClientLifetime + TimeSpan.FromSeconds(5))
                {
                    break;
                }
                Assert.Equal(HttpStatusCode.OK, status);
                await Task.Delay(100);
            }
            var revokeTook = revoke.Elapsed;
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.True(revokeTook <= Bound, $"B accepted the token {revokeTook.TotalSeconds:F1} s after A revoked it (bound {Bound.TotalSeconds} s)");

            // The session cookie A issued is good on B (the keys that protect it are in the database).
            using var onBAsAdmin = admin.On(b);
            using var session = await onBAsAdmin.GetAsync("api/v1/session");
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nodes[settings]: service level on B after {levelsTook.TotalMilliseconds:F0} ms, revocation on B after {revokeTook.TotalMilliseconds:F0} ms (bound {Bound.TotalSeconds} s)"));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- node a ---\n{a.Output}\n--- node b ---\n{b.Output}", e);
        }
    }

    /// <summary>The API client cache's own lifetime (15 s): without the change stamps, the bound would be this.</summary>
    private static readonly TimeSpan ApiClientLifetime = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task BackgroundJobs_RunOnce_OnTheNodeHoldingTheLock_AndMoveWhenItDies()
    {
        await using var database = new PostgresCrashDatabase();
        await database.CreateAsync();
        var dir = Path.Combine(Path.GetTempPath(), "taizhang-nodes", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string[] names = ["node-a", "node-b"];
        string[] Settings(int i) => Node(names[i],
            "--Deadlines:WatchIntervalMinutes=0.02", "--Deadlines:WatchStartDelaySeconds=1",
            "--Notifications:PollSeconds=0.3", $"--Notifications:FilePath={Path.Combine(dir, names[i] + ".jsonl")}",
            "--Cluster:LeaderRetrySeconds=1", $"--Demo:Password={StaffSession.DemoPassword}");
        var nodes = new AppProcess?[2];
        var total = Stopwatch.StartNew();
        try
        {
            nodes[0] = await AppProcess.StartAsync(database, Settings(0));
            nodes[1] = await AppProcess.StartAsync(database, Settings(1));
            string? leader = null;
            await WaitUntilAsync(async () => (leader = await LeaderAsync(database, names)) is not null, TimeSpan.FromSeconds(15), "a node to take the jobs");
            var other = names.Single(n => n != leader);
            var created = await AppProcess.RunCommandAsync(database,
                "api-client", "create", "--name", "两节点作业测试", "--unit", "SCH", "--channels", "Hotline");
            var token = created.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("token (shown only now): ", StringComparison.Ordinal))
                ["token (shown only now): ".Length..];

            // Registrations with the reporter's consent through both nodes: each queues an SMS (to the file sink).
            var cases = await RegisterManyAsync(nodes[0]!, token, "a", 12);
            cases.AddRange(await RegisterManyAsync(nodes[1]!, token, "b", 12));
            // Some of them assigned to 马家村 by the town office and then overdue (due dates three days back, as if time had run out).
            using var town = await StaffSession.SignInAsync(nodes[1]!, "town", StaffSession.DemoPassword);
            foreach (var id in cases.Take(6))
            {
                await town.SendAsync(HttpMethod.Post, $"api/v1/cases/{id}/triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            }
            // Counted before the due dates move: the first holder's watch (every 1.2 s) may remind before the next line runs.
            var reminders = await AutomaticRemindersAsync(database, cases.Take(6).ToList());
            var overdue = await MakeOverdueAsync(database, cases.Take(6).ToList());
            Assert.Equal(6, overdue.Count);
            await WaitUntilAsync(async () => await RemindedForCurrentDueAsync(database, overdue) == overdue.Count
                && await UndeliveredAsync(database, cases) == 0, TimeSpan.FromSeconds(30), "reminders and deliveries on the first holder");
            // Two more passes of both nodes' watches and several rounds of both senders: nothing more may come.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var after = await AutomaticRemindersAsync(database, overdue);
            Assert.All(overdue, id => Assert.Equal(reminders.GetValueOrDefault(id) + 1, after.GetValueOrDefault(id)));
            var sentBy = SentLines(dir, names);
            var firstSent = await DeliveredIdsAsync(database, cases);
            Assert.True(firstSent.Count >= cases.Count, $"{firstSent.Count} messages delivered for {cases.Count} registrations with consent");
            Assert.All(firstSent, id => Assert.Contains(id, sentBy[leader!]));
            Assert.True(sentBy[other].Count == 0, $"{other}, which does not hold the jobs' lock, sent {sentBy[other].Count} messages");

            // The holder dies: the other node takes the jobs over.
            var victim = Array.IndexOf(names, leader);
            await nodes[victim]!.KillAsync();
            await WaitUntilAsync(async () => await LeaderAsync(database, names) == other, TimeSpan.FromSeconds(15), $"{other} taking the jobs over");
            // The same cases' due dates moved back once more (as an approved extension moves them): due again, for the new date.
            var more = await MakeOverdueAsync(database, overdue);
            Assert.Equal(overdue.Count, more.Count);
            var moreCases = await RegisterManyAsync(nodes[1 - victim]!, token, "c", 8);
            // The victim comes back: two nodes again, the jobs stay where they are.
            await nodes[victim]!.DisposeAsync();
            nodes[victim] = await AppProcess.StartAsync(database, Settings(victim));
            await WaitUntilAsync(async () => await RemindedForCurrentDueAsync(database, more) == more.Count
                && await UndeliveredAsync(database, moreCases) == 0, TimeSpan.FromSeconds(30), "reminders and deliveries after the take-over");
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var moreAfter = await AutomaticRemindersAsync(database, more);
            Assert.All(more, id => Assert.Equal(after.GetValueOrDefault(id) + 1, moreAfter.GetValueOrDefault(id)));
            Assert.Equal(other, await LeaderAsync(database, names));

            // Every message sent once in all: no id twice in either file or in both, and every delivered one in a file.
            var lines = SentLines(dir, names);
            var all = lines.SelectMany(p => p.Value.Select(id => (Node: p.Key, Id: id))).ToList();
            var twice = all.GroupBy(x => x.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"sent more than once: {string.Join(", ", twice.Take(10))}");
            var delivered = await DeliveredIdsAsync(database, [.. cases, .. moreCases]);
            Assert.True(delivered.Count >= cases.Count + moreCases.Count, $"only {delivered.Count} messages delivered");
            Assert.True(delivered.All(id => all.Any(x => x.Id == id)), "a delivered message is in neither node's file");
            output.WriteLine($"nodes[jobs]: first holder {leader}, then {other}; {overdue.Count} overdue cases reminded once for each of two due dates; "
                + $"{all.Count} messages sent, none twice ({string.Join(", ", lines.Select(p => $"{p.Key} {p.Value.Count}"))}); total {total.Elapsed.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- node a ---\n{nodes[0]?.Output}\n--- node b ---\n{nodes[1]?.Output}", e);
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }
            }
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<List<long>> RegisterManyAsync(AppProcess node, string token, string tag, int count)
    {
        using var http = CrashSafetyTests.Client(node, token);
        var ids = new List<long>();
        for (var n = 0; n < count; n++)
        {
            var r = await RegisterAsync(http, $"jobs-{tag}-{n}", consent: true);
            Assert.Equal(HttpStatusCode.Created, r.Status);
            ids.Add(r.Body!["id"]!.GetValue<long>());
        }
        return ids;
    }

    private static async Task<(HttpStatusCode? Status, JsonObject? Body)> RegisterAsync(HttpClient http, string key, bool consent = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/cases")
        {
            Content = JsonContent.Create(new
            {
                channel = "Hotline",
                title = $"两节点测试 {key} 路灯不亮",
                description = "来电反映：村口路灯已经一个多星期不亮了，晚上出行不便。",
                reporter = new { name = "张桂兰", phone = "13900001234" },
                contactConsent = consent,
                orgUnit = "SCH-MJC",
                urgency = "Normal",
            }),
        };
        request.Headers.Add("Idempotency-Key", "nodes-" + key + "-" + Guid.NewGuid().ToString("N")[..8]);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    /// <summary>Days from registration to the due date in an answer.</summary>
    private static double DueDays(JsonObject body) =>
        (body["dueAt"]!.GetValue<DateTime>() - body["registeredAt"]!.GetValue<DateTime>()).TotalDays;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(250);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(CrashDatabase database)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>
    /// The node whose jobs connection holds the advisory lock now (by its application_name), or null. A bigint
    /// key shows in pg_locks as classid (high 32 bits) and objid (low 32 bits) with objsubid 1: ClusterNode.JobsLockKey
    /// is 0x547A_4A6F_6273.
    /// </summary>
    private static async Task<string?> LeaderAsync(CrashDatabase database, string[] names)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = 21626 AND l.objid = 1248813683 AND l.objsubid = 1
            """, conn);
        var app = (string?)await cmd.ExecuteScalarAsync();
        return names.FirstOrDefault(n => app?.Contains(n, StringComparison.Ordinal) == true);
    }

    /// <summary>Moves these cases' due dates back by three days, so the watch finds them overdue and not reminded for that date.</summary>
    private static async Task<List<long>> MakeOverdueAsync(CrashDatabase database, IReadOnlyCollection<long> ids)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""
            UPDATE "Cases" SET "DueAt" = LEAST("DueAt", now()) - interval '3 days' - "Id" * interval '1 millisecond'
            WHERE "Id" = ANY(@ids) AND "Status" = 'Assigned' AND "SuspendedAt" IS NULL
            RETURNING "Id"
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var result = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetInt64(0));
        }
        return result;
    }

    private static async Task<int> RemindedForCurrentDueAsync(CrashDatabase database, IReadOnlyCollection<long> ids)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""SELECT COUNT(*) FROM "Cases" WHERE "Id" = ANY(@ids) AND "AutoRemindedDueAt" = "DueAt" """, conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Automatic reminders (the watch's 催办 events) per case.</summary>
    private static async Task<Dictionary<long, long>> AutomaticRemindersAsync(CrashDatabase database, IReadOnlyCollection<long> ids)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""
            SELECT "CaseId", COUNT(*) FROM "CaseEvents" WHERE "CaseId" = ANY(@ids) AND "Action" = 'Remind' AND "ActorId" = 'system:deadline-watch'
            GROUP BY "CaseId"
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var result = new Dictionary<long, long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetInt64(0)] = reader.GetInt64(1);
        }
        return result;
    }

    /// <summary>Messages of these cases not delivered yet.</summary>
    private static async Task<int> UndeliveredAsync(CrashDatabase database, IReadOnlyCollection<long> caseIds)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""SELECT COUNT(*) FROM "Notifications" WHERE "CaseId" = ANY(@ids) AND "Status" <> 'Delivered' """, conn);
        cmd.Parameters.AddWithValue("ids", caseIds.ToArray());
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The ids of the delivered messages of these cases.</summary>
    private static async Task<List<long>> DeliveredIdsAsync(CrashDatabase database, IReadOnlyCollection<long> caseIds)
    {
        await using var conn = await OpenAsync(database);
        await using var cmd = new NpgsqlCommand("""SELECT "Id" FROM "Notifications" WHERE "CaseId" = ANY(@ids) AND "Status" = 'Delivered' """, conn);
        cmd.Parameters.AddWithValue("ids", caseIds.ToArray());
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Each node's file sink: the notification ids it sent, one per line (a line cut by a kill is skipped).</summary>
    private static Dictionary<string, List<long>> SentLines(string dir, string[] names) => names.ToDictionary(n => n, n =>
    {
        var file = Path.Combine(dir, n + ".jsonl");
        if (!File.Exists(file))
        {
            return new List<long>();
        }
        var ids = new List<long>();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                if (JsonNode.Parse(line)?["id"]?.GetValue<long>() is { } id)
                {
                    ids.Add(id);
                }
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return ids;
    });
}

/// <summary>A person signed in through one node's API: the first administrator (its first password changed, as the gate requires) or a demo user.</summary>
internal sealed class StaffSession : IDisposable
{
    private const string NewPassword = "Nodes-Admin-Pass-2026-b";

    public const string DemoPassword = "Nodes-Demo-Pass-2026";

    private readonly CookieContainer _cookies;
    private readonly HttpClient _http;
    private string _xsrf;

    private StaffSession(CookieContainer cookies, HttpClient http, string xsrf)
    {
        _cookies = cookies;
        _http = http;
        _xsrf = xsrf;
    }

    public static async Task<StaffSession> SignInAsync(AppProcess node, string userName = "admin", string password = AppProcess.AdminPassword)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var signIn = await http.PostAsJsonAsync("api/v1/session", new { userName, password });
        var body = await signIn.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(signIn.IsSuccessStatusCode, $"{userName} sign-in: {(int)signIn.StatusCode} {body}");
        var session = new StaffSession(cookies, http, body!["antiforgeryToken"]!.GetValue<string>());
        if (body["mustChangePassword"]?.GetValue<bool>() != true)
        {
            return session;
        }
        await session.SendAsync(HttpMethod.Post, "api/v1/account/password",
            new { currentPassword = AppProcess.AdminPassword, newPassword = NewPassword, confirmPassword = NewPassword });
        using var again = await http.GetAsync("api/v1/session");
        session._xsrf = (await again.Content.ReadFromJsonAsync<JsonObject>())!["antiforgeryToken"]!.GetValue<string>();
        return session;
    }

    /// <summary>Sends with the antiforgery header; any non-success answer fails the test. Returns the JSON body (or an empty object).</summary>
    public async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-XSRF-TOKEN", _xsrf);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject o ? o : [];
    }

    /// <summary>A client with the same cookies against another node (cookies are per host, not per port: both nodes are 127.0.0.1).</summary>
    public HttpClient On(AppProcess node) =>
        new(new HttpClientHandler { CookieContainer = _cookies }, disposeHandler: true) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();
}
