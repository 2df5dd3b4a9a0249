using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Most registrations committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Registrations waiting beyond this make callers wait (back-pressure).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>/health/ready fails when a queued registration has waited longer than this (the writer is stuck).</summary>
    public int StuckAfterSeconds { get; set; } = 30;
}

/// <summary>Thrown when the writer has stopped (shutting down): the caller gets 503 and may retry.</summary>
public sealed class IntakeUnavailableException(Exception? inner = null) : Exception("Intake is not accepting registrations.", inner);

/// <summary>
/// Group commit for intake: concurrent registrations are queued to this one writer, which
/// commits whatever has queued up as one transaction and completes each caller only after
/// that commit. One fsync serves many registrations; none is acknowledged before it is durable.
/// </summary>
public sealed class IntakeWriter(IServiceScopeFactory scopes, IntakeOptions options, TimeProvider clock, ILogger<IntakeWriter> log) : BackgroundService
{
    // Checked here, when the host starts: a batch of 0 would spin without ever committing.
    private readonly int _maxBatch = AtLeastOne(options.MaxBatch, nameof(IntakeOptions.MaxBatch));

    private readonly Channel<Pending> _queue = System.Threading.Channels.Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(AtLeastOne(options.QueueCapacity, nameof(IntakeOptions.QueueCapacity)))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    public readonly record struct Result(long CaseId, bool Created);

    /// <summary>For /health/ready: whether the writer takes registrations, how many wait, and how long the oldest has waited.</summary>
    public readonly record struct Status(bool Accepting, int Queued, TimeSpan OldestWait);

    public Status GetStatus()
    {
        var oldest = _queue.Reader.TryPeek(out var p) ? clock.GetElapsedTime(p.QueuedAt) : TimeSpan.Zero;
        var running = ExecuteTask is null or { IsCompleted: false };
        return new Status(running && !_completed, _queue.Reader.Count, oldest);
    }

    // Set when the writer stops taking registrations (shutdown), before the queue is closed.
    private volatile bool _completed;

    public async Task<Result> SubmitAsync(Case @case, CancellationToken ct)
    {
        var pending = new Pending(@case, clock.GetTimestamp());
        try
        {
            await _queue.Writer.WriteAsync(pending, ct);
        }
        catch (ChannelClosedException)
        {
            throw new IntakeUnavailableException();
        }
        // Once queued the registration is committed even if this caller goes away:
        // it has no cancellation of its own, so a retry with the same key finds it.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                try
                {
                    while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p))
                    {
                        batch.Add(p);
                    }
                    await CommitAsync(batch);
                }
                finally
                {
                    // Every one of them has its answer: the drain below must never commit them again.
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Drain what is queued so that no caller waits forever on shutdown.
            _completed = true;
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
            }
            foreach (var chunk in batch.Chunk(_maxBatch))
            {
                await CommitAsync(chunk);
            }
        }
    }

    /// <summary>Completes every pending registration of the batch exactly once; never throws.</summary>
    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            db.Cases.AddRange(batch.Select(p => p.Case));
            await db.SaveChangesAsync(CancellationToken.None);
            foreach (var p in batch)
            {
                p.Done.TrySetResult(new Result(p.Case.Id, Created: true));
            }
        }
        catch (DbUpdateException) when (batch.Count > 1)
        {
            // One bad registration (e.g. a concurrent repeat of the same key) must not fail the
            // others: commit them one by one so each gets its own answer.
            foreach (var p in batch)
            {
                await CommitAsync([p]);
            }
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            await SettleRepeatAsync(batch[0], e);
        }
        catch (Exception e)
        {
            // Nothing of the batch is stored (the transaction rolled back: a full disk, a read-only or
            // unreachable database): each request hears "unavailable, try again", never a 201.
            log.LogError(e, "Intake batch of {Count} could not be committed", batch.Count);
            Fail(batch, new IntakeUnavailableException(e));
        }
    }

    /// <summary>
    /// A unique index refused the registration: a concurrent request with the same key or external
    /// reference committed first. The same matter gets that case; a key reused for a different
    /// matter is refused as <see cref="RegisterCase"/> refuses it, never answered with another's case.
    /// </summary>
    private async Task SettleRepeatAsync(Pending p, DbUpdateException violation)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var c = p.Case;
            if (c.IdempotencyKey is { } key && await RegisterCase.FindByKeyAsync(db, c.TownId, key, CancellationToken.None) is { } byKey)
            {
                if (byKey.IsSameMatter(c.Channel, c.Title, c.Description, c.OrgUnitId))
                {
                    log.LogDebug("Concurrent repeat of an Idempotency-Key answered with case {CaseId}", byKey.Id);
                    p.Done.TrySetResult(new Result(byKey.Id, Created: false));
                }
                else
                {
                    log.LogInformation("Idempotency-Key reused concurrently for a different registration; refused");
                    p.Done.TrySetException(RegisterCase.KeyReused());
                }
                return;
            }
            if (await RegisterCase.FindByExternalRefAsync(db, c.TownId, c.Channel, c.ExternalRef, CancellationToken.None) is { } byRef)
            {
                log.LogDebug("Concurrent repeat of an external reference answered with case {CaseId}", byRef);
                p.Done.TrySetResult(new Result(byRef, Created: false));
                return;
            }
            log.LogError(violation, "Registration could not be committed");
            p.Done.TrySetException(violation);
        }
        catch (Exception e)
        {
            log.LogError(e, "Registration refused by a unique index could not be matched to an earlier one");
            p.Done.TrySetException(e);
        }
    }

    private static void Fail(IReadOnlyList<Pending> batch, Exception e)
    {
        foreach (var p in batch)
        {
            p.Done.TrySetException(e);
        }
    }

    private static int AtLeastOne(int value, string setting) => value >= 1
        ? value
        : throw new InvalidOperationException($"{IntakeOptions.Section}:{setting} must be at least 1 (it is {value}).");

    private sealed class Pending(Case @case, long queuedAt)
    {
        public Case Case { get; } = @case;

        public long QueuedAt { get; } = queuedAt;

        public TaskCompletionSource<Result> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
