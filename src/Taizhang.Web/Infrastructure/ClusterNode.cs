using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// This process as one node of several on one database (docs/RELIABILITY.md, "Several nodes").
/// <list type="bullet">
/// <item><b>Background jobs once.</b> The singleton jobs (the deadline watch, the notification sender) run on
/// the node that holds a PostgreSQL session-level advisory lock (<see cref="JobsLockKey"/>), taken with
/// <c>pg_try_advisory_lock</c> on a connection of its own that stays open. The others try again every
/// <see cref="ClusterOptions.LeaderRetrySeconds"/>. When the holder dies (SIGKILL, crash, host gone), PostgreSQL
/// ends its session and so its lock, and the next try elsewhere takes it over; when its connection breaks, the
/// holder stops starting passes at once. Why a session lock and not a lease row: the database itself
/// notices the holder's end (no clock, no expiry to tune, no row to clean up), and the lock costs nothing
/// while held. A lock is not a fence, though: a holder whose connection has just broken can finish the pass
/// it is in while another node starts one. Each job is therefore safe against a brief overlap by itself — the
/// watch records a reminder only under the case's concurrency token and for a due date not yet reminded, and
/// the sender claims rows with one conditional UPDATE that PostgreSQL re-checks per row
/// (<see cref="Features.Notifications.NotificationDispatcher"/>) — so the lock makes the work run once, and
/// the jobs' own checks make an overlap harmless. On SQLite (one node by construction: one file, one
/// writer process) every job runs here, always.</item>
/// <item><b>Settings changed elsewhere.</b> Every <see cref="ClusterOptions.PollSeconds"/> (and at once when a
/// PostgreSQL notification says so) the node reads the change stamps (<see cref="ClusterStamps"/>) and reloads
/// each area whose stamp it has not seen. The same poll runs on SQLite, where it carries changes made by the
/// command line (<c>api-client revoke</c>) into the running server.</item>
/// <item><b>Boards on every node.</b> A case change pulses this node's <see cref="CaseChangeSignal"/>; on
/// PostgreSQL the node also sends <c>NOTIFY taizhang_cases</c> (at most once a second) and pulses its own
/// signal when another node's arrives, so an open board on any node hears of a change on any other.</item>
/// </list>
/// </summary>
public sealed class ClusterNode : BackgroundService
{
    /// <summary>The advisory lock of the singleton jobs (advisory locks are per database: other databases on the server are not affected).</summary>
    public const long JobsLockKey = 0x547A_4A6F_6273; // "TzJobs"

    /// <summary>The advisory lock that makes nodes starting together migrate and seed one after the other.</summary>
    public const long StartupLockKey = 0x547A_5374_7274; // "TzStrt"

    public const string CasesChannel = "taizhang_cases";
    public const string StampsChannel = "taizhang_stamps";

    private readonly ClusterOptions _options;
    private readonly string? _connectionString;
    private readonly IServiceScopeFactory _scopes;
    private readonly OrgDirectory _org;
    private readonly DuePolicySource _policies;
    private readonly ApiClientCache _apiClients;
    private readonly CaseChangeSignal? _signal;
    private readonly ILogger<ClusterNode> _log;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly Dictionary<string, string?> _seen = new(StringComparer.Ordinal);
    private readonly Channel<byte> _announce = Channel.CreateBounded<byte>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private TaskCompletionSource _leader = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NpgsqlDataSource? _notifier;
    private bool _leading;
    private bool _seenOnce;
    private int _casesPending;
    private int _stampsPending;
    private int _peerStamps;
    private long _reloads;
    private long _stampChecks;
    private long _lockTries;

    public ClusterNode(ClusterOptions options, DatabaseOptions database, IConfiguration configuration, IServiceScopeFactory scopes, OrgDirectory org,
        DuePolicySource policies, ApiClientCache apiClients, IServiceProvider services, ILogger<ClusterNode> log)
    {
        _options = options;
        _scopes = scopes;
        _org = org;
        _policies = policies;
        _apiClients = apiClients;
        _log = log;
        Name = options.ResolvedNodeName;
        IsPostgres = database.IsPostgres;
        _connectionString = IsPostgres ? database.ConnectionString ?? configuration.GetConnectionString("Postgres") : null;
        _signal = services.GetService<CaseChangeSignal>();
        if (_signal is not null && IsPostgres)
        {
            _signal.Broadcast = AnnounceCases;
        }
    }

    /// <summary>This node's name (<see cref="ClusterOptions.NodeName"/>).</summary>
    public string Name { get; }

    public bool IsPostgres { get; }

    /// <summary>Whether this node runs the singleton background jobs now (always on SQLite).</summary>
    public bool RunsJobs
    {
        get
        {
            lock (_gate)
            {
                return !IsPostgres || _leading;
            }
        }
    }

    /// <summary>How many areas this node has reloaded because their stamp changed (tests, logs).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>How many times this node has tried for the jobs' lock (tests, logs).</summary>
    public long LockTries => Interlocked.Read(ref _lockTries);

    /// <summary>How many times the stamps were read.</summary>
    public long StampChecks => Interlocked.Read(ref _stampChecks);

    /// <summary>Completes when this node runs the singleton jobs (at once on SQLite, or while it holds the lock).</summary>
    public Task WhenRunsJobsAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return !IsPostgres || _leading ? Task.CompletedTask : _leader.Task.WaitAsync(ct);
        }
    }

    /// <summary>A change stamp was committed here: tell the other nodes (PostgreSQL; the poll covers a lost one).</summary>
    public void AnnounceStamps()
    {
        if (IsPostgres && Interlocked.Exchange(ref _stampsPending, 1) == 0)
        {
            _announce.Writer.TryWrite(0);
        }
    }

    /// <summary>Cases of <paramref name="towns"/> (null: not known) changed here: tell the other nodes' boards (at most once a second).</summary>
    public void AnnounceCases(IReadOnlyCollection<long>? towns)
    {
        if (!IsPostgres)
        {
            return;
        }
        lock (_casesTownsGate)
        {
            if (towns is null)
            {
                _casesTowns = null;
            }
            else
            {
                _casesTowns?.UnionWith(towns);
            }
        }
        if (Interlocked.Exchange(ref _casesPending, 1) == 0)
        {
            _announce.Writer.TryWrite(0);
        }
    }

    private readonly Lock _casesTownsGate = new();
    private HashSet<long>? _casesTowns = [];

    /// <summary>
    /// The cases channel's payload: this node's name, then the towns changed since the last one ("name|1,2,3"), or
    /// "name|*" when not known or too many for a notification (PostgreSQL takes up to 8,000 bytes).
    /// </summary>
    private string CasesPayload()
    {
        HashSet<long>? towns;
        lock (_casesTownsGate)
        {
            (towns, _casesTowns) = (_casesTowns, []);
        }
        var list = towns is null ? "*" : string.Join(',', towns.Order().Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Name + "|" + (list.Length > 7000 ? "*" : list);
    }

    /// <summary>The towns of a cases payload (null: every town), or nothing when it is this node's own.</summary>
    public static (string Node, IReadOnlyCollection<long>? Towns) ParseCasesPayload(string payload)
    {
        var bar = payload.LastIndexOf('|');
        if (bar < 0)
        {
            return (payload, null);
        }
        var towns = new List<long>();
        foreach (var part in payload[(bar + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var town))
            {
                return (payload[..bar], null);
            }
            towns.Add(town);
        }
        return (payload[..bar], towns);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await EnsureStampsAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "Cluster: the change stamps could not be prepared; changes are still stamped as they are saved");
        }
        if (!IsPostgres)
        {
            await PollAsync(stoppingToken);
            return;
        }
        _log.LogInformation("Cluster: node {Node} started; it takes over the background jobs when no other node runs them", Name);
        await Task.WhenAll(LeadAndListenAsync(stoppingToken), SendAnnouncementsAsync(stoppingToken));
    }

    /// <summary>SQLite: the stamps every <see cref="ClusterOptions.PollSeconds"/>.</summary>
    private async Task PollAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await CheckStampsSafelyAsync(ct);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(_options.PollSeconds), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// PostgreSQL: one connection of this node's own holds the jobs' lock (once taken) and listens for the
    /// other nodes' notifications; the stamps are read through the pool on its turns. A broken connection
    /// gives up the jobs at once, and a new one is opened after <see cref="ClusterOptions.LeaderRetrySeconds"/>.
    /// </summary>
    private async Task LeadAndListenAsync(CancellationToken ct)
    {
        var retry = TimeSpan.FromSeconds(_options.LeaderRetrySeconds);
        var poll = TimeSpan.FromSeconds(_options.PollSeconds);
        while (!ct.IsCancellationRequested)
        {
            NpgsqlConnection? conn = null;
            var lost = false;
            try
            {
                conn = new NpgsqlConnection(DedicatedConnectionString());
                conn.Notification += OnNotification;
                await conn.OpenAsync(ct);
                await RunSqlAsync(conn, $"LISTEN {CasesChannel}; LISTEN {StampsChannel};", ct);
                var nextTry = TimeProvider.System.GetTimestamp();
                var nextPoll = nextTry;
                while (!ct.IsCancellationRequested)
                {
                    var now = TimeProvider.System.GetTimestamp();
                    if (!RunsJobs && now >= nextTry)
                    {
                        await using (var cmd = new NpgsqlCommand($"SELECT pg_try_advisory_lock({JobsLockKey})", conn))
                        {
                            Interlocked.Increment(ref _lockTries);
                            if (await cmd.ExecuteScalarAsync(ct) is true)
                            {
                                BecomeLeader();
                            }
                        }
                        nextTry = now + (long)(retry.TotalSeconds * TimeProvider.System.TimestampFrequency);
                    }
                    if (now >= nextPoll || Interlocked.Exchange(ref _peerStamps, 0) == 1)
                    {
                        await CheckStampsSafelyAsync(ct);
                        nextPoll = TimeProvider.System.GetTimestamp() + (long)(poll.TotalSeconds * TimeProvider.System.TimestampFrequency);
                    }
                    var until = RunsJobs ? nextPoll : Math.Min(nextPoll, nextTry);
                    var wait = TimeSpan.FromSeconds(Math.Max(0.02, (double)(until - TimeProvider.System.GetTimestamp()) / TimeProvider.System.TimestampFrequency));
                    // Returns early when a notification arrives (OnNotification runs within it); throws when the connection breaks.
                    await conn.WaitAsync(wait, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _log.LogWarning("Cluster: node {Node} lost its connection for the jobs' lock and notifications ({Error}); trying again in {Seconds} s",
                    Name, e.GetType().Name + ": " + e.Message, retry.TotalSeconds);
            }
            finally
            {
                lost = StepDown();
                if (conn is not null)
                {
                    conn.Notification -= OnNotification;
                    // Closing the session releases the lock: another node takes the jobs at its next try.
                    await conn.DisposeAsync();
                }
            }
            try
            {
                // A node that has just lost the jobs waits a few of the others' tries before trying again itself,
                // so that a node whose link flaps does not take the jobs straight back from a healthy one.
                await Task.Delay(lost ? retry * RejoinTries : retry, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How many of the other nodes' tries a node that has just lost the jobs' lock lets pass before its own.</summary>
    public const int RejoinTries = 5;

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == CasesChannel)
        {
            var (node, towns) = ParseCasesPayload(e.Payload);
            // Our own: this node already knows.
            if (node != Name)
            {
                _signal?.PulseFromPeer(towns);
            }
            return;
        }
        if (e.Payload == Name)
        {
            return;
        }
        if (e.Channel == StampsChannel)
        {
            Interlocked.Exchange(ref _peerStamps, 1);
        }
    }

    /// <summary>NOTIFY for what this node changed: stamps at once, case changes at most once a second.</summary>
    private async Task SendAnnouncementsAsync(CancellationToken ct)
    {
        try
        {
            while (await _announce.Reader.WaitToReadAsync(ct))
            {
                _announce.Reader.TryRead(out _);
                var channels = new List<(string Channel, string Payload)>(2);
                if (Interlocked.Exchange(ref _stampsPending, 0) == 1)
                {
                    channels.Add((StampsChannel, Name));
                }
                if (Interlocked.Exchange(ref _casesPending, 0) == 1)
                {
                    channels.Add((CasesChannel, CasesPayload()));
                }
                if (channels.Count > 0)
                {
                    try
                    {
                        _notifier ??= NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString)
                        {
                            ApplicationName = "taizhang " + Name,
                            MaxPoolSize = 2,
                        }.ToString());
                        await using var batch = _notifier.CreateBatch();
                        foreach (var (channel, payload) in channels)
                        {
                            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify('{channel}', $1)") { Parameters = { new() { Value = payload } } });
                        }
                        await batch.ExecuteNonQueryAsync(ct);
                    }
                    catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                    {
                        // The other nodes learn it at their next poll (stamps) or their boards' own refresh (cases).
                        _log.LogDebug("Cluster: notification not sent ({Error})", e.GetType().Name);
                    }
                }
                // Case changes come in bursts: one notification a second is enough for boards.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void BecomeLeader()
    {
        lock (_gate)
        {
            _leading = true;
            _leader.TrySetResult();
        }
        _log.LogInformation("Cluster: node {Node} now runs the background jobs (deadline watch, notification sender)", Name);
    }

    /// <summary>Gives the jobs up; whether this node ran them.</summary>
    private bool StepDown()
    {
        bool was;
        lock (_gate)
        {
            was = _leading;
            if (was)
            {
                _leading = false;
                _leader = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (was)
        {
            _log.LogWarning("Cluster: node {Node} no longer runs the background jobs", Name);
        }
        return was;
    }

    private async Task CheckStampsSafelyAsync(CancellationToken ct)
    {
        try
        {
            await CheckStampsAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be briefly unavailable: the next poll tries again (the jobs' lock is not given up for it).
            _log.LogWarning("Cluster: the change stamps could not be read ({Error})", e.GetType().Name);
        }
    }

    /// <summary>
    /// Reads the stamps and reloads each area whose stamp this node has not seen (every area the first time,
    /// since something may have changed between the start's loading and this read). The stamps are read
    /// before the areas are reloaded, so a reload sees at least what the stamp stands for. Returns the
    /// areas reloaded. The loop calls it; tests call it to skip the wait.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckStampsAsync(CancellationToken ct)
    {
        await _checking.WaitAsync(ct);
        try
        {
            Interlocked.Increment(ref _stampChecks);
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var stamps = await ClusterStamps.ReadAsync(db, ct);
            var changed = ClusterStamps.Areas
                .Where(a => !_seenOnce || !string.Equals(_seen.GetValueOrDefault(a), stamps.GetValueOrDefault(a), StringComparison.Ordinal))
                .ToList();
            foreach (var area in changed)
            {
                switch (area)
                {
                    case ClusterStamps.Organisation:
                        _org.Invalidate();
                        break;
                    case ClusterStamps.DuePolicy:
                        await _policies.ReloadAsync(db, ct);
                        break;
                    case ClusterStamps.ApiClients:
                        _apiClients.Invalidate();
                        break;
                }
                _seen[area] = stamps.GetValueOrDefault(area);
            }
            if (_seenOnce && changed.Count > 0)
            {
                Interlocked.Add(ref _reloads, changed.Count);
                _log.LogInformation("Cluster: node {Node} reloaded {Areas} (changed)", Name, string.Join(", ", changed));
            }
            _seenOnce = true;
            return changed;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>Creates the stamp rows that do not exist yet, so that nodes' first changes update rather than both insert.</summary>
    private async Task EnsureStampsAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var existing = await ClusterStamps.ReadAsync(db, ct);
        foreach (var area in ClusterStamps.Areas.Where(a => !existing.ContainsKey(a)))
        {
            var key = ClusterStamps.Prefix + area;
            var value = Guid.NewGuid().ToString("N");
            var at = DateTime.UtcNow;
            // Insert-if-missing in one statement: another node starting at the same moment may insert it first.
            if (IsPostgres)
            {
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "Settings" ("Key", "Value", "UpdatedAt", "UpdatedBy") VALUES ({key}, {value}, {at}, {Name}) ON CONFLICT DO NOTHING""", ct);
            }
            else
            {
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT OR IGNORE INTO "Settings" ("Key", "Value", "UpdatedAt", "UpdatedBy") VALUES ({key}, {value}, {at}, {Name})""", ct);
            }
        }
    }

    /// <summary>The jobs' connection: never pooled (its session is the lock), named in pg_stat_activity, with keepalives so a dead link is noticed.</summary>
    private string DedicatedConnectionString() => new NpgsqlConnectionStringBuilder(_connectionString)
    {
        Pooling = false,
        ApplicationName = "taizhang " + Name + " (jobs lock)",
        KeepAlive = 5,
        TcpKeepAlive = true,
        Multiplexing = false,
    }.ToString();

    private static async Task RunSqlAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Before serving: holds the start-up lock while the caller migrates and seeds, so that nodes started
    /// together on one PostgreSQL database do it one after the other (the second finds it done). SQLite,
    /// or a database that does not exist yet (the migration creates it): nothing to hold.
    /// </summary>
    public static async Task<IAsyncDisposable> StartupLockAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        var cs = database.IsPostgres ? database.ConnectionString ?? services.GetRequiredService<IConfiguration>().GetConnectionString("Postgres") : null;
        if (cs is null)
        {
            return NoLock.Instance;
        }
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false, ApplicationName = "taizhang start-up", CommandTimeout = 0 }.ToString());
        try
        {
            await conn.OpenAsync(ct);
            await RunSqlAsync(conn, $"SELECT pg_advisory_lock({StartupLockKey})", ct);
            return conn;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await conn.DisposeAsync();
            return NoLock.Instance;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public override void Dispose()
    {
        _notifier?.Dispose();
        base.Dispose();
    }
}
