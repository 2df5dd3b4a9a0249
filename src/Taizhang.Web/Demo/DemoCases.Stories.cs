// The story of an accepted case after registration: 小事项即办 (triage, assign, return, transfer, start,
// resolve, follow-up, reopen) or 难事要事 (ledger, deliberation, handling plan, the work), each cut off
// where its fate says the case stands at the end of the year.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>小事项即办: triage, assign, (return, transfer,) start, resolve, follow-up; and the office's call to the resident.</summary>
    private void PlanDirect(Plan p)
    {
        PlanDirectSteps(p);
        if (p.Fate != Fate.Registered)
        {
            PlanContact(p);
        }
    }

    private void PlanDirectSteps(Plan p)
    {
        if (p.Fate == Fate.Registered)
        {
            return;
        }
        var urgent = p.Urgency == Urgency.Urgent;
        var category = _categories[p.CategoryCode];
        var isDispute = category.IsDispute;
        var dueAt = _due.DueAt(p.Urgency, p.RegisteredAt);
        var staff = Staff;

        // 分清轻重缓急.
        var t = urgent ? p.RegisteredAt.AddMinutes(_rng.Next(10, 60)) : Office(p.RegisteredAt.AddMinutes(_rng.Next(20, 300)));
        var returned = p.Fate == Fate.Returned || (p.Fate is Fate.Closed or Fate.Resolved && Chance(0.03));
        var unit = returned ? p.Village : PickHandler(p);
        var assignAtTriage = p.Fate != Fate.Triaged && Chance(0.7);
        {
            var assignee = assignAtTriage ? unit.Id : (long?)null;
            p.Add(t, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, assignee, _due, staff, at));
        }
        if (p.Fate == Fate.Triaged)
        {
            return;
        }
        if (!assignAtTriage)
        {
            t = Later(t, 0.3, 4, urgent);
            var assignee = unit;
            p.Add(t, (c, at) => c.Assign(assignee.Id, staff, at));
        }
        if (p.Fate == Fate.Assigned)
        {
            return;
        }

        // 退回: the village finds the matter is not theirs.
        if (returned)
        {
            var from = unit;
            if (Chance(0.5))
            {
                t = Later(t, 1, 8, urgent);
                p.Add(t, (c, at) => c.Start(Handler(from), at));
            }
            t = Later(t, 4, 40, urgent);
            var reason = Pick(DemoTexts.ReturnReasons);
            p.Add(t, (c, at) => c.Return(reason, Handler(from), at));
            if (p.Fate == Fate.Returned)
            {
                return;
            }
            t = Later(t, 1, 6, urgent);
            unit = PickHandler(p, exclude: from);
            var to = unit;
            p.Add(t, (c, at) => c.Triage(Track.Direct, p.Urgency, category.Id, to.Id, _due, staff, at));
        }

        t = Later(t, urgent ? 0.2 : 0.5, urgent ? 1.5 : 20, urgent);
        {
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }

        // 转办: disputes the village could not settle go to the judicial office; a few others to a specialist unit.
        var targets = DemoCatalogue.TransferTargets(p.CategoryCode).Select(code => _units[code]).Where(u => u.Id != unit.Id).ToList();
        var transfer = targets.Count > 0 && (isDispute ? unit.Kind != OrgUnitKind.Partner && Chance(0.7) : Chance(0.035));
        if (transfer)
        {
            var target = Pick(targets);
            var from = unit;
            var reason = DemoTexts.TransferReason(target.Code);
            t = Later(t, urgent ? 1 : 4, urgent ? 4 : 48, urgent);
            p.Add(t, (c, at) => c.Transfer(target.Id, reason, Handler(from), at));
            unit = target;
            t = Later(t, urgent ? 0.2 : 1, urgent ? 1 : 12, urgent);
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        if (p.Fate == Fate.InProgress)
        {
            PlanDeadlineWork(p, t.AddHours(1), dueAt, null, unit);
            return;
        }

        // 办结.
        var firstUnsatisfied = p.Fate is Fate.Reopened or Fate.ClosedAfterReopen;
        var outcome = firstUnsatisfied ? (Chance(0.5) ? Outcome.PartlySolved : Outcome.Explained) : PickOutcome(isDispute);
        var startedAt = t;
        t = ResolveTime(t, dueAt, urgent, onTime: isDispute ? 0.95 : 0.93);
        PlanDeadlineWork(p, startedAt.AddHours(1), dueAt, t.AddMinutes(-30), unit);
        AddResolve(p, t, unit, outcome, null);
        p.FirstResolvedAt = t;
        if (p.Fate == Fate.Resolved)
        {
            return;
        }

        // 回访.
        t = FollowUpTime(t);
        if (!firstUnsatisfied)
        {
            AddFollowUp(p, t, PickSatisfaction(outcome));
            return;
        }
        AddFollowUp(p, t, Satisfaction.Unsatisfied);
        if (p.Fate == Fate.Reopened)
        {
            return;
        }

        // Reopened: handled again, this time to the resident's satisfaction.
        var newDue = _due.DueAt(p.Urgency, t);
        t = Later(t, 1, 8, urgent);
        {
            var again = unit;
            p.Add(t, (c, at) => c.Assign(again.Id, staff, at));
            t = Later(t, 0.5, 12, urgent);
            var by = Handler(again);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        t = ResolveTime(t, newDue, urgent, onTime: 0.9);
        AddResolve(p, t, unit, Outcome.Solved, "针对回访意见重新办理:");
        t = FollowUpTime(t);
        AddFollowUp(p, t, Chance(0.6) ? Satisfaction.BasicallySatisfied : Satisfaction.Satisfied);
    }

    /// <summary>难事要事: topic ledger, deliberation (at a meeting or in the village), handling plan, then the work.</summary>
    private void PlanTopic(Plan p)
    {
        var category = _categories[p.CategoryCode];
        var staff = Staff;
        var t = Office(p.RegisteredAt.AddHours(U(1, 30)));
        p.Add(t, (c, at) => c.Triage(Track.Topic, p.Urgency, category.Id, null, _due, staff, at));
        if (p.Fate == Fate.Ledgered)
        {
            return;
        }

        // 协商议事: the next town deliberation or concentrated-handling meeting, or the village's own forum;
        // else the village council. A topic raised at a meeting keeps that meeting as its reference.
        var meeting = p.FromMeeting is not null ? null : _meetings.FirstOrDefault(m => m.HeldAt > t.AddDays(1) && m.HeldAt <= t.AddDays(14)
            && (m.Kind != MeetingKind.Forum || m.OrgUnitId == p.Village.Id));
        if (meeting is not null && Chance(0.7))
        {
            t = meeting.HeldAt.AddMinutes(_rng.Next(20, 150));
            p.Add(t, (c, at) => c.Deliberate(meeting.Id, DemoCatalogue.Council, at));
            PlanAgendaItem(p, meeting, t);
        }
        else
        {
            t = Office(t.AddDays(U(1, 5)));
            var cadre = Handler(p.Village);
            p.Add(t, (c, at) => c.Deliberate(null, cadre, at));
        }
        if (p.Fate == Fate.Deliberating)
        {
            return;
        }

        // 办理计划, reported to the town.
        var unit = PickWeighted([(p.Village, 6), (_town, 3), (PickHandler(p), 2)]);
        t = Office(t.AddDays(U(1, 3)));
        HandlingDraft draft;
        {
            var plan = Render(p.Template!.Plan!, p);
            var by = Handler(p.Village);
            draft = PlanWithSteps(p, unit, plan, by, t);
        }
        if (p.Fate == Fate.Planned)
        {
            OpenPlanSteps(p, unit, draft);
            return;
        }
        t = Office(t.AddDays(U(0.5, 2)));
        if (Chance(0.4))
        {
            p.Add(t, (c, at) => c.Assign(unit.Id, staff, at));
            t = Office(t.AddHours(U(2, 30)));
        }
        {
            var by = Handler(unit);
            p.Add(t, (c, at) => c.Start(by, at));
        }
        var started = t;
        // The work itself takes days; hard matters often run past the due date.
        var dueAt = _due.DueAt(p.Urgency, p.RegisteredAt);
        t = dueAt - t > TimeSpan.FromDays(3) && Chance(0.65)
            ? Office(t + TimeSpan.FromDays(U(2, (dueAt - t).TotalDays - 0.5)))
            : Office((dueAt > t ? dueAt : t).AddDays(U(2, 15)));
        var outcome = PickWeighted([(Outcome.Solved, 75), (Outcome.PartlySolved, 18), (Outcome.Explained, 7)]);
        DonePlanSteps(p, unit, draft, started, t);
        AddResolve(p, t, unit, outcome, null);
        p.FirstResolvedAt = t;
        if (outcome != Outcome.Explained)
        {
            PlanMeasures(p, t, Handler(unit).Name);
        }
        t = FollowUpTime(t);
        AddFollowUp(p, t, PickSatisfaction(outcome));
    }

    private void AddResolve(Plan p, DateTime t, OrgUnit unit, Outcome outcome, string? lead)
    {
        var template = p.Template!;
        var text = outcome switch
        {
            Outcome.Solved => template.Solved,
            Outcome.PartlySolved => template.Partly ?? template.Solved,
            Outcome.Explained => template.Explained ?? template.Partly ?? template.Solved,
        };
        if (outcome != Outcome.Solved && text == template.Solved)
        {
            outcome = Outcome.Solved;
        }
        var result = (lead ?? string.Empty) + Render(text, p);
        var by = Handler(unit);
        p.Add(t, (c, at) => c.Resolve(outcome, result, by, at));
    }

    private void AddFollowUp(Plan p, DateTime t, Satisfaction satisfaction)
    {
        var note = satisfaction switch
        {
            Satisfaction.Satisfied => Pick(DemoTexts.SatisfiedNotes),
            Satisfaction.BasicallySatisfied => Pick(DemoTexts.BasicallySatisfiedNotes),
            Satisfaction.Unsatisfied => Pick(DemoTexts.UnsatisfiedNotes),
        };
        var solved = ResidentSaysSolved(satisfaction);
        p.Add(t, (c, at) => c.FollowUp(satisfaction, note, _due, DemoCatalogue.Visitor, at, resolvedByResident: solved));
    }

    private Outcome PickOutcome(bool dispute) => dispute
        ? PickWeighted([(Outcome.Solved, 90), (Outcome.PartlySolved, 6), (Outcome.Explained, 4)])
        : PickWeighted([(Outcome.Solved, 80), (Outcome.PartlySolved, 10), (Outcome.Explained, 10)]);

    private Satisfaction PickSatisfaction(Outcome outcome) => outcome switch
    {
        Outcome.Solved => Chance(0.82) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
        Outcome.PartlySolved => Chance(0.3) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
        Outcome.Explained => Chance(0.25) ? Satisfaction.Satisfied : Satisfaction.BasicallySatisfied,
    };

    private OrgUnit PickHandler(Plan p, OrgUnit? exclude = null)
    {
        OrgUnit unit;
        if (p.Template?.Unit is { } preferred && Chance(0.6))
        {
            unit = _units[preferred];
        }
        else
        {
            var code = PickWeighted(DemoCatalogue.Handlers(p.CategoryCode));
            unit = code switch
            {
                "V" => p.Village,
                _ => _units[code],
            };
        }
        if (exclude is not null && unit.Id == exclude.Id)
        {
            unit = exclude.Id == _town.Id ? p.Village : _town;
        }
        return unit;
    }
}
