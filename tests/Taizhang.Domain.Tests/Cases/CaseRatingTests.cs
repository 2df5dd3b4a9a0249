using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The public side of a resolution (答复意见) and how a follow-up was reached (FollowUpMethod).</summary>
public sealed class CaseRatingTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Resolve_keeps_the_public_reply_apart_from_the_internal_result_and_records_it()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        c.Resolve(Outcome.Solved, "内部：已派人清理", TestData.Clerk, _b.Tick(), "  路灯已修好，感谢您的反映。 ");

        Assert.Equal("路灯已修好，感谢您的反映。", c.PublicReply);
        Assert.Equal("内部：已派人清理", c.Result);
        Assert.Contains("\"publicReply\":\"路灯已修好，感谢您的反映。\"", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_without_a_public_reply_has_none_and_a_too_long_one_changes_nothing()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.Resolve(Outcome.Solved, "结果", TestData.Clerk, _b.Tick(),
            new string('答', Case.PublicReplyMaxLength + 1)));
        Assert.Equal(("field.too-long", "publicReply"), (ex.Code, ex.Field));
        Assert.Equal(before, Snapshot.Of(c));

        c.Resolve(Outcome.Solved, "结果", TestData.Clerk, _b.Tick(), "   ");
        Assert.Null(c.PublicReply);
        Assert.DoesNotContain("publicReply", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopening_clears_the_public_reply_with_the_result()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        c.Resolve(Outcome.Solved, "结果", TestData.Clerk, _b.Tick(), "已修好");
        c.FollowUp(Satisfaction.Unsatisfied, null, TestData.Due, TestData.Clerk, _b.Tick(), FollowUpMethod.SelfService);
        Assert.Null(c.PublicReply);
    }

    [Theory]
    [InlineData(Satisfaction.Satisfied, CaseStatus.FollowedUp)]
    [InlineData(Satisfaction.Unsatisfied, CaseStatus.Reopened)]
    public void FollowUp_records_its_method(Satisfaction verdict, CaseStatus after)
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        c.FollowUp(verdict, "群众留言", TestData.Due, TestData.Clerk, _b.Tick(), FollowUpMethod.SelfService);
        Assert.Equal(after, c.Status);
        Assert.Contains("\"method\":\"SelfService\"", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void FollowUp_without_a_method_is_a_phone_call()
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        c.FollowUp(Satisfaction.Satisfied, null, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Contains("\"method\":\"Phone\"", c.Events[^1].Payload, StringComparison.Ordinal);
    }
}
