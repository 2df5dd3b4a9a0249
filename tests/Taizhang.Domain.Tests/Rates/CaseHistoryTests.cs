using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Domain.Tests.Cases;

namespace Taizhang.Domain.Tests.Rates;

/// <summary>
/// A case replayed from its events equals the case as its row says (so a closed period can mix
/// rows of unchanged cases with replays of changed ones), and a replay up to an instant is the case
/// as it stood then.
/// </summary>
public class CaseHistoryTests
{
    private static readonly Actor By = TestData.Clerk;

    private static IEnumerable<EventFact> Facts(Case c) =>
        c.Events.Select(e => new EventFact(e.Sequence, e.At, e.Action, e.ToStatus, e.Payload, e.UnitId));

    /// <summary>The facts as the reports read them from the case's row (PeriodFacts' grouping).</summary>
    private static CaseFacts FromRow(Case c) => new(c.Status, c.Outcome, c.Satisfaction, c.ResolvedAt != null && c.ResolvedAt < c.DueAt
        && CaseFigure.IsHandledNow(c.Status), c.ReopenCount > 0, c.FollowUpCount > 0, c.ReturnCount > 0, c.AssigneeUnitId != null || c.ReturnCount > 0,
        c.ContactedInTime, c.ResolvedByResident);

    public static TheoryData<CaseStatus> Statuses() => [.. Enum.GetValues<CaseStatus>()];

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Replaying_every_event_gives_the_row(CaseStatus status)
    {
        var b = new CaseBuilder();
        var c = b.InStatus(status);
        var state = CaseHistory.AsOf(Facts(c), DateTime.MaxValue, Urgency.Low, 999);
        Assert.NotNull(state);
        Assert.Equal(FromRow(c), state.Facts);
        Assert.Equal(c.AssigneeUnitId, state.AssigneeUnitId);
        Assert.Equal(c.Track, state.Track);
        Assert.Equal(c.Urgency, state.Urgency);
        Assert.Equal(c.CategoryId, state.CategoryId);
    }

    [Fact]
    public void A_replay_up_to_an_instant_is_the_case_then()
    {
        var b = new CaseBuilder();
        var c = b.InStatus(CaseStatus.InProgress);
        c.Contact("已联系", TimeSpan.FromDays(30), By, b.Tick());
        c.Resolve(Outcome.Solved, "已修复", By, b.Tick());
        c.FollowUp(Satisfaction.BasicallySatisfied, null, TestData.Due, By, b.Tick(), resolvedByResident: true);
        var closedAt = b.Tick();
        c.Reopen("群众再次反映", TestData.Due, By, b.Tick());
        c.Triage(Track.Direct, Urgency.High, null, TestData.UnitB, TestData.Due, By, b.Tick());
        c.Return("不属于本单位", By, b.Tick());

        var then = CaseHistory.AsOf(Facts(c), closedAt, Urgency.Normal, null)!;
        Assert.Equal(new CaseFacts(CaseStatus.FollowedUp, Outcome.Solved, Satisfaction.BasicallySatisfied, true, false, true,
            false, true, true, true), then.Facts);
        Assert.Equal(TestData.UnitA, then.AssigneeUnitId);
        Assert.Equal(Urgency.Normal, then.Urgency);

        var now = CaseHistory.AsOf(Facts(c), DateTime.MaxValue, Urgency.Normal, null)!;
        Assert.Equal(FromRow(c), now.Facts);
        Assert.True(now.Facts.Reopened);
        Assert.True(now.Facts.Returned);
        Assert.Null(now.AssigneeUnitId);
        Assert.Equal(Urgency.High, now.Urgency);

        Assert.Null(CaseHistory.AsOf(Facts(c), c.RegisteredAt.AddTicks(-1), Urgency.Normal, null));
    }

    [Fact]
    public void A_suspension_and_a_supervision_are_known_as_of_then()
    {
        var b = new CaseBuilder();
        var c = b.InStatus(CaseStatus.InProgress);
        c.RequestSuspension("等待法院判决", new Actor(ActorKind.User, "u-unit", "承办人"), b.Tick());
        c.DecideSuspension(true, null, false, By, b.Tick());
        var suspended = b.Tick();
        c.Resume(null, By, b.Tick());
        c.Supervise(SupervisionLevel.Red, TestData.Due.LocalDate(b.Now).AddDays(2), "红牌", TestData.Due, By, b.Tick());
        Assert.True(CaseHistory.AsOf(Facts(c), suspended, Urgency.Normal, null)!.Suspended);
        var now = CaseHistory.AsOf(Facts(c), DateTime.MaxValue, Urgency.Normal, null)!;
        Assert.False(now.Suspended);
        Assert.Equal(SupervisionLevel.Red, now.Supervision);
    }

    [Fact]
    public void The_assessment_scheme_weighs_basically_satisfied_and_composes()
    {
        // 10 followed up: 6 satisfied, 2 basically, 2 unsatisfied; 8 responded in time; 7 said solved.
        var rows = new List<(CaseFacts, int)>();
        for (var i = 0; i < 10; i++)
        {
            var verdict = i < 6 ? Satisfaction.Satisfied : i < 8 ? Satisfaction.BasicallySatisfied : Satisfaction.Unsatisfied;
            rows.Add((new CaseFacts(i < 8 ? CaseStatus.FollowedUp : CaseStatus.Reopened, i < 8 ? Outcome.Solved : null, verdict, true, i >= 8, true,
                false, true, Responded: i < 8, ResolvedByResident: i < 7), 1));
        }
        var score = AssessmentScheme.Default.Of(FigureCounts.Of(rows));
        Assert.Equal(10, score.FollowedUp);
        Assert.Equal(0.8, score.Response!.Value, 6);
        Assert.Equal(0.7, score.Resolution!.Value, 6);
        Assert.Equal((6 + 0.9 * 2) / 10, score.Satisfaction!.Value, 6);
        Assert.Equal(0.1 * 0.8 + 0.5 * 0.7 + 0.4 * 0.78, score.Composite!.Value, 6);
        Assert.Null(AssessmentScheme.Default.Of(FigureCounts.Zero).Composite);
    }

    [Fact]
    public void The_assessment_window_can_start_on_the_19th_of_the_previous_month()
    {
        var scheme = new AssessmentScheme(WindowStartDay: 19).Validate();
        Assert.Equal((new DateOnly(2026, 10, 19), new DateOnly(2026, 11, 18)), scheme.Window(2026, 11));
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), AssessmentScheme.Default.Window(2026, 11));
        Assert.Throws<ArgumentException>(() => new AssessmentScheme(ResponseWeight: 0.5).Validate());
    }
}
