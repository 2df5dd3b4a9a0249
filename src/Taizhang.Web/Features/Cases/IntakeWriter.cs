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
}

/// <summary>Thrown when the writer has stopped (shutting down): the caller gets 503 and may retry.</summary>
public sealed class IntakeUnavailableException() : Exception("Intake is not accepting registrations.");

/// <summary>
/// Group commit for intake: concurrent registrations are queued to this one writer, which
/// commits whatever has queued up as one transaction and completes each caller only after
/// that commit. One fsync serves many registrations; none is acknowledged before it is durable.
/// </summary>
public sealed class IntakeWriter(IServiceScopeFactory scopes, IntakeOptions options, ILogger<IntakeWriter> log) : BackgroundService
{
    private readonly Channel<Pending> _queue = System.Threading.Channels.Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public readonly record struct Result(long CaseId, bool Created);

    public async Task<Result> SubmitAsync(Case @case, CancellationToken ct)
    {
        var pending = new Pending(@case);
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
        var batch = new List<Pending>(options.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.MaxBatch && _queue.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                }
                await CommitAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Drain what is queued so that no caller waits forever on shutdown.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
            }
            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
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
            // One bad registration (a concurrent repeat of the same key) must not fail the
            // others: commit them one by one so each gets its own answer.
            foreach (var p in batch)
            {
                await CommitAsync([p]);
            }
        }
        catch (DbUpdateException e)
        {
            var p = batch[0];
            var existing = await FindRepeatAsync(p.Case);
            if (existing is { } id)
            {
                p.Done.TrySetResult(new Result(id, Created: false));
            }
            else
            {
                log.LogError(e, "Registration could not be committed");
                p.Done.TrySetException(e);
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "Intake batch of {Count} could not be committed", batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    private async Task<long?> FindRepeatAsync(Case c)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        return await RegisterCase.FindRepeatAsync(db, c.Channel, c.ExternalRef, c.IdempotencyKey, CancellationToken.None);
    }

    private sealed class Pending(Case @case)
    {
        public Case Case { get; } = @case;
        public TaskCompletionSource<Result> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
