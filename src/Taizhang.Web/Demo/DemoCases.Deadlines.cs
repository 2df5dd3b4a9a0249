// The deadline practice in the demo year (issue 16): the handler's first call to the resident, 延期
// asked for and decided, 挂起 for matters that wait on funds or the season, the watch's automatic
// 催办 the day after a missed due date and the 通报 after five more working days, and a leader's 督办
// of some late cases. Drawn from a random stream of its own, so the rest of the year stays as it was.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    private Random _deadlineRng = new(0);

    /// <summary>The response window the demo's contacts are measured against (Deadlines:ResponseHours' default).</summary>
    private static readonly TimeSpan ResponseWindow = TimeSpan.FromHours(24);

    private static readonly Actor Watch = new(ActorKind.System, "system:deadline-watch", "期限监控");

    private bool DeadlineChance(double p) => _deadlineRng.NextDouble() < p;

    private double DeadlineU(double lo, double hi) => lo + ((hi - lo) * _deadlineRng.NextDouble());

    /// <summary>
    /// 联系群众: the office (or the handler) calls the resident back, mostly within the day. Inserted
    /// among the case's steps at its time, so the timeline stays in time order.
    /// </summary>
    private void PlanContact(Plan p)
    {
        var roll = _deadlineRng.NextDouble();
        if (roll >= 0.97)
        {
            return;
        }
        var at = p.RegisteredAt.AddHours(roll < 0.88 ? DeadlineU(0.5, 20) : DeadlineU(26, 60));
        if (at >= _end)
        {
            return;
        }
        var by = DemoCatalogue.IntakeStaff[0];
        var note = DeadlineChance(0.5) ? "已电话联系反映人，说明办理安排" : "已上门了解情况";
        var index = p.Steps.FindIndex(s => s.At > at);
        var step = new Step(at, (c, t) =>
        {
            if (Lifecycle.IsOpen(c.Status))
            {
                c.Contact(note, ResponseWindow, by, t);
            }
        });
        if (index < 0)
        {
            p.Steps.Add(step);
        }
        else
        {
            p.Steps.Insert(index, step);
        }
    }

    /// <summary>
    /// What happens to the due date between the start (<paramref name="from"/>) and the result
    /// (<paramref name="until"/>, or the end of the year for a case still open): an extension asked
    /// for and decided, a suspension and its end, the automatic reminder and notice of a missed due
    /// date, a leader's supervision. Added in time order, each guarded by the case's state then.
    /// </summary>
    private void PlanDeadlineWork(Plan p, DateTime from, DateTime dueAt, DateTime? until, OrgUnit unit)
    {
        var end = until ?? _end;
        if (end <= from)
        {
            return;
        }
        var steps = new List<(DateTime At, Action<Case, DateTime> Apply)>();
        var handler = Handler(unit);
        var staff = DemoCatalogue.IntakeStaff[0];
        var effectiveDue = dueAt;

        // 延期: asked for before the due date by units that see they will miss it.
        var lateResult = until is { } r && r > dueAt;
        if (dueAt - from > TimeSpan.FromDays(1) && (lateResult ? DeadlineChance(0.45) : DeadlineChance(0.03)))
        {
            var ask = from + ((dueAt - from) * DeadlineU(0.3, 0.8));
            var decide = ask.AddHours(DeadlineU(1, 20));
            var days = _deadlineRng.Next(3, 11);
            var approve = DeadlineChance(0.8);
            var reason = DemoTexts.ExtensionReasons[_deadlineRng.Next(DemoTexts.ExtensionReasons.Length)];
            if (decide < end && decide < dueAt)
            {
                steps.Add((ask, (c, t) =>
                {
                    if (c.AvailableActions.Contains(CaseAction.RequestExtension) && t < c.DueAt && !c.IsSuspended
                        && c.ExtensionRequestedDueAt is null && c.SuspensionRequestedAt is null)
                    {
                        c.RequestExtension(_due.LocalDate(c.DueAt).AddDays(days), reason, _due, handler, t);
                    }
                }));
                steps.Add((decide, (c, t) =>
                {
                    if (c.ExtensionRequestedDueAt is not null && c.AvailableActions.Contains(CaseAction.DecideExtension))
                    {
                        c.DecideExtension(approve, approve ? null : "理由不充分，请按期办结", false, staff, t);
                    }
                }));
                if (approve)
                {
                    effectiveDue = _due.EndOfLocalDay(_due.LocalDate(dueAt).AddDays(days));
                }
            }
        }

        // 挂起: a few matters wait on funds, a court or the season; most resume before the result.
        if (steps.Count == 0 && end - from > TimeSpan.FromDays(4) && DeadlineChance(until is null ? 0.25 : 0.02))
        {
            var ask = from + ((end - from) * DeadlineU(0.1, 0.3));
            var decide = ask.AddHours(DeadlineU(2, 24));
            var reason = DemoTexts.SuspensionReasons[_deadlineRng.Next(DemoTexts.SuspensionReasons.Length)];
            if (decide < end && decide < effectiveDue)
            {
                steps.Add((ask, (c, t) =>
                {
                    if (c.AvailableActions.Contains(CaseAction.RequestSuspension) && !c.IsSuspended && t < c.DueAt
                        && c.ExtensionRequestedDueAt is null && c.SuspensionRequestedAt is null)
                    {
                        c.RequestSuspension(reason, handler, t);
                    }
                }));
                steps.Add((decide, (c, t) =>
                {
                    if (c.SuspensionRequestedAt is not null && c.AvailableActions.Contains(CaseAction.DecideSuspension))
                    {
                        c.DecideSuspension(true, null, false, staff, t);
                    }
                }));
                if (until is { } resolved)
                {
                    var resume = decide + ((resolved - decide) * DeadlineU(0.5, 0.9));
                    steps.Add((resume, (c, t) =>
                    {
                        if (c.IsSuspended && c.AvailableActions.Contains(CaseAction.Resume))
                        {
                            c.Resume("挂起原因已消除，恢复办理", staff, t);
                        }
                    }));
                    effectiveDue += resume - decide;
                }
                else
                {
                    // Suspended to the end of the year: no reminder, no notice.
                    effectiveDue = DateTime.MaxValue;
                }
            }
        }

        // 催办 the day after a missed due date, 通报 five working days after that (what the watch does).
        if (effectiveDue != DateTime.MaxValue)
        {
            var remindAt = _due.EndOfLocalDay(_due.LocalDate(effectiveDue).AddDays(1)).AddHours(-15);
            if (remindAt < end && remindAt > from)
            {
                steps.Add((remindAt, (c, t) =>
                {
                    if (c.AvailableActions.Contains(CaseAction.Remind) && !c.IsSuspended && c.DueAt <= t && c.AutoRemindedDueAt != c.DueAt)
                    {
                        c.Remind(null, automatic: true, Watch, t);
                    }
                }));
                var noticeDay = _due.LocalDate(remindAt);
                for (var i = 0; i < 5; i++)
                {
                    do
                    {
                        noticeDay = noticeDay.AddDays(1);
                    }
                    while (!_due.Calendar.IsWorkingDay(noticeDay));
                }
                var noticeAt = _due.EndOfLocalDay(noticeDay).AddHours(-15);
                if (noticeAt < end)
                {
                    steps.Add((noticeAt, (c, t) =>
                    {
                        if (c.AvailableActions.Contains(CaseAction.Notify) && !c.IsSuspended && c.AutoRemindedDueAt == c.DueAt
                            && c.AutoNoticedDueAt != c.DueAt)
                        {
                            c.Notify(null, automatic: true, Watch, t);
                        }
                    }));
                }
                // 督办: a leader takes up some of the cases that are long overdue.
                var superviseAt = remindAt.AddDays(DeadlineU(1, 4));
                if (superviseAt < end && DeadlineChance(until is null ? 0.6 : 0.25))
                {
                    var level = DeadlineChance(0.3) ? SupervisionLevel.Red : DeadlineChance(0.6) ? SupervisionLevel.Yellow : SupervisionLevel.Ordinary;
                    var note = level switch
                    {
                        SupervisionLevel.Red => "逾期未办结，红牌督办，限期办结并书面说明原因",
                        SupervisionLevel.Yellow => "黄牌督办，请承办单位主要负责人过问，限期办结",
                        _ => "请加快办理进度，按期反馈",
                    };
                    var days = level == SupervisionLevel.Red ? 3 : 5;
                    steps.Add((superviseAt, (c, t) =>
                    {
                        if (c.AvailableActions.Contains(CaseAction.Supervise))
                        {
                            c.Supervise(level, _due.LocalDate(t).AddDays(days), note, _due, TownLeader, t);
                        }
                    }));
                }
            }
        }

        foreach (var (at, apply) in steps.OrderBy(s => s.At))
        {
            p.Add(at, apply);
        }
    }

    /// <summary>At the return visit, whether the resident says the matter is solved (the 12345 scheme's resolution).</summary>
    private bool ResidentSaysSolved(Satisfaction satisfaction) => satisfaction switch
    {
        Satisfaction.Satisfied => DeadlineChance(0.95),
        Satisfaction.BasicallySatisfied => DeadlineChance(0.7),
        Satisfaction.Unsatisfied => DeadlineChance(0.05),
    };
}
