using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Reports;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// 期末超期: a case due on the period's last day is due at the very instant the period ends and was not late within it (a
/// walk-through found such a case on November's "overdue at the month's end" list); one due a moment earlier was.
/// </summary>
public sealed class OverdueAtPeriodEndTests
{
    private static readonly DateTime End = new(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc); // the end of 30 November in Shanghai

    private static PeriodFacts.CohortCase Case(DateTime dueAt, CaseStatus status = CaseStatus.InProgress, bool suspended = false) =>
        new(1, End.AddDays(-10), new FactRow(1, null, Channel.Hotline, null, Urgency.Normal, Track.Direct,
            new CaseFacts(status, null, null, false, false, false), 1), dueAt, suspended, null);

    [Fact]
    public void DueAtThePeriodsEnd_IsNotOverdueThen_DueBefore_Is()
    {
        Assert.False(Case(End).OverdueAt(End));
        Assert.True(Case(End.AddSeconds(-1)).OverdueAt(End));
        Assert.False(Case(End.AddSeconds(-1), suspended: true).OverdueAt(End));
        Assert.False(Case(End.AddSeconds(-1), CaseStatus.Resolved).OverdueAt(End));
    }
}
