using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// "Cases changed": a pulse, debounced so that a stream of changes wakes the open boards at most once
/// per <see cref="Interval"/> (the first change at once, the rest of a burst together at the end of the
/// interval). It carries the towns whose cases changed and nothing else: a board hears it only when one
/// of those towns is in its scope (<see cref="Change.Concerns"/>), and then fetches itself again, in its
/// own scope — so a town's board neither learns when another town works nor reloads for it.
/// In-process; with several nodes on PostgreSQL, <see cref="ClusterNode"/> carries each node's changes to the
/// others (<see cref="Broadcast"/> out, <see cref="PulseFromPeer"/> in).
/// </summary>
public sealed class CaseChangeSignal : IDisposable
{
    /// <summary>What changed since the last signal: the towns, or null when not known (every board hears it).</summary>
    public sealed record Change(IReadOnlySet<long>? Towns)
    {
        /// <summary>Whether a board reading <paramref name="scope"/> (its towns; null: unbounded) should hear it.</summary>
        public bool Concerns(IReadOnlyCollection<long>? scope) => Towns is null || scope is null || scope.Any(Towns.Contains);
    }

    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private TaskCompletionSource<Change> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<long>? _towns = [];
    private long _lastFired = long.MinValue / 2;
    private bool _scheduled;
    private int _streams;

    public CaseChangeSignal(TimeSpan interval, int maxStreams)
    {
        Interval = interval;
        MaxStreams = maxStreams;
        _timer = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public TimeSpan Interval { get; }

    /// <summary>At most this many boards listen at once (each holds a connection); the rest are refused (503) and poll.</summary>
    public int MaxStreams { get; }

    /// <summary>How many signals were sent (for tests and logs).</summary>
    public long Version { get; private set; }

    /// <summary>Completes at the next signal, with what changed.</summary>
    public Task<Change> Next
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    /// <summary>
    /// Told of every change made here, with its towns (null: not known); the cluster node sends them to the other nodes.
    /// Cheap: it notes them and returns.
    /// </summary>
    public Action<IReadOnlyCollection<long>?>? Broadcast { get; set; }

    /// <summary>Cases of <paramref name="towns"/> (null: of towns not known) changed: signal now, or at the end of the interval if one was sent within it.</summary>
    public void Pulse(IReadOnlyCollection<long>? towns)
    {
        Broadcast?.Invoke(towns);
        PulseFromPeer(towns);
    }

    /// <summary>Cases changed on another node: this node's boards only (never sent on again).</summary>
    public void PulseFromPeer(IReadOnlyCollection<long>? towns)
    {
        lock (_gate)
        {
            if (towns is null)
            {
                _towns = null;
            }
            else
            {
                _towns?.UnionWith(towns);
            }
            if (_scheduled)
            {
                return;
            }
            // Real elapsed time, not the app's clock: the debounce is about connections, not about dates.
            var wait = _lastFired + (long)Interval.TotalMilliseconds - Environment.TickCount64;
            if (wait > 0)
            {
                _scheduled = true;
                _timer.Change(wait, Timeout.Infinite);
                return;
            }
        }
        Fire();
    }

    private void Fire()
    {
        TaskCompletionSource<Change> done;
        Change change;
        lock (_gate)
        {
            _scheduled = false;
            _lastFired = Environment.TickCount64;
            Version++;
            change = new Change(_towns);
            _towns = [];
            done = _next;
            _next = new TaskCompletionSource<Change>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult(change);
    }

    /// <summary>Takes a stream slot; false when <see cref="MaxStreams"/> are open.</summary>
    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _streams) <= MaxStreams)
        {
            return true;
        }
        Interlocked.Decrement(ref _streams);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref _streams);

    public int OpenStreams => Volatile.Read(ref _streams);

    public void Dispose() => _timer.Dispose();
}

/// <summary>
/// The one hook on the saving path: a SaveChanges that adds or changes a case (or appends a case's
/// event) pulses <see cref="CaseChangeSignal"/> once it has committed. Registrations are written by
/// the intake writer's own inserts, which pulse it themselves.
/// </summary>
public sealed class CaseChangeInterceptor(CaseChangeSignal signal) : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, HashSet<long>> Pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Notice(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Notice(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Done(eventData.Context, saved: true);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Done(eventData.Context, saved: true);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Done(eventData.Context, saved: false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Done(eventData.Context, saved: false);
        return Task.CompletedTask;
    }

    private static void Notice(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // The tracker's entries as they stand (SaveChanges has just detected the changes): the towns of the cases and events written.
        HashSet<long>? towns = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                var town = entry.Entity switch
                {
                    Case c => c.TownId,
                    CaseEvent e => e.TownId,
                    _ => (long?)null,
                };
                if (town is { } t)
                {
                    (towns ??= Pending.GetValue(context, _ => [])).Add(t);
                }
            }
        }
    }

    private void Done(DbContext? context, bool saved)
    {
        if (context is not null && Pending.TryGetValue(context, out var towns) && Pending.Remove(context) && saved && towns.Count > 0)
        {
            signal.Pulse(towns.ToArray());
        }
    }
}
