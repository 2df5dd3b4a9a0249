using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The reason every return, rejection, reopening and transfer must give: required and bounded alike.</summary>
public sealed class CaseReasonTests
{
    private readonly CaseBuilder _b = new();

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
}
