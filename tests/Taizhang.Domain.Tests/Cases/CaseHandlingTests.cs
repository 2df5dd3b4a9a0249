using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Handling by the responsible unit: return, transfer and resolve.</summary>
public sealed class CaseHandlingTests
{
    private readonly CaseBuilder _b = new();

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
}
