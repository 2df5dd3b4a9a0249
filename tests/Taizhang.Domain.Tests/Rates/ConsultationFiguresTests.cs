using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Rates;
using Taizhang.Domain.Tests.Cases;

namespace Taizhang.Domain.Tests.Rates;

/// <summary>The consultation figures (issue 15): what counts as a deliberation held, a decision published, a mediation settled, a dispute found.</summary>
public sealed class ConsultationFiguresTests
{
    private static readonly DateTime From = new(2026, 8, 31, 16, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime To = new(2026, 9, 30, 16, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(MeetingKind.Deliberation, ConsultationFigures.DeliberationsHeld)]
    [InlineData(MeetingKind.VillagersAssembly, ConsultationFigures.DeliberationsHeld)]
    [InlineData(MeetingKind.RepresentativesAssembly, ConsultationFigures.DeliberationsHeld)]
    [InlineData(MeetingKind.Forum, ConsultationFigures.ForumsHeld)]
    [InlineData(MeetingKind.ConcentratedHandling, ConsultationFigures.ConcentratedHandlingHeld)]
    [InlineData(MeetingKind.Mediation, null)]
    [InlineData(MeetingKind.TrainingByMeeting, null)]
    public void MeetingFigure_ByKind(MeetingKind kind, string? figure) => Assert.Equal(figure, ConsultationFigures.MeetingFigure(kind));

    [Theory]
    [InlineData(MeetingStatus.Held, true)]
    [InlineData(MeetingStatus.MinutesConfirmed, true)]
    [InlineData(MeetingStatus.Published, true)]
    [InlineData(MeetingStatus.Planned, false)]
    [InlineData(MeetingStatus.Cancelled, false)]
    public void CountsAsHeld_OnlyMeetingsThatTookPlace(MeetingStatus status, bool counts) =>
        Assert.Equal(counts, ConsultationFigures.CountsAsHeld(status, From.AddDays(3), From, To));

    [Fact]
    public void CountsAsHeld_TheFirstInstantIn_TheEndOut()
    {
        Assert.True(ConsultationFigures.CountsAsHeld(MeetingStatus.Held, From, From, To));
        Assert.False(ConsultationFigures.CountsAsHeld(MeetingStatus.Held, To, From, To));
        Assert.False(ConsultationFigures.CountsAsHeld(MeetingStatus.Held, From.AddTicks(-1), From, To));
    }

    [Fact]
    public void MediationFact_ReadsWhatTheCaseRecorded()
    {
        var b = new CaseBuilder();
        var c = b.InStatus(CaseStatus.Assigned);
        c.RecordMediation(MediationStep.Intake, new { disputeType = "婚姻纠纷", riskGrade = "Orange", source = "PoliceTransfer" }, TestData.Clerk, b.Tick());
        c.RecordMediation(MediationStep.Outcome, new { outcome = "Settled" }, TestData.Clerk, b.Tick());
        c.RecordMediation(MediationStep.Outcome, new { outcome = "PartlySettled" }, TestData.Clerk, b.Tick());
        var facts = c.Events.Where(e => e.Action == CaseAction.Mediate).Select(e => MediationFact.Read(e.Payload)).ToList();

        Assert.Equal(new MediationFact(MediationStep.Intake, null, "婚姻纠纷", "Orange"), facts[0]);
        Assert.True(facts[0].IsIntake);
        Assert.True(facts[1].IsSettled);
        Assert.False(facts[2].IsSettled); // partly settled is not 调解成功
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"step\":\"Nonsense\",\"detail\":{\"outcome\":\"Settled\"}}")]
    [InlineData("{\"step\":\"Outcome\",\"detail\":\"Settled\"}")]
    public void MediationFact_UnreadablePayload_CountsForNothing(string? payload)
    {
        var fact = MediationFact.Read(payload);
        Assert.False(fact.IsIntake);
        Assert.False(fact.IsSettled);
    }

    [Fact]
    public void MediationCounts_DistinctCases_AndBothRatesShareTheNumerator()
    {
        var intake = new MediationFact(MediationStep.Intake, null, "家庭纠纷", "Red");
        var settled = new MediationFact(MediationStep.Outcome, MediationFact.SettledOutcome, null, null);
        var notSettled = new MediationFact(MediationStep.Outcome, "NotSettled", null, null);
        var session = new MediationFact(MediationStep.Session, null, null, null);
        var (mediated, settledCount) = ConsultationFigures.MediationCounts(
            [(1, intake), (1, session), (1, settled), (2, intake), (2, notSettled), (3, intake), (3, settled), (3, settled), (4, settled)]);
        Assert.Equal(3, mediated);
        // Case 3's outcome recorded twice counts once; case 4 was accepted in another period: its settlement counts there.
        Assert.Equal(2, settledCount);

        var rates = ConsultationFigures.MediationRates(mediated, settledCount, disputesFound: 8);
        Assert.Equal([ConsultationFigures.SettledOfMediatedRate, ConsultationFigures.SettledOfFoundRate], rates.Select(r => r.Key));
        Assert.Equal(0.6667, rates[0].Value);
        Assert.Equal(0.25, rates[1].Value);
        Assert.Null(ConsultationFigures.MediationRates(0, 0, 0)[0].Value); // nothing counted: no "0%"
    }

    [Fact]
    public void DecisionDisclosure_TheDecisionOnly()
    {
        var b = new CaseBuilder();
        var c = b.InStatus(CaseStatus.Assigned);
        var day = new DateOnly(2026, 9, 30);
        c.Disclose(1, DisclosureKind.Decision, day, day.AddDays(7), TestData.Clerk, b.Tick());
        c.Disclose(2, DisclosureKind.Result, day, day.AddDays(7), TestData.Clerk, b.Tick());
        var disclosures = c.Events.Where(e => e.Action == CaseAction.Disclose).Select(e => ConsultationFigures.IsDecisionDisclosure(e.Payload)).ToArray();
        Assert.Equal([true, false], disclosures);
        Assert.False(ConsultationFigures.IsDecisionDisclosure("{\"kind\":1}"));
        Assert.False(ConsultationFigures.IsDecisionDisclosure(null));
    }

    [Theory]
    [InlineData(true, CaseStatus.Registered, true)]
    [InlineData(true, CaseStatus.Rejected, true)]
    [InlineData(true, CaseStatus.FollowedUp, true)]
    [InlineData(true, CaseStatus.Merged, false)]
    [InlineData(false, CaseStatus.Resolved, false)]
    public void DisputeFound_ADisputeCategory_LessMergedDuplicates(bool isDispute, CaseStatus status, bool found) =>
        Assert.Equal(found, ConsultationFigures.IsDisputeFound(isDispute, status));

    [Fact]
    public void MeasureTotals_SumByKey()
    {
        var totals = ConsultationFigures.MeasureTotals([("jobs", 300), ("clean-ups", 2), ("jobs", 40)]);
        Assert.Equal(340, totals["jobs"]);
        Assert.Equal(2, totals["clean-ups"]);
    }

    [Theory]
    [InlineData("jobs", true)]
    [InlineData("clean-ups", true)]
    [InlineData("a1", true)]
    [InlineData("Jobs", false)]
    [InlineData("1jobs", false)]
    [InlineData("jobs found", false)]
    [InlineData("就业", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefg", false)]
    public void MeasureKey_Format(string? key, bool valid) => Assert.Equal(valid, OutcomeMeasure.IsValidKey(key));

    [Fact]
    public void DefaultMeasures_AreTheArticlesAndValid()
    {
        Assert.Contains(OutcomeMeasure.Defaults, m => m is { Key: "jobs", Unit: "人次" });
        Assert.Contains(OutcomeMeasure.Defaults, m => m is { Key: "clean-ups", Unit: "次" });
        Assert.All(OutcomeMeasure.Defaults, m => Assert.True(OutcomeMeasure.IsValidKey(m.Key)));
        Assert.Equal(OutcomeMeasure.Defaults.Count, OutcomeMeasure.Defaults.Select(m => m.Key).Distinct().Count());
    }
}
