using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Deadlines;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Deadlines;

/// <summary>
/// The deadline watch on a real database with the test clock: the automatic 催办 the day after a due
/// date and the 通报 N working days later (default 5), each once per due date across passes, a restart
/// (a new watch instance on the same database) and two passes racing; none for a suspended or resolved
/// case; an approved extension gives the new due date its own reminder. The watch's loop is off in
/// tests (Deadlines:WatchEnabled=false): each test runs a pass itself. Cases are set up over HTTP;
/// the deadline requests (延期, 挂起) through the domain in a scope of the app.
/// </summary>
public abstract class DeadlineWatchTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("town");

    private static readonly Actor Clerk = new(ActorKind.User, "test-clerk", "镇办受理员");

    /// <summary>The responsible unit, who asks for time (the clerk decides: nobody decides their own request).</summary>
    private static readonly Actor Unit = new(ActorKind.User, "test-unit", "承办人");

    /// <summary>An instant in Shanghai's local time.</summary>
    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private void At(DateTimeOffset instant) => app.Clock.SetUtcNow(instant);

    private DeadlineWatch Watch => app.Services.GetRequiredService<DeadlineWatch>();

    /// <summary>A new watch on the same database, as after a restart of the process (or on a second node).</summary>
    private DeadlineWatch NewWatch(DeadlineWatchOptions? options = null) => options is null
        ? ActivatorUtilities.CreateInstance<DeadlineWatch>(app.Services)
        : ActivatorUtilities.CreateInstance<DeadlineWatch>(app.Services, options);

    private static Task<DeadlineWatch.PassResult> PassAsync(DeadlineWatch watch) => watch.RunPassAsync(CancellationToken.None);

    /// <summary>A case registered now and assigned to 马家村, due at the end of <paramref name="dueDate"/> (local).</summary>
    private async Task<long> AssignedCaseAsync(string title, string? dueDate, string? urgency = null)
    {
        var id = await Town.RegisterIdAsync(CaseApi.NewCase(title: title));
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC", dueDate, urgency });
        return id;
    }

    private Task<List<CaseEvent>> EventsAsync(long id, CaseAction action) =>
        app.WithDbAsync(db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == id && e.Action == action).OrderBy(e => e.Sequence).ToListAsync());

    private Task<Case> CaseAsync(long id) => app.WithDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == id));

    private async Task<(int Reminders, int Notices)> CountAsync(long id) =>
        ((await EventsAsync(id, CaseAction.Remind)).Count, (await EventsAsync(id, CaseAction.Notify)).Count);

    /// <summary>A deadline request or decision by the clerk, through the domain, saved as the workbench saves.</summary>
    private async Task ChangeAsync(long id, Action<Case, DuePolicy, DateTime> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var c = await db.Cases.SingleAsync(x => x.Id == id);
        change(c, due, app.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
    }

    private static void AssertAutomatic(CaseEvent e, DateTime dueAt)
    {
        Assert.Equal((ActorKind.System, DeadlineWatch.Actor.Id), (e.ActorKind, e.ActorId));
        Assert.Contains("\"automatic\":true", e.Payload);
        Assert.Null(e.Reason);
        var payloadDue = DateTime.Parse(System.Text.Json.JsonDocument.Parse(e.Payload!).RootElement.GetProperty("dueAt").GetString()!,
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.Equal(dueAt, payloadDue);
    }

    [Fact]
    public async Task TheDayAfterTheDueDate_OneAutomaticReminder_AcrossPassesAndARestart()
    {
        At(Local(2026, 11, 30, 10));
        // Due at the end of Wednesday 2 December; and an urgent case due 24 hours after registration (Tuesday 10:00).
        var id = await AssignedCaseAsync("期限监控：路灯不亮", "2026-12-02");
        var urgent = await AssignedCaseAsync("期限监控：紧急漏水", null, urgency: "Urgent");
        var dueAt = (await CaseAsync(id)).DueAt;
        Assert.Equal(Local(2026, 12, 3, 0).UtcDateTime, dueAt);

        At(Local(2026, 12, 1, 11));
        await PassAsync(Watch);
        Assert.Equal((0, 0), await CountAsync(urgent)); // overdue since 10:00, but its due date is today
        At(Local(2026, 12, 2, 0, 30));
        await PassAsync(Watch);
        AssertAutomatic(Assert.Single(await EventsAsync(urgent, CaseAction.Remind)), (await CaseAsync(urgent)).DueAt);

        At(Local(2026, 12, 2, 23, 59));
        await PassAsync(Watch);
        Assert.Equal((0, 0), await CountAsync(id));

        At(Local(2026, 12, 3, 0, 1));
        var first = await PassAsync(Watch);
        Assert.True(first.Reminded >= 1, $"reminded {first.Reminded}");
        var reminder = Assert.Single(await EventsAsync(id, CaseAction.Remind));
        AssertAutomatic(reminder, dueAt);
        Assert.Equal(Local(2026, 12, 3, 0, 1).UtcDateTime, reminder.At);
        Assert.Single(await EventsAsync(urgent, CaseAction.Remind));
        var reminded = await CaseAsync(id);
        Assert.Equal((1, dueAt, (DateTime?)reminder.At), (reminded.ReminderCount, reminded.AutoRemindedDueAt!.Value, reminded.LastRemindedAt));

        // Again, later that day, and from a new instance (a restart): nothing more.
        At(Local(2026, 12, 3, 9));
        await PassAsync(Watch);
        await PassAsync(NewWatch());
        At(Local(2026, 12, 4, 9));
        await PassAsync(NewWatch());
        Assert.Equal((1, 0), await CountAsync(id));
        Assert.Equal((1, 0), await CountAsync(urgent));
        Assert.Equal(1, (await CaseAsync(id)).ReminderCount);
    }

    [Fact]
    public async Task AfterFiveWorkingDays_OneAutomaticNotice_CountingOverTheWeekend()
    {
        At(Local(2026, 11, 30, 10));
        var id = await AssignedCaseAsync("期限监控：通报", "2026-12-02");
        var dueAt = (await CaseAsync(id)).DueAt;
        At(Local(2026, 12, 3, 9)); // Thursday
        await PassAsync(Watch);
        Assert.Equal((1, 0), await CountAsync(id));

        // Five working days after Thursday: Fri 4, Mon 7, Tue 8, Wed 9, Thu 10 (the weekend does not count).
        foreach (var at in new[] { Local(2026, 12, 8, 9), Local(2026, 12, 9, 23), Local(2026, 12, 10, 23, 59) })
        {
            At(at);
            await PassAsync(Watch);
            Assert.Equal((1, 0), await CountAsync(id));
        }
        At(Local(2026, 12, 11, 0, 5));
        var pass = await PassAsync(Watch);
        Assert.True(pass.Noticed >= 1);
        var notice = Assert.Single(await EventsAsync(id, CaseAction.Notify));
        AssertAutomatic(notice, dueAt);
        var noticed = await CaseAsync(id);
        Assert.Equal((1, (DateTime?)dueAt), (noticed.NoticeCount, noticed.AutoNoticedDueAt));

        await PassAsync(Watch);
        At(Local(2026, 12, 21, 9));
        await PassAsync(NewWatch());
        await PassAsync(Watch);
        Assert.Equal((1, 1), await CountAsync(id));
    }

    [Fact]
    public async Task TheNoticeCountsWorkingDays_OfThe2026HolidayCalendar()
    {
        // Due at the end of Monday 28 September 2026, reminded on Tuesday the 29th.
        At(Local(2026, 9, 21, 10));
        var id = await AssignedCaseAsync("期限监控：国庆节前", "2026-09-28");
        At(Local(2026, 9, 29, 9));
        await PassAsync(Watch);
        Assert.Equal((1, 0), await CountAsync(id));

        // Working days after the 29th: Wed 30 September, (1–7 October off: 国庆节), Thu 8, Fri 9, Sat 10 (调休上班), Mon 12.
        // Counting weekends only, the fifth would have been Tuesday 6 October.
        foreach (var at in new[] { Local(2026, 10, 7, 9), Local(2026, 10, 9, 9), Local(2026, 10, 12, 23, 30) })
        {
            At(at);
            await PassAsync(Watch);
            Assert.Equal((1, 0), await CountAsync(id));
        }
        At(Local(2026, 10, 13, 0, 30));
        await PassAsync(Watch);
        Assert.Equal((1, 1), await CountAsync(id));
    }

    [Fact]
    public async Task ASuspendedCase_GetsNeitherReminderNorNotice_AndAfterResumingItsMovedDueDateIsWatched()
    {
        At(Local(2026, 11, 30, 10));
        var id = await AssignedCaseAsync("期限监控：挂起", "2026-12-02");
        At(Local(2026, 12, 1, 10));
        await ChangeAsync(id, (c, _, now) => c.RequestSuspension("等待法院判决", Unit, now));
        await ChangeAsync(id, (c, _, now) => c.DecideSuspension(true, null, false, Clerk, now));

        foreach (var at in new[] { Local(2026, 12, 3, 9), Local(2026, 12, 10, 9), Local(2026, 12, 20, 9) })
        {
            At(at);
            await PassAsync(Watch);
        }
        Assert.Equal((0, 0), await CountAsync(id));
        Assert.Equal(CaseStatus.Assigned, (await CaseAsync(id)).Status); // a watched status: the suspension alone kept it out

        // Resumed on the 20th, 19 days later: due at the end of 21 December now.
        At(Local(2026, 12, 20, 10));
        await ChangeAsync(id, (c, _, now) => c.Resume(null, Clerk, now));
        var dueAt = (await CaseAsync(id)).DueAt;
        Assert.Equal(Local(2026, 12, 22, 0).UtcDateTime, dueAt);
        At(Local(2026, 12, 21, 23));
        await PassAsync(Watch);
        Assert.Equal((0, 0), await CountAsync(id));
        At(Local(2026, 12, 22, 8));
        await PassAsync(Watch);
        AssertAutomatic(Assert.Single(await EventsAsync(id, CaseAction.Remind)), dueAt);
    }

    [Fact]
    public async Task AnExtensionApprovedInTime_GivesTheNewDueDateItsOwnReminder_AndNothingForTheOldOne()
    {
        At(Local(2026, 11, 30, 10));
        var id = await AssignedCaseAsync("期限监控：延期", "2026-12-02");
        At(Local(2026, 12, 1, 10));
        await ChangeAsync(id, (c, due, now) => c.RequestExtension(new DateOnly(2026, 12, 16), "需要协调县交通局", due, Unit, now));
        // Approved on the last day (an approval after the due date is refused: DeadlineBypassTests).
        At(Local(2026, 12, 2, 15));
        await ChangeAsync(id, (c, _, now) => c.DecideExtension(true, null, false, Clerk, now));
        var newDue = (await CaseAsync(id)).DueAt;
        Assert.Equal(Local(2026, 12, 17, 0).UtcDateTime, newDue);

        // The old due date passes by without a reminder: it is no longer the case's.
        foreach (var at in new[] { Local(2026, 12, 3, 9), Local(2026, 12, 11, 9), Local(2026, 12, 16, 23, 59) })
        {
            At(at);
            await PassAsync(Watch);
            Assert.Equal((0, 0), await CountAsync(id));
        }
        At(Local(2026, 12, 17, 0, 1));
        await PassAsync(NewWatch());
        AssertAutomatic(Assert.Single(await EventsAsync(id, CaseAction.Remind)), newDue);
        await PassAsync(Watch);
        Assert.Equal((1, 0), await CountAsync(id));

        // Its notice follows five working days after the reminder (Fri 18 … Thu 24), on Friday 25 December.
        At(Local(2026, 12, 24, 23));
        await PassAsync(Watch);
        Assert.Equal((1, 0), await CountAsync(id));
        At(Local(2026, 12, 25, 1));
        await PassAsync(Watch);
        AssertAutomatic(Assert.Single(await EventsAsync(id, CaseAction.Notify)), newDue);
    }

    [Fact]
    public async Task AnExtensionNotDecidedInTime_LeavesTheOldDueDatesReminderAndNotice()
    {
        At(Local(2026, 11, 30, 10));
        var id = await AssignedCaseAsync("期限监控：延期未及时审批", "2026-12-02");
        var due = (await CaseAsync(id)).DueAt;
        At(Local(2026, 12, 1, 10));
        await ChangeAsync(id, (c, policy, now) => c.RequestExtension(new DateOnly(2026, 12, 16), "需要协调县交通局", policy, Unit, now));

        // Still waiting when the due date passes: reminded for it, and the approval is too late.
        At(Local(2026, 12, 3, 9));
        await PassAsync(Watch);
        AssertAutomatic(Assert.Single(await EventsAsync(id, CaseAction.Remind)), due);
        At(Local(2026, 12, 3, 15));
        await Assert.ThrowsAsync<Taizhang.Domain.DomainRuleException>(() => ChangeAsync(id, (c, _, now) => c.DecideExtension(true, null, false, Clerk, now)));
        Assert.Equal(due, (await CaseAsync(id)).DueAt);

        // The notice follows five working days after the reminder (Fri 4 … Thu 10), on Friday 11 December.
        At(Local(2026, 12, 10, 23));
        await PassAsync(Watch);
        Assert.Equal((1, 0), await CountAsync(id));
        At(Local(2026, 12, 11, 1));
        await PassAsync(Watch);
        AssertAutomatic(Assert.Single(await EventsAsync(id, CaseAction.Notify)), due);
    }

    [Fact]
    public async Task AResolvedCase_AndOneNotYetAssigned_GetNone()
    {
        At(Local(2026, 11, 30, 10));
        var resolved = await AssignedCaseAsync("期限监控：已办结", "2026-12-02");
        await Town.DoAsync(resolved, "resolve", new { outcome = "Solved", result = "已修复路灯" });
        // Registered only: the town office's own queue, with no responsible unit to remind.
        var untriaged = await Town.RegisterIdAsync(CaseApi.NewCase(title: "期限监控：未分流"));
        Assert.Equal(CaseStatus.Registered, (await CaseAsync(untriaged)).Status);

        foreach (var at in new[] { Local(2026, 12, 3, 9), Local(2026, 12, 31, 9) })
        {
            At(at);
            await PassAsync(Watch);
        }
        Assert.Equal((0, 0), await CountAsync(resolved));
        Assert.Equal((0, 0), await CountAsync(untriaged));
    }

    [Fact]
    public async Task TwoPassesRacing_RecordOneReminderAndOneNoticePerCase()
    {
        At(Local(2026, 11, 30, 10));
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await AssignedCaseAsync($"期限监控：并发{i}", "2026-12-02"));
        }
        // Small batches, so that the two passes interleave batch by batch.
        var small = new DeadlineWatchOptions(BatchSize: 5);
        var events = () => app.WithDbAsync(db => db.CaseEvents.CountAsync(e => e.ActorId == DeadlineWatch.Actor.Id));

        At(Local(2026, 12, 3, 9));
        var before = await events();
        var (a, b) = (NewWatch(small), NewWatch(small));
        a.BeforeSave = b.BeforeSave = Rendezvous();
        var passes = await Task.WhenAll(PassAsync(a), PassAsync(b));
        foreach (var id in ids)
        {
            Assert.Equal((1, 0), await CountAsync(id));
            Assert.Equal(1, (await CaseAsync(id)).ReminderCount);
        }
        // What the passes say they recorded is what was recorded; the one that saved its first batch second found it done.
        Assert.Equal(await events() - before, passes.Sum(p => p.Reminded));
        Assert.True(passes.Sum(p => p.Skipped) >= 1, string.Join(" | ", passes.Select(p => p.ToString())));

        At(Local(2026, 12, 11, 9));
        before = await events();
        (a, b) = (NewWatch(small), NewWatch(small));
        a.BeforeSave = b.BeforeSave = Rendezvous();
        passes = await Task.WhenAll(PassAsync(a), PassAsync(b));
        foreach (var id in ids)
        {
            Assert.Equal((1, 1), await CountAsync(id));
            Assert.Equal(1, (await CaseAsync(id)).NoticeCount);
        }
        Assert.Equal(await events() - before, passes.Sum(p => p.Reminded + p.Noticed));
        Assert.True(passes.Sum(p => p.Skipped) >= 1, string.Join(" | ", passes.Select(p => p.ToString())));
    }

    /// <summary>Holds the first save of each of two passes until both have loaded and changed their first batch: they then write the same cases.</summary>
    private static Func<CancellationToken, Task> Rendezvous()
    {
        var arrived = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return async ct =>
        {
            var n = Interlocked.Increment(ref arrived);
            if (n == 2)
            {
                both.TrySetResult();
            }
            if (n <= 2)
            {
                await both.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
        };
    }
}

public sealed class DeadlineWatchTests_Sqlite(SqliteApp app) : DeadlineWatchTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineWatchTests_Postgres(PostgresApp app) : DeadlineWatchTests(app), IClassFixture<PostgresApp>;

/// <summary>The watch's settings, read from the Deadlines section; a bad value stops the start with its name.</summary>
public sealed class DeadlineWatchOptionsTests
{
    private static DeadlineWatchOptions From(params (string Key, string Value)[] values) => DeadlineWatchOptions.From(
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Deadlines:" + v.Key, v.Value))).Build());

    [Fact]
    public void Defaults_AndConfiguredValues()
    {
        Assert.Equal(new DeadlineWatchOptions(true, 5, 5, 200), From());
        Assert.Equal(new DeadlineWatchOptions(false, 1.5, 3, 50),
            From(("WatchEnabled", "false"), ("WatchIntervalMinutes", "1.5"), ("NoticeAfterWorkingDays", "3"), ("WatchBatchSize", "50")));
    }

    [Theory]
    [InlineData("WatchIntervalMinutes", "0")]
    [InlineData("NoticeAfterWorkingDays", "-1")]
    [InlineData("WatchBatchSize", "0")]
    public void ABadValue_IsRefusedByName(string key, string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => From((key, value)));
        Assert.Contains(key, e.Message);
    }
}
