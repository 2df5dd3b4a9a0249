using System.Text.Json;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

public sealed class CaseTests
{
    private readonly CaseBuilder _b = new();

    // ---------- registration ----------

    [Fact]
    public void Register_records_the_first_event_and_computes_the_due_date()
    {
        var at = CaseBuilder.Start;
        var c = _b.Register(reporter: new ReporterInfo("张三", "13800000001"), at: at);

        Assert.Equal(CaseStatus.Registered, c.Status);
        Assert.Equal(TestData.Town, c.TownId);
        Assert.Equal("路灯不亮", c.Title);
        Assert.Equal(at, c.RegisteredAt);
        Assert.Equal(at, c.UpdatedAt);
        Assert.Null(c.Track);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt); // 7 working days over National Day
        var r = Assert.Single(c.Reporters);
        Assert.Equal(("张三", "13800000001"), (r.Name, r.Phone));
        Assert.Null(r.FromCaseId);

        var e = Assert.Single(c.Events);
        Assert.Equal(1, e.Sequence);
        Assert.Equal(CaseAction.Register, e.Action);
        Assert.Null(e.FromStatus);
        Assert.Equal(CaseStatus.Registered, e.ToStatus);
        Assert.Equal(at, e.At);
        Assert.Equal(TestData.Clerk.Id, e.ActorId);
        Assert.Equal(TestData.Town, e.TownId);
        Assert.Same(c, e.Case);
        Assert.NotNull(e.Payload);
        using var payload = JsonDocument.Parse(e.Payload);
        Assert.Equal("Hotline", payload.RootElement.GetProperty("channel").GetString());
        Assert.Equal("Normal", payload.RootElement.GetProperty("urgency").GetString());
    }

    [Fact]
    public void Register_trims_title_and_description()
    {
        var c = Case.Register(TestData.Town, TestData.Village, Channel.WeChat, "  标题  ", "\t描述 ", Urgency.Low, null, null,
            null, null, null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start);
        Assert.Equal("标题", c.Title);
        Assert.Equal("描述", c.Description);
        Assert.Empty(c.Reporters);
    }

    [Theory]
    [InlineData("", "description", "title")]
    [InlineData("   ", "description", "title")]
    [InlineData("title", "", "description")]
    [InlineData("title", " \n ", "description")]
    public void Register_requires_title_and_description(string title, string description, string field)
    {
        var ex = Assert.Throws<DomainRuleException>(() => Case.Register(TestData.Town, TestData.Village, Channel.Web, title,
            description, Urgency.Normal, null, null, null, null, null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Register_refuses_a_too_long_title()
    {
        var ex = Assert.Throws<DomainRuleException>(() => Case.Register(TestData.Town, TestData.Village, Channel.Web,
            new string('题', Case.TitleMaxLength + 1), "d", Urgency.Normal, null, null, null, null, null, null, "TZ-1",
            TestData.Due, TestData.Clerk, CaseBuilder.Start));
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("title", ex.Field);
        Assert.Equal("200", ex.Args["max"]);
    }

    [Fact]
    public void Register_accepts_a_title_of_exactly_the_maximum_length()
    {
        var title = new string('题', Case.TitleMaxLength);
        var c = Case.Register(TestData.Town, TestData.Village, Channel.Web, title, "d", Urgency.Normal, null, null, null, null,
            null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start);
        Assert.Equal(title, c.Title);
    }

    [Fact]
    public void Register_refuses_a_non_UTC_instant()
    {
        var local = new DateTime(2026, 9, 30, 10, 0, 0, DateTimeKind.Local);
        Assert.Throws<ArgumentException>(() => _b.Register(at: local));
    }

    // ---------- events ----------

    [Fact]
    public void A_full_direct_lifecycle_appends_one_event_per_transition_with_increasing_sequence()
    {
        var c = _b.Register();
        var t1 = _b.Tick();
        c.Triage(Track.Direct, Urgency.Normal, 3, null, TestData.Due, TestData.Clerk, t1);
        var t2 = _b.Tick();
        c.Assign(TestData.UnitA, TestData.Clerk, t2);
        var t3 = _b.Tick();
        c.Start(TestData.Clerk, t3);
        var t4 = _b.Tick();
        c.Resolve(Outcome.PartlySolved, "  更换了一半的灯具  ", TestData.Clerk, t4);
        var t5 = _b.Tick();
        c.FollowUp(Satisfaction.BasicallySatisfied, "基本满意", TestData.Due, TestData.Clerk, t5);

        Assert.Equal(
            [
                (1, CaseAction.Register, (CaseStatus?)null, CaseStatus.Registered),
                (2, CaseAction.Triage, CaseStatus.Registered, CaseStatus.Triaged),
                (3, CaseAction.Assign, CaseStatus.Triaged, CaseStatus.Assigned),
                (4, CaseAction.Start, CaseStatus.Assigned, CaseStatus.InProgress),
                (5, CaseAction.Resolve, CaseStatus.InProgress, CaseStatus.Resolved),
                (6, CaseAction.FollowUp, CaseStatus.Resolved, CaseStatus.FollowedUp),
            ],
            c.Events.Select(e => (e.Sequence, e.Action, e.FromStatus, e.ToStatus)).ToArray());
        Assert.Equal([CaseBuilder.Start, t1, t2, t3, t4, t5], c.Events.Select(e => e.At).ToArray());
        Assert.All(c.Events, e => Assert.Equal(DateTimeKind.Utc, e.At.Kind));
        Assert.All(c.Events, e => Assert.Equal(TestData.Clerk.Name, e.ActorName));
        Assert.Equal(6, c.EventCount);

        Assert.Equal(3, c.CategoryId);
        Assert.Equal(Outcome.PartlySolved, c.Outcome);
        Assert.Equal("更换了一半的灯具", c.Result);
        Assert.Equal(t4, c.ResolvedAt);
        Assert.Equal(t5, c.ClosedAt);
        Assert.Equal(Satisfaction.BasicallySatisfied, c.Satisfaction);
        Assert.Equal("基本满意", c.Events[^1].Reason);
    }

    [Fact]
    public void Triage_with_an_assignee_appends_Triage_then_Assign()
    {
        var c = _b.Register();
        var at = _b.Tick();
        c.Triage(Track.Direct, Urgency.Normal, null, TestData.UnitA, TestData.Due, TestData.Clerk, at);

        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(Track.Direct, c.Track);
        Assert.Equal(TestData.UnitA, c.AssigneeUnitId);
        Assert.Equal(3, c.Events.Count);
        var triage = c.Events[1];
        var assign = c.Events[2];
        Assert.Equal((2, CaseAction.Triage, CaseStatus.Registered, CaseStatus.Triaged),
            (triage.Sequence, triage.Action, (CaseStatus)triage.FromStatus!, triage.ToStatus));
        Assert.Equal((3, CaseAction.Assign, CaseStatus.Triaged, CaseStatus.Assigned),
            (assign.Sequence, assign.Action, (CaseStatus)assign.FromStatus!, assign.ToStatus));
        Assert.Equal(at, triage.At);
        Assert.Equal(at, assign.At);
        Assert.Contains("\"assigneeUnitId\":101", assign.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Topic_track_goes_through_deliberation_and_plan()
    {
        var c = _b.Register();
        c.Triage(Track.Topic, Urgency.Low, null, null, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Ledgered, c.Status);
        Assert.Equal(Track.Topic, c.Track);

        c.Deliberate(42, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Deliberating, c.Status);
        // The case keeps the meeting it came from; the deliberating meeting is in the event.
        Assert.Null(c.MeetingId);
        Assert.Contains("\"meetingId\":42", c.Events[^1].Payload, StringComparison.Ordinal);

        c.Plan("  修缮方案  ", TestData.UnitA, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Equal("修缮方案", c.HandlingPlan);
        Assert.Equal(TestData.UnitA, c.AssigneeUnitId);

        c.Start(TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.InProgress, c.Status);
        Assert.Equal(
            [CaseAction.Register, CaseAction.Triage, CaseAction.Deliberate, CaseAction.Plan, CaseAction.Start],
            c.Events.Select(e => e.Action).ToArray());
        Assert.Equal([1, 2, 3, 4, 5], c.Events.Select(e => e.Sequence).ToArray());
    }

    [Fact]
    public void Reasons_are_recorded_trimmed_on_the_event()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        c.Return("  不属于本单位  ", TestData.Clerk, _b.Tick());
        var e = c.Events[^1];
        Assert.Equal(CaseAction.Return, e.Action);
        Assert.Equal("不属于本单位", e.Reason);
        Assert.Null(c.AssigneeUnitId);
        Assert.Contains("\"fromUnitId\":101", e.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Transfer_moves_the_case_to_the_new_unit_and_it_must_start_again()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        c.Transfer(TestData.UnitB, "属于司法所职责", TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(TestData.UnitB, c.AssigneeUnitId);
        var e = c.Events[^1];
        Assert.Equal((CaseAction.Transfer, "属于司法所职责"), (e.Action, e.Reason));
        Assert.Equal(CaseStatus.InProgress, e.FromStatus);
        Assert.Contains("\"toUnitId\":102", e.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_instants_must_be_UTC()
    {
        var c = _b.Register();
        var local = DateTime.SpecifyKind(_b.Tick(), DateTimeKind.Unspecified);
        Assert.Throws<ArgumentException>(() => c.AddReporter(new ReporterInfo("李四", "13900000000"), TestData.Clerk, local));
    }

    // ---------- reporters and merge ----------

    [Fact]
    public void AddReporter_adds_a_new_resident_and_records_the_same_phone_again_as_a_repeat()
    {
        var c = _b.Register(reporter: new ReporterInfo("张三", "13800000001"));
        c.AddReporter(new ReporterInfo("李四", "13900000002"), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
        Assert.Equal(2, c.Events.Count);
        Assert.Equal((CaseAction.AddReporter, CaseStatus.Registered, CaseStatus.Registered),
            (c.Events[^1].Action, (CaseStatus)c.Events[^1].FromStatus!, c.Events[^1].ToStatus));

        c.AddReporter(new ReporterInfo("张三(另一名字)", "13800000001"), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
        Assert.Equal(3, c.Events.Count);
        Assert.Contains("\"repeat\":true", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Reporters_without_phone_are_the_same_when_the_name_is_the_same()
    {
        var c = _b.Register(reporter: new ReporterInfo("王五", null));
        c.AddReporter(new ReporterInfo("王五", null), TestData.Clerk, _b.Tick());
        Assert.Single(c.Reporters);
        c.AddReporter(new ReporterInfo("赵六", null), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
    }

    [Fact]
    public void Merge_records_on_both_cases_and_moves_reporters_without_duplicates()
    {
        var survivor = _b.Register(reporter: new ReporterInfo("张三", "13800000001"));
        var source = _b.Register(reporter: new ReporterInfo("张三(重复来电)", "13800000001"));
        source.AddReporter(new ReporterInfo("李四", "13900000002"), TestData.Clerk, _b.Tick());
        var survivorEvents = survivor.Events.Count;
        var sourceEvents = source.Events.Count;

        var at = _b.Tick();
        source.MergeInto(survivor, "同一路灯", TestData.Clerk, at);

        Assert.Equal(CaseStatus.Merged, source.Status);
        Assert.Equal(survivor.Id, source.MergedIntoId);
        Assert.Equal(at, source.ClosedAt);
        Assert.Equal(sourceEvents + 1, source.Events.Count);
        var merge = source.Events[^1];
        Assert.Equal((CaseAction.Merge, CaseStatus.Registered, CaseStatus.Merged, "同一路灯", sourceEvents + 1),
            (merge.Action, (CaseStatus)merge.FromStatus!, merge.ToStatus, merge.Reason, merge.Sequence));
        Assert.Equal(at, merge.At);

        Assert.Equal(CaseStatus.Registered, survivor.Status);
        Assert.Equal(survivorEvents + 1, survivor.Events.Count);
        var absorb = survivor.Events[^1];
        Assert.Equal((CaseAction.AbsorbMerged, CaseStatus.Registered, CaseStatus.Registered, "同一路灯", survivorEvents + 1),
            (absorb.Action, (CaseStatus)absorb.FromStatus!, absorb.ToStatus, absorb.Reason, absorb.Sequence));
        Assert.Equal(at, absorb.At);
        Assert.Equal(at, survivor.UpdatedAt);
        Assert.Contains("\"reportersAdded\":1", absorb.Payload, StringComparison.Ordinal);
        Assert.Contains(source.TrackingCode, absorb.Payload, StringComparison.Ordinal);

        Assert.Equal(new string?[] { "13800000001", "13900000002" }, survivor.Reporters.Select(r => r.Phone));
        Assert.Equal("张三", survivor.Reporters[0].Name);
        Assert.Null(survivor.Reporters[0].FromCaseId);
        Assert.Equal(source.Id, survivor.Reporters[1].FromCaseId);
    }

    [Fact]
    public void Merge_into_itself_is_refused()
    {
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(c, null, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.merge-self", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Theory]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void Merge_into_a_closed_out_case_is_refused(CaseStatus targetStatus)
    {
        var target = _b.InStatus(targetStatus);
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var targetBefore = Snapshot.Of(target);

        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(target, null, TestData.Clerk, _b.Tick()));

        Assert.Equal("case.merge-target-closed", ex.Code);
        Assert.Equal(targetStatus.ToString(), ex.Args["state"]);
        Assert.False(target.CanAbsorb);
        Assert.Equal(before, Snapshot.Of(c));
        Assert.Equal(targetBefore, Snapshot.Of(target));
    }

    [Fact]
    public void Merge_into_a_case_of_another_town_is_refused()
    {
        var target = _b.Register(town: TestData.OtherTown);
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var targetBefore = Snapshot.Of(target);

        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(target, null, TestData.Clerk, _b.Tick()));

        Assert.Equal("case.merge-other-town", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));
        Assert.Equal(targetBefore, Snapshot.Of(target));
    }

    // ---------- required and bounded text ----------

    public static TheoryData<string, string> BlankReasons() => new()
    {
        { "Return", "" }, { "Return", "   " }, { "Return", "\t\n" },
        { "Reject", "" }, { "Reject", "   " },
        { "Reopen", "" }, { "Reopen", "   " },
        { "Transfer", "" }, { "Transfer", "   " },
    };

    [Theory]
    [MemberData(nameof(BlankReasons))]
    public void Reason_is_required(string action, string reason)
    {
        var (c, act) = ReasonAction(action, reason);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(act);
        Assert.Equal("field.required", ex.Code);
        Assert.Equal("reason", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Theory]
    [InlineData("Return")]
    [InlineData("Reject")]
    [InlineData("Reopen")]
    [InlineData("Transfer")]
    public void Reason_longer_than_the_maximum_is_refused(string action)
    {
        var (c, act) = ReasonAction(action, new string('因', Case.ReasonMaxLength + 1));
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(act);
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("reason", ex.Field);
        Assert.Equal(Case.ReasonMaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Args["max"]);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Theory]
    [InlineData("Return")]
    [InlineData("Reject")]
    [InlineData("Reopen")]
    [InlineData("Transfer")]
    public void Reason_of_exactly_the_maximum_length_is_accepted(string action)
    {
        var reason = new string('因', Case.ReasonMaxLength);
        var (c, act) = ReasonAction(action, reason);
        act();
        Assert.Equal(reason, c.Events[^1].Reason);
    }

    private (Case Case, Action Act) ReasonAction(string action, string reason)
    {
        var by = TestData.Clerk;
        switch (action)
        {
            case "Return":
                {
                    var c = _b.InStatus(CaseStatus.InProgress);
                    return (c, () => c.Return(reason, by, _b.Tick()));
                }
            case "Reject":
                {
                    var c = _b.InStatus(CaseStatus.Registered);
                    return (c, () => c.Reject(reason, by, _b.Tick()));
                }
            case "Reopen":
                {
                    var c = _b.InStatus(CaseStatus.FollowedUp);
                    return (c, () => c.Reopen(reason, TestData.Due, by, _b.Tick()));
                }
            case "Transfer":
                {
                    var c = _b.InStatus(CaseStatus.Assigned);
                    return (c, () => c.Transfer(TestData.UnitB, reason, by, _b.Tick()));
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Resolve_requires_a_result(string result)
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.Resolve(Outcome.Solved, result, TestData.Clerk, _b.Tick()));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal("result", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
        Assert.Null(c.Outcome);
        Assert.Null(c.Result);
    }

    [Fact]
    public void Resolve_refuses_a_too_long_result()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() =>
            c.Resolve(Outcome.Solved, new string('果', Case.ResultMaxLength + 1), TestData.Clerk, _b.Tick()));
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("result", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void FollowUp_refuses_a_too_long_note()
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.FollowUp(Satisfaction.Satisfied,
            new string('注', Case.ReasonMaxLength + 1), TestData.Due, TestData.Clerk, _b.Tick()));
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("note", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Plan_requires_plan_text()
    {
        var c = _b.InStatus(CaseStatus.Deliberating);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.Plan(" ", TestData.UnitA, TestData.Clerk, _b.Tick()));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal("plan", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    // ---------- other rules ----------

    [Theory]
    [InlineData(CaseStatus.Assigned)]
    [InlineData(CaseStatus.InProgress)]
    public void Transfer_to_the_same_unit_is_refused(CaseStatus status)
    {
        var c = _b.InStatus(status);
        Assert.Equal(TestData.UnitA, c.AssigneeUnitId);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.Transfer(TestData.UnitA, "换人", TestData.Clerk, _b.Tick()));
        Assert.Equal("case.transfer-same-unit", ex.Code);
        Assert.Equal("toUnit", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Topic_triage_with_an_assignee_is_refused()
    {
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() =>
            c.Triage(Track.Topic, Urgency.High, null, TestData.UnitA, TestData.Due, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.topic-assign", ex.Code);
        Assert.Equal("assigneeUnit", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Start_in_Planned_without_an_assignee_is_refused_until_one_is_assigned()
    {
        var c = _b.InStatus(CaseStatus.Deliberating);
        c.Plan("先调查再定", null, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Null(c.AssigneeUnitId);
        var before = Snapshot.Of(c);

        var ex = Assert.Throws<DomainRuleException>(() => c.Start(TestData.Clerk, _b.Tick()));
        Assert.Equal("case.no-assignee", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));

        c.Assign(TestData.UnitB, TestData.Clerk, _b.Tick());
        c.Start(TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.InProgress, c.Status);
    }

    [Fact]
    public void Returned_case_can_be_triaged_and_assigned_again()
    {
        var c = _b.InStatus(CaseStatus.Returned);
        Assert.Null(c.AssigneeUnitId);
        c.Triage(Track.Direct, c.Urgency, null, TestData.UnitB, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(TestData.UnitB, c.AssigneeUnitId);
    }

    [Fact]
    public void Triage_changing_urgency_recomputes_due_from_registration()
    {
        var c = _b.Register(urgency: Urgency.Normal);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt);

        c.Triage(Track.Direct, Urgency.High, null, null, TestData.Due, TestData.Clerk, TestData.Utc(2026, 10, 8, 2));

        Assert.Equal(Urgency.High, c.Urgency);
        Assert.Equal(TestData.Utc(2026, 10, 10, 16), c.DueAt); // 3 working days from 2026-09-30, not from the triage day
        Assert.Contains("\"dueAt\":\"2026-10-10T16:00:00Z\"", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_keeping_urgency_keeps_the_due_date()
    {
        var c = _b.Register(urgency: Urgency.Normal);
        var due = c.DueAt;
        c.Triage(Track.Direct, Urgency.Normal, null, null, TestData.Due, TestData.Clerk, TestData.Utc(2026, 10, 12, 2));
        Assert.Equal(due, c.DueAt);
    }

    // ---------- follow-up and reopen ----------

    [Fact]
    public void Unsatisfied_follow_up_reopens_with_a_new_due_date_from_the_follow_up_time()
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        Assert.NotNull(c.Outcome);
        Assert.NotNull(c.Result);
        Assert.NotNull(c.ResolvedAt);
        var followUpAt = TestData.ShanghaiTime(2026, 10, 12, 10); // Monday

        c.FollowUp(Satisfaction.Unsatisfied, "灯又坏了", TestData.Due, TestData.Clerk, followUpAt);

        Assert.Equal(CaseStatus.Reopened, c.Status);
        Assert.Equal(1, c.ReopenCount);
        Assert.Equal(Satisfaction.Unsatisfied, c.Satisfaction);
        Assert.Null(c.Outcome);
        Assert.Null(c.Result);
        Assert.Null(c.ResolvedAt);
        Assert.Null(c.ClosedAt);
        // 7 working days after Mon 2026-10-12: 13, 14, 15, 16, 19, 20, 21 -> end of Wed 2026-10-21 Shanghai.
        Assert.Equal(TestData.Utc(2026, 10, 21, 16), c.DueAt);
        Assert.Equal(TestData.Due.DueAt(c.Urgency, followUpAt), c.DueAt);
        var e = c.Events[^1];
        Assert.Equal((CaseAction.FollowUp, CaseStatus.Resolved, CaseStatus.Reopened, "灯又坏了"),
            (e.Action, (CaseStatus)e.FromStatus!, e.ToStatus, e.Reason));
        Assert.Contains("\"reopened\":true", e.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopen_of_a_closed_case_clears_the_closure_and_counts()
    {
        var c = _b.InStatus(CaseStatus.FollowedUp);
        Assert.NotNull(c.ClosedAt);
        var at = TestData.ShanghaiTime(2026, 10, 12, 10);

        c.Reopen("领导复查", TestData.Due, TestData.Clerk, at);

        Assert.Equal(CaseStatus.Reopened, c.Status);
        Assert.Equal(1, c.ReopenCount);
        Assert.Null(c.ClosedAt);
        Assert.Null(c.ResolvedAt);
        Assert.Equal(TestData.Utc(2026, 10, 21, 16), c.DueAt);
        Assert.Equal((CaseAction.Reopen, "领导复查"), (c.Events[^1].Action, c.Events[^1].Reason));
    }

    [Fact]
    public void A_second_reopen_counts_twice_and_urgency_change_on_retriage_runs_from_that_triage()
    {
        var c = _b.InStatus(CaseStatus.Reopened);
        c.Triage(Track.Direct, c.Urgency, null, TestData.UnitA, TestData.Due, TestData.Clerk, _b.Tick());
        c.Resolve(Outcome.Explained, "已解释", TestData.Clerk, _b.Tick());
        c.FollowUp(Satisfaction.Unsatisfied, null, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.ReopenCount);

        var triageAt = TestData.ShanghaiTime(2026, 10, 12, 9);
        c.Triage(Track.Direct, Urgency.High, null, null, TestData.Due, TestData.Clerk, triageAt);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt); // 3 working days after Mon 2026-10-12
    }

    // ---------- overdue ----------

    [Fact]
    public void IsOverdue_turns_true_at_the_due_instant_for_an_open_case()
    {
        var c = _b.Register();
        Assert.False(c.IsOverdue(c.DueAt.AddTicks(-1)));
        Assert.False(c.IsOverdue(c.RegisteredAt));
        Assert.True(c.IsOverdue(c.DueAt));
        Assert.True(c.IsOverdue(c.DueAt.AddDays(3)));
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.FollowedUp)]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void Closed_cases_are_never_overdue(CaseStatus status)
    {
        var c = _b.InStatus(status);
        Assert.False(c.IsOverdue(c.DueAt.AddYears(1)));
    }

    [Theory]
    [InlineData(CaseStatus.Triaged)]
    [InlineData(CaseStatus.Assigned)]
    [InlineData(CaseStatus.InProgress)]
    [InlineData(CaseStatus.Returned)]
    [InlineData(CaseStatus.Reopened)]
    [InlineData(CaseStatus.Ledgered)]
    [InlineData(CaseStatus.Deliberating)]
    [InlineData(CaseStatus.Planned)]
    public void Open_cases_past_due_are_overdue(CaseStatus status)
    {
        var c = _b.InStatus(status);
        Assert.True(c.IsOverdue(c.DueAt.AddMinutes(1)));
        Assert.False(c.IsOverdue(c.DueAt.AddMinutes(-1)));
    }

    [Fact]
    public void Resolve_payload_says_whether_it_was_on_time()
    {
        var late = _b.InStatus(CaseStatus.InProgress);
        late.Resolve(Outcome.Solved, "修好", TestData.Clerk, late.DueAt.AddHours(1));
        Assert.Contains("\"onTime\":false", late.Events[^1].Payload, StringComparison.Ordinal);

        var early = _b.InStatus(CaseStatus.InProgress);
        early.Resolve(Outcome.Solved, "修好", TestData.Clerk, early.DueAt.AddHours(-1));
        Assert.Contains("\"onTime\":true", early.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_exactly_at_the_due_instant_is_late_as_overdue_says()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        Assert.True(c.IsOverdue(c.DueAt));
        c.Resolve(Outcome.Solved, "修好", TestData.Clerk, c.DueAt);
        Assert.Contains("\"onTime\":false", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_utc_time_is_refused_before_anything_changes()
    {
        var c = _b.InStatus(CaseStatus.Assigned);
        var events = c.Events.Count;
        var local = DateTime.SpecifyKind(_b.Tick(), DateTimeKind.Local);
        Assert.Throws<ArgumentException>(() => c.Start(TestData.Clerk, local));
        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(events, c.Events.Count);

        var source = _b.InStatus(CaseStatus.Registered);
        var survivor = _b.InStatus(CaseStatus.Registered);
        var reporters = survivor.Reporters.Count;
        Assert.Throws<ArgumentException>(() => source.MergeInto(survivor, null, TestData.Clerk, local));
        Assert.Equal(CaseStatus.Registered, source.Status);
        Assert.Equal(reporters, survivor.Reporters.Count);
    }

    [Fact]
    public void Merge_into_a_closed_case_is_refused()
    {
        var source = _b.InStatus(CaseStatus.Registered);
        var closed = _b.InStatus(CaseStatus.FollowedUp);
        var ex = Assert.Throws<DomainRuleException>(() => source.MergeInto(closed, null, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.merge-target-closed", ex.Code);
        Assert.Equal(CaseStatus.Registered, source.Status);
    }

    [Fact]
    public void Satisfaction_belongs_to_the_current_result()
    {
        var c = _b.InStatus(CaseStatus.FollowedUp);
        Assert.NotNull(c.Satisfaction);
        c.Reopen("群众再次反映", TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Null(c.Satisfaction);

        var unsatisfied = _b.InStatus(CaseStatus.Reopened);
        Assert.Equal(Satisfaction.Unsatisfied, unsatisfied.Satisfaction);
        unsatisfied.Assign(TestData.Village, TestData.Clerk, _b.Tick());
        unsatisfied.Resolve(Outcome.Solved, "重新修好", TestData.Clerk, _b.Tick());
        Assert.Null(unsatisfied.Satisfaction);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Viewing_personal_data_is_recorded_in_every_state_without_changing_it(CaseStatus status)
    {
        var c = _b.InStatus(status);
        var events = c.Events.Count;
        c.RecordPersonalDataViewed(TestData.Clerk, _b.Tick());
        Assert.Equal(status, c.Status);
        Assert.Equal(events + 1, c.Events.Count);
        var e = c.Events[^1];
        Assert.Equal(CaseAction.ViewPersonalData, e.Action);
        Assert.Equal(status, e.FromStatus);
        Assert.Equal(status, e.ToStatus);
    }

    public static TheoryData<CaseStatus> AllStatuses() => new(Enum.GetValues<CaseStatus>());
}
