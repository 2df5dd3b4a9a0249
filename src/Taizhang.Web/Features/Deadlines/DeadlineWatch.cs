using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// 期限监控: the background writer of the automatic 催办 and 通报 (PRODUCT.md "Deadlines and supervision").
/// Each pass (<see cref="RunPassAsync"/>, which the loop and the tests call) reminds every case with a
/// responsible unit, clock running, whose due date was a local day before today and that has had no
/// automatic reminder for that due date; then gives a notice to every case reminded automatically for
/// its current due date whose last reminder is <see cref="DeadlineWatchOptions.NoticeAfterWorkingDays"/>
/// working days old with no automatic notice for that due date.
/// </summary>
/// <remarks>
/// Idempotent by the case's own state, not by anything this process remembers: a reminder sets
/// <see cref="Case.AutoRemindedDueAt"/> to the due date it was about (a notice
/// <see cref="Case.AutoNoticedDueAt"/>) in the same save as its event, and a case is eligible only while
/// that differs from its due date. A restart, a second instance or a second node finds nothing left to
/// do; an approved extension or a resumed suspension moves the due date and makes the case eligible
/// again, for its new date. Two writers on the same case cannot both record: the event count is the
/// case's concurrency token (and (CaseId, Sequence) is unique), so the later save fails and that case is
/// skipped — it is reloaded and looked at again (and found done, or changed) by the next pass.
/// <para>
/// At a million cases a pass reads through the index (TownId, Status, DueAt): one range per town and
/// watched status (DueAt up to the cutoff), in batches of <see cref="DeadlineWatchOptions.BatchSize"/>
/// with a keyset on (DueAt, Id), never all cases. A batch is saved in one transaction; when any case of
/// it changed meanwhile, the batch is redone case by case (each reloaded and checked again) so one busy
/// case does not hold back the others.
/// </para>
/// </remarks>
public sealed class DeadlineWatch(
    IServiceScopeFactory scopes, DeadlineWatchOptions options, OrgDirectory org, DuePolicySource policies, NotificationOutbox outbox,
    TimeProvider clock, ILogger<DeadlineWatch> log, ClusterNode? cluster = null) : BackgroundService
{
    /// <summary>The actor of every automatic reminder and notice.</summary>
    public static readonly Actor Actor = new(ActorKind.System, "system:deadline-watch", "期限监控");

    /// <summary>
    /// The statuses watched: clocked, and with a responsible unit to remind (the deadline work of
    /// <see cref="Case.AllowedActions"/>). A case waiting for triage or assignment is the town office's
    /// own queue, overdue on its board, with nobody else to chase.
    /// </summary>
    public static readonly IReadOnlyList<CaseStatus> WatchedStatuses = Lifecycle.ClockedStatuses
        .Where(s => Case.AllowedActions(s).Contains(CaseAction.Remind) && Case.AllowedActions(s).Contains(CaseAction.Notify)).ToArray();

    /// <summary>What one pass did: events recorded, and cases skipped because they changed meanwhile (done by another writer, or no longer due).</summary>
    public sealed record PassResult(int Reminded, int Noticed, int Skipped);

    /// <summary>
    /// The instants a pass compares with: a case is reminded when <see cref="Case.DueAt"/> is at or before
    /// <paramref name="RemindDueBy"/> (its due date, a local day, ended before today began), and noticed when
    /// its last reminder is before <paramref name="NoticeRemindedBefore"/> (the end of the latest local day
    /// after which N working days have all passed by today).
    /// </summary>
    public sealed record Cutoffs(DateTime Now, DateTime RemindDueBy, DateTime NoticeRemindedBefore);

    private enum Phase
    {
        Remind,
        Notice,
    }

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Tests only: awaited after a batch is changed in memory and before it is saved, to make two passes meet there.</summary>
    internal Func<CancellationToken, Task>? BeforeSave { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WatchEnabled)
        {
            return;
        }
        try
        {
            // After start-up, not during it.
            await Task.Delay(TimeSpan.FromSeconds(options.WatchStartDelaySeconds), clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // With several nodes, only the one that holds the jobs' lock runs passes (the others wait
                // here and take over when it goes); a brief overlap is harmless, see the remarks above.
                if (cluster is not null)
                {
                    await cluster.WhenRunsJobsAsync(stoppingToken);
                }
                await RunPassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable: nothing was half-recorded, the next pass tries again.
                log.LogError(e, "Deadline watch pass failed");
            }
            try
            {
                await Task.Delay(options.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every town: reminders first, then notices. The loop and the tests call this.</summary>
    public async Task<PassResult> RunPassAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var due = policies.Current;
            var cut = CutoffsAt(clock.GetUtcNow().UtcDateTime, due, options.NoticeAfterWorkingDays);
            var towns = (await org.GetAsync(ct)).Units.Where(u => u.Kind == OrgUnitKind.Town).Select(u => u.Id).Order().ToList();
            var tally = new Tally();
            foreach (var phase in new[] { Phase.Remind, Phase.Notice })
            {
                var eligible = Eligible(phase, cut);
                var check = eligible.Compile();
                foreach (var town in towns)
                {
                    foreach (var status in WatchedStatuses)
                    {
                        await SweepAsync(phase, town, status, eligible, check, cut, tally, ct);
                    }
                }
            }
            var result = new PassResult(tally.Reminded, tally.Noticed, tally.Skipped);
            // Counts only: nothing of a case (title, names, phones) is logged.
            if (result != new PassResult(0, 0, 0))
            {
                log.LogInformation("Deadline watch: {Reminded} reminders, {Noticed} notices recorded; {Skipped} cases skipped until the next pass",
                    result.Reminded, result.Noticed, result.Skipped);
            }
            return result;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>The cutoffs of a pass at <paramref name="now"/> (local days of the due policy's zone, working days of its calendar).</summary>
    public static Cutoffs CutoffsAt(DateTime now, DuePolicy due, int noticeAfterWorkingDays)
    {
        var today = due.LocalDate(now);
        // The latest day d with N working days in (d, yesterday]: a reminder sent on d or before has waited them all out.
        var day = today.AddDays(-1);
        var counted = 0;
        for (var guard = 0; counted < noticeAfterWorkingDays && guard < 10_000; guard++)
        {
            if (due.Calendar.IsWorkingDay(day))
            {
                counted++;
            }
            day = day.AddDays(-1);
        }
        return new Cutoffs(now, due.EndOfLocalDay(today.AddDays(-1)), due.EndOfLocalDay(day));
    }

    /// <summary>Which cases of a watched status a phase acts on now; the same test selects them (SQL) and re-checks a reloaded one (memory).</summary>
    private static Expression<Func<Case, bool>> Eligible(Phase phase, Cutoffs cut)
    {
        var remindDueBy = cut.RemindDueBy;
        var noticeBefore = cut.NoticeRemindedBefore;
        return phase == Phase.Remind
            ? c => c.SuspendedAt == null && c.DueAt <= remindDueBy && c.AutoRemindedDueAt != c.DueAt
            // Reminded for this due date, so it passed before the reminder: DueAt <= cutoff keeps the read on the index's range.
            : c => c.SuspendedAt == null && c.DueAt <= remindDueBy && c.AutoRemindedDueAt == c.DueAt && c.AutoNoticedDueAt != c.DueAt
                && c.LastRemindedAt < noticeBefore;
    }

    private async Task SweepAsync(Phase phase, long town, CaseStatus status, Expression<Func<Case, bool>> eligible, Func<Case, bool> check,
        Cutoffs cut, Tally tally, CancellationToken ct)
    {
        DateTime? afterDue = null;
        long afterId = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var query = db.Cases.Where(c => c.TownId == town && c.Status == status).Where(eligible);
            if (afterDue is { } lastDue)
            {
                var lastId = afterId;
                query = query.Where(c => c.DueAt > lastDue || (c.DueAt == lastDue && c.Id > lastId));
            }
            // Reporters as the workbench loads them: the notification planner reads them.
            var batch = await query.OrderBy(c => c.DueAt).ThenBy(c => c.Id).Take(options.BatchSize)
                .Include(c => c.Reporters).AsSplitQuery().ToListAsync(ct);
            if (batch.Count == 0)
            {
                return;
            }
            afterDue = batch[^1].DueAt;
            afterId = batch[^1].Id;
            await SaveBatchAsync(db, batch, phase, check, cut, tally, ct);
            if (batch.Count < options.BatchSize)
            {
                return;
            }
        }
    }

    private async Task SaveBatchAsync(TaizhangDb db, List<Case> batch, Phase phase, Func<Case, bool> check, Cutoffs cut, Tally tally, CancellationToken ct)
    {
        var acted = 0;
        var refused = 0;
        foreach (var c in batch)
        {
            if (Act(c, phase, cut.Now))
            {
                acted++;
            }
            else
            {
                refused++;
            }
        }
        if (acted == 0)
        {
            tally.Skipped += refused;
            return;
        }
        if (BeforeSave is { } hook)
        {
            await hook(ct);
        }
        try
        {
            // The events' notifications are saved with them, or not at all (as in CaseWorkbench).
            await outbox.AddForChangesAsync(db, ct);
            await db.SaveChangesAsync(ct);
            tally.Add(phase, acted);
            tally.Skipped += refused;
        }
        catch (DbUpdateException)
        {
            // A case of the batch changed meanwhile (concurrency token or event sequence), or two
            // transactions met on the same rows: nothing of this batch was saved. Case by case now.
            db.ChangeTracker.Clear();
            foreach (var c in batch)
            {
                await SaveOneAsync(c.Id, phase, check, cut, tally, ct);
            }
        }
    }

    /// <summary>Reloads one case, checks it still qualifies, records and saves; a concurrent change skips it until the next pass.</summary>
    private async Task SaveOneAsync(long id, Phase phase, Func<Case, bool> check, Cutoffs cut, Tally tally, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var c = await db.Cases.Include(x => x.Reporters).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !WatchedStatuses.Contains(c.Status) || !check(c))
        {
            // Done by another writer meanwhile, or no longer due.
            tally.Skipped++;
            return;
        }
        if (!Act(c, phase, cut.Now))
        {
            tally.Skipped++;
            return;
        }
        try
        {
            await outbox.AddForChangesAsync(db, ct);
            await db.SaveChangesAsync(ct);
            tally.Add(phase, 1);
        }
        catch (DbUpdateConcurrencyException)
        {
            tally.Skipped++;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another writer appended the same event sequence number first.
            tally.Skipped++;
        }
    }

    /// <summary>Records the phase's event on the case; false when the case's state refuses it (it changed since it was selected).</summary>
    private static bool Act(Case c, Phase phase, DateTime now)
    {
        try
        {
            if (phase == Phase.Remind)
            {
                c.Remind(null, automatic: true, Actor, now);
            }
            else
            {
                c.Notify(null, automatic: true, Actor, now);
            }
            return true;
        }
        catch (DomainRuleException)
        {
            // The domain checks before it changes anything: the case is left as it was.
            return false;
        }
    }

    private sealed class Tally
    {
        public int Reminded { get; private set; }
        public int Noticed { get; private set; }
        public int Skipped { get; set; }

        public void Add(Phase phase, int count)
        {
            if (phase == Phase.Remind)
            {
                Reminded += count;
            }
            else
            {
                Noticed += count;
            }
        }
    }
}
