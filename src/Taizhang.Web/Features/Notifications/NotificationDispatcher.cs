using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// The background sender: claims the due messages of the outbox, sends each through its channel's
/// sender, and records the outcome — delivered; retried later with exponential backoff; or, after
/// <see cref="NotificationOptions.MaxAttempts"/> or on a permanent refusal, a dead letter.
/// </summary>
/// <remarks>
/// Claiming is safe with several processes on one database: candidate ids are read, then one UPDATE
/// sets Status = Sending with this round's claim token on those still claimable (Pending and due, or
/// Sending with an expired lease). PostgreSQL re-checks that condition on each row after waiting for a
/// concurrent claimer's lock, so each row goes to one claimer; SQLite has a single writer anyway. Only
/// rows carrying this round's token are sent, and their outcome is written only while the token is
/// still theirs. A delivered row is never claimed again, so a restart never resends it; a process that
/// dies between the provider's answer and the outcome's write leaves a Sending row that is sent again
/// after its lease (at least once, as every outbox). With several nodes the loop runs only on the node
/// that holds the jobs' lock (<see cref="Infrastructure.ClusterNode"/>); the claims above are what keep a
/// brief overlap (a holder losing its lock mid-round) from sending a message twice.
/// </remarks>
public sealed class NotificationDispatcher(
    IServiceScopeFactory scopes, NotificationOptions options, NotificationSenders senders, TimeProvider clock, ILogger<NotificationDispatcher> log,
    Infrastructure.ClusterNode? cluster = null)
    : BackgroundService
{
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SenderEnabled)
        {
            return;
        }
        var period = TimeSpan.FromSeconds(Math.Max(0.1, options.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One sender for the whole cluster: the node that holds the jobs' lock (the claims keep an overlap safe).
                if (cluster is not null)
                {
                    await cluster.WhenRunsJobsAsync(stoppingToken);
                }
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable: the next round tries again.
                log.LogError(e, "Notification sender round failed");
            }
            try
            {
                await Task.Delay(period, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends everything due now; returns how many messages were attempted. The loop and the tests call this.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                var sent = await SendBatchAsync(ct);
                total += sent;
                if (sent < Math.Max(1, options.BatchSize))
                {
                    return total;
                }
            }
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<int> SendBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = await Claimable(db.Notifications, now).OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id)
            .Select(n => n.Id).Take(Math.Max(1, options.BatchSize)).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return 0;
        }
        var token = Guid.NewGuid().ToString("N");
        var leaseEnd = now.AddSeconds(options.LeaseSeconds);
        await Claimable(db.Notifications.Where(n => ids.Contains(n.Id)), now).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NotificationStatus.Sending)
            .SetProperty(n => n.ClaimToken, token)
            .SetProperty(n => n.ClaimedUntil, leaseEnd), ct);
        var claimed = await db.Notifications.AsNoTracking().Where(n => n.ClaimToken == token && n.Status == NotificationStatus.Sending)
            .OrderBy(n => n.Id).ToListAsync(ct);
        var texts = await TemplateTextsAsync(db, ct);
        foreach (var n in claimed)
        {
            await SendOneAsync(db, scope.ServiceProvider, n, token, texts, ct);
        }
        return ids.Count;
    }

    private static IQueryable<Notification> Claimable(IQueryable<Notification> q, DateTime now) =>
        q.Where(n => (n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now)
            || (n.Status == NotificationStatus.Sending && n.ClaimedUntil < now));

    private async Task SendOneAsync(TaizhangDb db, IServiceProvider services, Notification n, string token, IReadOnlyDictionary<string, string> texts, CancellationToken ct)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(n.Parameters) ?? [];
        var text = NotificationTemplates.Render(texts.GetValueOrDefault(n.TemplateKey) ?? string.Empty, values);
        var message = new OutgoingMessage(n.Id, n.CaseId, n.Kind, n.Channel, n.Address, n.TemplateKey, values, text);
        SendResult result;
        var sender = senders.For(n.Channel, services);
        var toFile = sender is FileSink && n.Channel != NotificationChannel.File;
        try
        {
            result = await sender.SendAsync(message, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            // The type only: a message can carry a URL, and URLs here carry tokens or numbers.
            result = new SendResult(SendOutcome.Retry, n.Channel.ToString().ToLowerInvariant() + ": " + e.GetType().Name);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var attempts = n.Attempts + 1;
        var mine = db.Notifications.Where(x => x.Id == n.Id && x.ClaimToken == token);
        var error = result.Error is { Length: > Notification.ErrorMaxLength } long_ ? long_[..Notification.ErrorMaxLength] : result.Error;
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                // The rating code was for the resident: once it reached them, it is not kept.
                values.Remove("ratingCode");
                var scrubbed = JsonSerializer.Serialize(values, NotificationOutbox.Json);
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, NotificationStatus.Delivered)
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.DeliveredAt, now)
                    .SetProperty(x => x.DeliveredToFile, toFile)
                    .SetProperty(x => x.LastError, (string?)null)
                    .SetProperty(x => x.Parameters, scrubbed)
                    .SetProperty(x => x.ClaimToken, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
                log.LogInformation("Notification {Id} ({Kind}, {Channel}) delivered", n.Id, n.Kind, n.Channel);
                break;
            case SendOutcome.Retry when attempts < options.MaxAttempts:
                var next = now + options.Backoff(attempts);
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, NotificationStatus.Pending)
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.NextAttemptAt, next)
                    .SetProperty(x => x.LastError, error)
                    .SetProperty(x => x.ClaimToken, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
                log.LogWarning("Notification {Id} ({Channel}) failed ({Error}); attempt {Attempt} of {Max}, next in {Delay}",
                    n.Id, n.Channel, error, attempts, options.MaxAttempts, next - now);
                break;
            default:
                await mine.ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, NotificationStatus.DeadLetter)
                    .SetProperty(x => x.Attempts, attempts)
                    .SetProperty(x => x.LastError, error)
                    .SetProperty(x => x.ClaimToken, (string?)null)
                    .SetProperty(x => x.ClaimedUntil, (DateTime?)null), ct);
                log.LogWarning("Notification {Id} ({Channel}) is a dead letter after {Attempt} attempts ({Error})", n.Id, n.Channel, attempts, error);
                break;
        }
    }

    /// <summary>Every template's text now: an administrator's version, else the default.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TemplateTextsAsync(TaizhangDb db, CancellationToken ct)
    {
        var stored = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(NotificationTemplates.SettingPrefix))
            .ToDictionaryAsync(s => s.Key[NotificationTemplates.SettingPrefix.Length..], s => s.Value, ct);
        return NotificationTemplates.All.ToDictionary(t => t.Key, t => stored.GetValueOrDefault(t.Key) ?? t.DefaultText);
    }
}
