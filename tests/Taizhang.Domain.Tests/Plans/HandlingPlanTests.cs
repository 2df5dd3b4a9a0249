using Taizhang.Domain.Cases;
using Taizhang.Domain.Plans;
using Taizhang.Domain.Tests.Cases;

namespace Taizhang.Domain.Tests.Plans;

/// <summary>办理计划: steps, the case's due date following the last target date, progress and completion.</summary>
public sealed class HandlingPlanTests
{
    private static readonly DateOnly Today = new(2026, 9, 30);
    private static readonly DateTime At = TestData.ShanghaiTime(2026, 9, 30, 10);
    private readonly CaseBuilder _b = new();

    private static PlanStepInput[] TwoSteps() =>
    [
        new("村里摸底登记", TestData.UnitA, Today.AddDays(10)),
        new("联系企业招聘", TestData.UnitB, Today.AddDays(30), "人社所牵头"),
    ];

    [Fact]
    public void Create_numbers_the_steps_and_keeps_the_figures()
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "  分两步  ", TwoSteps(), Today, At);
        Assert.Equal("分两步", plan.Summary);
        Assert.Equal([1, 2], plan.Steps.Select(s => s.Number).ToArray());
        Assert.All(plan.Steps, s => Assert.Equal(TestData.Town, s.TownId));
        Assert.Equal(2, plan.StepCount);
        Assert.Equal(0, plan.StepsDone);
        Assert.Equal(Today.AddDays(10), plan.NextTargetDate);
        Assert.Equal(Today.AddDays(30), plan.LastTargetDate);
        Assert.Equal("人社所牵头", plan.Steps[1].Note);
    }

    [Fact]
    public void The_case_due_date_follows_the_plans_last_target_date()
    {
        var c = _b.InTopicStatus(CaseStatus.Deliberating);
        var plan = HandlingPlan.Create(c.TownId, c.Id, "分两步", TwoSteps(), Today, At);
        c.Plan(plan.Summary, TestData.UnitA, TestData.Clerk, _b.Tick(), TestData.Due, plan.LastTargetDate);
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Equal(TestData.Due.EndOfLocalDay(Today.AddDays(30)), c.DueAt);

        // An amendment moves the plan's last date, not the due date: once the topic's clock runs, the due date moves only
        // by an approved extension (a unit re-dating its plan once put an overdue case's due date in 2100); the state stays.
        plan.Amend("分两步，延后", [TwoSteps()[0], TwoSteps()[1] with { TargetDate = Today.AddDays(45) }], Today, At);
        c.Plan(plan.Summary, null, TestData.Clerk, _b.Tick(), TestData.Due, plan.LastTargetDate);
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Equal(Today.AddDays(45), plan.LastTargetDate);
        Assert.Equal(TestData.Due.EndOfLocalDay(Today.AddDays(30)), c.DueAt);
        Assert.Equal(1, plan.Amendments);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(120)]
    public void Progress_outside_0_to_100_is_refused_and_changes_nothing(int progress)
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "计划", TwoSteps(), Today, At);
        var ex = Assert.Throws<DomainRuleException>(() => plan.ReportProgress(1, progress, false, null, At));
        Assert.Equal("case.plan-progress-range", ex.Code);
        Assert.Equal("progress", ex.Field);
        Assert.Equal(0, plan.Steps[0].Progress);
        Assert.Equal(0, plan.OverallProgress);
    }

    [Fact]
    public void Completion_sets_100_counts_the_step_and_moves_the_next_date()
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "计划", TwoSteps(), Today, At);
        plan.ReportProgress(1, 40, false, "已登记一半", At);
        Assert.Equal(40, plan.Steps[0].Progress);
        Assert.Equal(20, plan.OverallProgress);
        Assert.Null(plan.Steps[0].CompletedAt);

        var done = plan.ReportProgress(1, 60, true, null, At.AddHours(1));
        Assert.True(done.Completed);
        Assert.Equal(100, done.Progress);
        Assert.Equal(At.AddHours(1), done.CompletedAt);
        Assert.Equal("已登记一半", done.Note);
        Assert.Equal(1, plan.StepsDone);
        Assert.Equal(50, plan.OverallProgress);
        Assert.Equal(Today.AddDays(30), plan.NextTargetDate);
    }

    [Fact]
    public void A_completed_step_does_not_go_back()
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "计划", TwoSteps(), Today, At);
        plan.ReportProgress(1, 100, false, null, At);
        Assert.True(plan.Steps[0].Completed);
        var ex = Assert.Throws<DomainRuleException>(() => plan.ReportProgress(1, 50, false, "返工", At));
        Assert.Equal("plan.step-completed", ex.Code);
        Assert.Equal(100, plan.Steps[0].Progress);
    }

    [Fact]
    public void Refusals_name_the_field_of_the_step()
    {
        Assert.Equal("steps", Assert.Throws<DomainRuleException>(() => HandlingPlan.Create(1, 7, "计划", [], Today, At)).Field);
        Assert.Equal("summary", Assert.Throws<DomainRuleException>(() => HandlingPlan.Create(1, 7, " ", TwoSteps(), Today, At)).Field);
        var past = Assert.Throws<DomainRuleException>(() =>
            HandlingPlan.Create(1, 7, "计划", [TwoSteps()[0], TwoSteps()[1] with { TargetDate = Today.AddDays(-1) }], Today, At));
        Assert.Equal("plan.target-date-past", past.Code);
        Assert.Equal("steps[1].targetDate", past.Field);
        Assert.Equal("steps[0].title", Assert.Throws<DomainRuleException>(() =>
            HandlingPlan.Create(1, 7, "计划", [TwoSteps()[0] with { Title = "" }], Today, At)).Field);
        Assert.Equal("plan.unknown-step", Assert.Throws<DomainRuleException>(() =>
            HandlingPlan.Create(1, 7, "计划", TwoSteps(), Today, At).ReportProgress(3, 10, false, null, At)).Code);
    }

    [Fact]
    public void An_amendment_keeps_the_progress_of_unchanged_steps_and_a_past_date_they_already_had()
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "计划", TwoSteps(), Today, At);
        plan.ReportProgress(1, 100, true, null, At);
        var later = Today.AddDays(20);
        // Step 1's date is now in the past: kept as it was, not refused.
        plan.Amend("计划（修订）", [TwoSteps()[0], new("新增：回访", TestData.UnitA, later.AddDays(20))], later, At.AddDays(20));
        Assert.True(plan.Steps.Single(s => s.Number == 1).Completed);
        Assert.Equal("新增：回访", plan.Steps.Single(s => s.Number == 2).Title);
        Assert.Equal(0, plan.Steps.Single(s => s.Number == 2).Progress);
        Assert.Equal(2, plan.StepCount);
        Assert.Equal(1, plan.StepsDone);
    }

    [Fact]
    public void FirstOverdue_is_the_earliest_open_step_past_its_date()
    {
        var plan = HandlingPlan.Create(TestData.Town, 7, "计划", TwoSteps(), Today, At);
        Assert.Null(plan.FirstOverdue(Today.AddDays(10)));
        var (step, days) = plan.FirstOverdue(Today.AddDays(13))!.Value;
        Assert.Equal(1, step.Number);
        Assert.Equal(3, days);
    }
}
