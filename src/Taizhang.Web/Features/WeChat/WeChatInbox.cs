using System.Collections.Concurrent;
using System.Globalization;

namespace Taizhang.Web.Features.WeChat;

/// <summary>
/// Answers each message within WeChat's five seconds, and handles it once. The handling runs on its own
/// (its own scope, not the request's), so a registration that takes longer than
/// <see cref="WeChatOptions.ReplyWithinMilliseconds"/> is answered "being registered" and still completes;
/// a retry of the same message while it runs waits for the same handling instead of starting another.
/// Across processes the registration's Idempotency-Key ("wechat:" + MsgId) keeps it to one case.
/// </summary>
public sealed class WeChatInbox(
    IServiceScopeFactory scopes, WeChatOptions options, IWeChatLateRegistration late, Resources.Texts texts, ILogger<WeChatInbox> log)
    : IHostedService
{
    private readonly ConcurrentDictionary<string, Work> _inflight = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<Task, byte> _running = new();

    /// <summary>The reply body: a passive-reply text, or <see cref="WeChatProtocol.NoReply"/>.</summary>
    public async Task<WeChatMessages.Reply> ReplyAsync(WeChatProtocol.Message message, CancellationToken aborted)
    {
        var key = WeChatMessages.DedupeKey(message);
        var fresh = new Work(message);
        var work = _inflight.GetOrAdd(key, fresh);
        if (ReferenceEquals(work, fresh))
        {
            // Not the request's: no HttpContext, culture or cancellation flows into the handling.
            Task task;
            using (ExecutionContext.SuppressFlow())
            {
                task = Task.Run(() => RunAsync(key, work));
            }
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        }
        else
        {
            log.LogInformation("WeChat {Message} is already being handled; the retry waits for it", Describe(message));
        }
        try
        {
            // Wall-clock time, not the app's clock: this is WeChat's patience, not a business date.
            return await work.Done.Task.WaitAsync(TimeSpan.FromMilliseconds(options.ReplyWithinMilliseconds), TimeProvider.System, aborted);
        }
        catch (TimeoutException) when (work.MarkLate())
        {
            log.LogWarning("WeChat {Message} not handled within {Ms} ms: answered that it is being registered", Describe(message),
                options.ReplyWithinMilliseconds);
            return WeChatMessages.Pending(texts, message);
        }
        catch (TimeoutException)
        {
            // It finished between the deadline and now.
            return await work.Done.Task;
        }
    }

    private async Task RunAsync(string key, Work work)
    {
        var reply = WeChatMessages.Reply.Failed(texts, work.Message);
        WeChatMessages.Outcome? outcome = null;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(Resources.Texts.DefaultCulture);
            await using var scope = scopes.CreateAsyncScope();
            outcome = await scope.ServiceProvider.GetRequiredService<WeChatMessages.Handler>().HandleAsync(work.Message, key, CancellationToken.None);
            reply = outcome.Reply;
        }
        catch (Exception e)
        {
            // Nothing half-done: the registration either committed (a retry finds it by its key) or not at all.
            log.LogError(e, "WeChat {Message} could not be handled", Describe(work.Message));
        }
        finally
        {
            _inflight.TryRemove(new KeyValuePair<string, Work>(key, work));
        }
        if (!work.MarkFinished() && work.Message.MsgType == "text" && outcome is not { IsQuery: true })
        {
            // The resident was told "being registered": the code (or the failure) must reach them another way.
            try
            {
                await late.NotifyAsync(new LateRegistration(work.Message.FromUserName, work.Message.MsgId ?? key,
                    outcome?.CaseId, outcome?.TrackingCode, outcome?.RatingCode), CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "WeChat {Message}: the late notification failed", Describe(work.Message));
            }
        }
        work.Done.TrySetResult(reply);
    }

    /// <summary>For logs: the message id or the event, never the sender or the text.</summary>
    internal static string Describe(WeChatProtocol.Message m) =>
        m.MsgId is { } id ? $"message {id} ({m.MsgType})" : $"{m.MsgType} {m.Event} at {m.CreateTime}";

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handlings still running are finished (their registrations reach the intake writer before it drains).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = _running.Keys.ToArray();
        if (running.Length > 0)
        {
            log.LogInformation("Waiting for {Count} WeChat messages still being handled", running.Length);
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private sealed class Work(WeChatProtocol.Message message)
    {
        private const int Waiting = 0, Late = 1, Finished = 2;

        private int _state;

        public WeChatProtocol.Message Message { get; } = message;

        public TaskCompletionSource<WeChatMessages.Reply> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A waiter gave up: true when the handling had not finished (the waiter answers "pending").</summary>
        public bool MarkLate() => Interlocked.CompareExchange(ref _state, Late, Waiting) != Finished;

        /// <summary>The handling is done: false when a waiter already answered "pending".</summary>
        public bool MarkFinished() => Interlocked.CompareExchange(ref _state, Finished, Waiting) == Waiting;
    }
}
