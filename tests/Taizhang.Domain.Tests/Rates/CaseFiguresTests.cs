using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Domain.Tests.Cases;

namespace Taizhang.Domain.Tests.Rates;

/// <summary>The figures the rates are made of, case by case (PRODUCT.md "Rates"), from real cases' states.</summary>
public sealed class CaseFiguresTests
{
    private static CaseFacts Facts(Case c) => new(
        c.Status, c.Outcome, c.Satisfaction, CaseFacts.IsOnTime(c.ResolvedAt, c.DueAt), c.ReopenCount > 0, c.FollowUpCount > 0);

    private static Case Resolved(CaseBuilder b)
    {
        var c = b.InStatus(CaseStatus.Assigned);
        c.Resolve(Outcome.Solved, "已处理", TestData.Clerk, b.Tick());
        return c;
    }

    [Fact]
    public void Accepted_is_everything_but_rejected_and_merged()
    {
        var b = new CaseBuilder();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.Equal(status is not (CaseStatus.Rejected or CaseStatus.Merged), CaseFigures.Accepted.Counts(Facts(b.InStatus(status))));
        }
    }

    [Fact]
    public void Solved_and_on_time_count_only_resolved_cases()
    {
        var b = new CaseBuilder();
        var solved = Resolved(b);
        Assert.True(CaseFigures.Solved.Counts(Facts(solved)));
        Assert.True(CaseFigures.OnTime.Counts(Facts(solved)));
        var explained = b.InStatus(CaseStatus.Assigned);
        explained.Resolve(Outcome.Explained, "已解释", TestData.Clerk, explained.DueAt.AddDays(1));
        Assert.False(CaseFigures.Solved.Counts(Facts(explained)));
        Assert.False(CaseFigures.OnTime.Counts(Facts(explained))); // late
        Assert.True(CaseFigures.Handled.Counts(Facts(explained)));
        Assert.False(CaseFigures.OnTime.Counts(Facts(b.InStatus(CaseStatus.InProgress))));
    }

    [Fact]
    public void Two_follow_ups_count_twice_even_when_the_unsatisfied_one_reopened_its_case()
    {
        // The reported bug: one satisfied and one unsatisfied follow-up read "1/1" (the reopened case
        // was neither resolved nor followed up any more). Both were resolved, and both followed up.
        var b = new CaseBuilder();
        var satisfied = Resolved(b);
        satisfied.FollowUp(Satisfaction.Satisfied, null, TestData.Due, TestData.Clerk, b.Tick());
        var unsatisfied = Resolved(b);
        unsatisfied.FollowUp(Satisfaction.Unsatisfied, "问题依旧", TestData.Due, TestData.Clerk, b.Tick());
        var waiting = Resolved(b);
        var cases = new[] { satisfied, unsatisfied, waiting }.Select(Facts).ToList();
        int Count(CaseFigure f) => cases.Count(f.Counts);

        Assert.Equal(CaseStatus.Reopened, unsatisfied.Status);
        Assert.Equal(2, Count(CaseFigures.FollowUpRate.Numerator));
        Assert.Equal(3, Count(CaseFigures.FollowUpRate.Denominator));
        Assert.Equal(1, Count(CaseFigures.SatisfactionRate.Numerator));
        Assert.Equal(2, Count(CaseFigures.SatisfactionRate.Denominator));
        Assert.Equal(2, Count(CaseFigures.HandlingRate.Numerator));
    }

    [Fact]
    public void A_visit_stays_counted_when_the_case_is_resolved_again_or_reopened_but_its_verdict_does_not()
    {
        var b = new CaseBuilder();
        // Unsatisfied, reopened, handled again and resolved without a new visit: still followed up,
        // and not satisfied — re-resolving cannot raise the satisfaction rate.
        var redone = Resolved(b);
        redone.FollowUp(Satisfaction.Unsatisfied, null, TestData.Due, TestData.Clerk, b.Tick());
        redone.Assign(redone.AssigneeUnitId!.Value, TestData.Clerk, b.Tick());
        redone.Resolve(Outcome.Solved, "重新处理", TestData.Clerk, b.Tick());
        // Satisfied, then reopened by a leader: the visit happened; the verdict no longer stands.
        var reopened = Resolved(b);
        reopened.FollowUp(Satisfaction.Satisfied, null, TestData.Due, TestData.Clerk, b.Tick());
        reopened.Reopen("群众再次反映", TestData.Due, TestData.Clerk, b.Tick());

        foreach (var c in new[] { redone, reopened })
        {
            Assert.True(CaseFigures.FollowedUp.Counts(Facts(c)));
            Assert.True(CaseFigures.ResolvedOnce.Counts(Facts(c)));
            Assert.False(CaseFigures.Satisfied.Counts(Facts(c)));
        }
    }

    [Fact]
    public void Every_followed_up_case_was_resolved_once_so_no_rate_exceeds_one()
    {
        var b = new CaseBuilder();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            var c = b.InStatus(status);
            if (CaseFigures.FollowedUp.Counts(Facts(c)))
            {
                Assert.True(CaseFigures.ResolvedOnce.Counts(Facts(c)), status.ToString());
            }
            if (CaseFigures.Satisfied.Counts(Facts(c)))
            {
                Assert.True(CaseFigures.FollowedUp.Counts(Facts(c)), status.ToString());
            }
        }
        foreach (var rate in CaseFigures.Rates)
        {
            Assert.Contains(rate.Numerator, CaseFigures.All);
            Assert.Contains(rate.Denominator, CaseFigures.All);
        }
    }
}
