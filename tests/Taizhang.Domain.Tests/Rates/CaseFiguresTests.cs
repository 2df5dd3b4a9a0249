using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;

namespace Taizhang.Domain.Tests.Rates;

/// <summary>The figures the rates are made of, case by case (PRODUCT.md "Rates").</summary>
public sealed class CaseFiguresTests
{
    private static CaseFacts Facts(CaseStatus status, Outcome? outcome = null, Satisfaction? satisfaction = null, bool onTime = false, bool reopened = false) =>
        new(status, outcome, satisfaction, onTime, reopened);

    [Fact]
    public void Accepted_is_everything_but_rejected_and_merged()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            Assert.Equal(status is not (CaseStatus.Rejected or CaseStatus.Merged), CaseFigures.Accepted.Counts(Facts(status)));
        }
    }

    [Fact]
    public void Solved_and_on_time_count_only_resolved_cases()
    {
        Assert.True(CaseFigures.Solved.Counts(Facts(CaseStatus.FollowedUp, Outcome.Solved)));
        Assert.False(CaseFigures.Solved.Counts(Facts(CaseStatus.Resolved, Outcome.Explained)));
        Assert.True(CaseFigures.OnTime.Counts(Facts(CaseStatus.Resolved, Outcome.PartlySolved, onTime: true)));
        Assert.False(CaseFigures.OnTime.Counts(Facts(CaseStatus.Resolved, Outcome.Solved, onTime: false)));
        Assert.False(CaseFigures.OnTime.Counts(Facts(CaseStatus.InProgress, onTime: true)));
    }

    [Fact]
    public void Two_follow_ups_count_twice_even_when_the_unsatisfied_one_reopened_its_case()
    {
        // The reported bug: one satisfied and one unsatisfied follow-up read "1/1" (the reopened case
        // was neither resolved nor followed up any more). Both were resolved, and both followed up.
        var satisfied = Facts(CaseStatus.FollowedUp, Outcome.Solved, Satisfaction.Satisfied, onTime: true);
        var unsatisfied = Facts(CaseStatus.Reopened, satisfaction: Satisfaction.Unsatisfied, reopened: true);
        var waiting = Facts(CaseStatus.Resolved, Outcome.Solved, onTime: true);
        var cases = new[] { satisfied, unsatisfied, waiting };
        int Count(CaseFigure f) => cases.Count(f.Counts);

        Assert.Equal(2, Count(CaseFigures.FollowUpRate.Numerator));
        Assert.Equal(3, Count(CaseFigures.FollowUpRate.Denominator));
        Assert.Equal(1, Count(CaseFigures.SatisfactionRate.Numerator));
        Assert.Equal(2, Count(CaseFigures.SatisfactionRate.Denominator));
        Assert.Equal(2, Count(CaseFigures.HandlingRate.Numerator));
    }

    [Fact]
    public void Every_followed_up_case_was_resolved_once_so_no_rate_exceeds_one()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            foreach (var verdict in Enum.GetValues<Satisfaction>())
            {
                // A verdict is on a case only after a result: resolved now, or reopened by an unsatisfied one.
                var facts = Facts(status, satisfaction: verdict, reopened: status is not (CaseStatus.Resolved or CaseStatus.FollowedUp));
                if (CaseFigures.FollowedUp.Counts(facts))
                {
                    Assert.True(CaseFigures.ResolvedOnce.Counts(facts), $"{status} {verdict}");
                }
            }
        }
        foreach (var rate in CaseFigures.Rates)
        {
            Assert.Contains(rate.Numerator, CaseFigures.All);
            Assert.Contains(rate.Denominator, CaseFigures.All);
        }
    }
}
