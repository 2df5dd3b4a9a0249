using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The timeline: one event per transition in sequence, at UTC instants only.</summary>
public sealed class CaseEventTests
{
    private readonly CaseBuilder _b = new();

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
    public void Event_instants_must_be_UTC()
    {
        var c = _b.Register();
        var local = DateTime.SpecifyKind(_b.Tick(), DateTimeKind.Unspecified);
        Assert.Throws<ArgumentException>(() => c.AddReporter(new ReporterInfo("李四", "13900000000"), TestData.Clerk, local));
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
}
