using Taizhang.Domain.Mediation;

namespace Taizhang.Domain.Tests.Mediation;

public sealed class MediationFileTests
{
    private static readonly DateTime Now = TestData.Utc(2026, 6, 20, 3);
    private static readonly DateOnly Today = new(2026, 6, 20);
    private static readonly DateOnly Accepted = new(2026, 6, 1);

    private static readonly PartyInput Applicant = new(PartyRole.Applicant, "王秀英", "13700001111", "居民身份证", "620102199001011234", "马家村三组");
    private static readonly PartyInput Respondent = new(PartyRole.Respondent, "赵建国", null, null, null, null);

    private static MediationFile Accept(params PartyInput[] parties) =>
        MediationFile.Accept(TestData.Town, 42, DisputeType.MarriageFamily, MediationSource.PartyApplication, "夫妻因抚养费发生纠纷", 12000m, 3,
            RiskGrade.Orange, "张副书记", "镇党委副书记", Accepted, "李调解员、王调解员", parties.Length == 0 ? [Applicant, Respondent] : parties, Today, Now);

    private static MediationFile WithSession(DateOnly? on = null)
    {
        var m = Accept();
        m.RecordSession(on ?? new DateOnly(2026, 6, 5), "李调解员", [7], "双方均到场", "双方陈述了各自意见", "初步达成一致", Today, Now);
        return m;
    }

    private static AgreementInput Agreement(DateOnly signed, RecordForm form = RecordForm.Written) =>
        new(form, "双方于2020年登记结婚", "抚养费数额", "双方均有责任", "男方每月支付抚养费1000元", "银行转账", "马家村村委会", signed.AddDays(30), signed);

    private static MediationFile Agreed(DateOnly? signed = null)
    {
        var m = WithSession();
        m.MakeAgreement(Agreement(signed ?? new DateOnly(2026, 6, 6)), Today, Now);
        return m;
    }

    private static string Code(Action act) => Assert.Throws<DomainRuleException>(act).Code;

    [Fact]
    public void Accept_SetsThe30DayLimit_AndTheParties()
    {
        var m = Accept();
        Assert.Equal(new DateOnly(2026, 7, 1), m.Deadline);
        Assert.Equal(11, m.DaysLeft(Today));
        Assert.Equal([PartyRole.Applicant, PartyRole.Respondent], m.Parties.Select(p => p.Role));
        Assert.Equal([1, 2], m.Parties.Select(p => p.Seq));
    }

    [Fact]
    public void Accept_InTheFuture_OrWithANegativeAmount_IsRefused()
    {
        Assert.Equal("mediation.date-in-future", Code(() => MediationFile.Accept(1, 1, DisputeType.Land, MediationSource.CommitteeInitiated, "宅基地", null, 2,
            RiskGrade.Yellow, "张", null, Today.AddDays(1), "李", [], Today, Now)));
        Assert.Equal("mediation.amount-negative", Code(() => MediationFile.Accept(1, 1, DisputeType.Land, MediationSource.CommitteeInitiated, "宅基地", -1m, 2,
            RiskGrade.Yellow, "张", null, Today, "李", [], Today, Now)));
        Assert.Equal("field.required", Code(() => MediationFile.Accept(1, 1, DisputeType.Land, MediationSource.CommitteeInitiated, " ", null, 2,
            RiskGrade.Yellow, "张", null, Today, "李", [], Today, Now)));
    }

    [Fact]
    public void Session_BeforeAcceptance_IsRefused_AndNothingIsAdded()
    {
        var m = Accept();
        Assert.Equal("mediation.session-before-acceptance",
            Code(() => m.RecordSession(Accepted.AddDays(-1), "李", [], null, "记录", null, Today, Now)));
        Assert.Empty(m.Sessions);
        Assert.Equal("mediation.date-in-future", Code(() => m.RecordSession(Today.AddDays(1), "李", [], null, "记录", null, Today, Now)));
        Assert.Equal("field.required", Code(() => m.RecordSession(Today, "李", [], null, " ", null, Today, Now)));
    }

    [Fact]
    public void Agreement_WithoutBothSides_IsRefused()
    {
        var m = Accept(Applicant);
        m.RecordSession(new DateOnly(2026, 6, 5), "李", [], null, "记录", null, Today, Now);
        Assert.Equal("mediation.parties-missing", Code(() => m.MakeAgreement(Agreement(new DateOnly(2026, 6, 6)), Today, Now)));
        Assert.False(m.HasAgreement);

        m.AddParty(Respondent, Now);
        m.MakeAgreement(Agreement(new DateOnly(2026, 6, 6)), Today, Now);
        Assert.True(m.HasAgreement);
    }

    [Fact]
    public void Agreement_WithoutASession_OrBeforeIt_IsRefused()
    {
        Assert.Equal("mediation.no-session", Code(() => Accept().MakeAgreement(Agreement(Today), Today, Now)));
        Assert.Equal("mediation.agreement-before-session", Code(() => WithSession(new DateOnly(2026, 6, 10)).MakeAgreement(Agreement(new DateOnly(2026, 6, 9)), Today, Now)));
    }

    [Fact]
    public void Agreement_Written_NeedsFactsAndDisputes_Oral_OnlyTerms_AndOnlyOnce()
    {
        var written = WithSession();
        Assert.Equal("field.required", Code(() => written.MakeAgreement(
            new AgreementInput(RecordForm.Written, null, null, null, "每月支付1000元", null, null, null, Today), Today, Now)));
        var oral = WithSession();
        oral.MakeAgreement(new AgreementInput(RecordForm.Oral, null, null, null, "当场赔偿500元", null, null, null, Today), Today, Now);
        Assert.Equal(RecordForm.Oral, oral.AgreementForm);
        Assert.Equal("mediation.agreement-exists", Code(() => oral.MakeAgreement(Agreement(Today), Today, Now)));
        Assert.Equal("mediation.parties-after-agreement", Code(() => oral.AddParty(Respondent, Now)));
    }

    [Fact]
    public void Extension_NeedsConsent_ALaterDate_AndTimeLeft()
    {
        var m = Accept();
        Assert.Equal("mediation.extension-needs-consent", Code(() => m.Extend(new DateOnly(2026, 7, 15), "需要补充证据", false, Today, Now)));
        Assert.Equal("mediation.extension-not-later", Code(() => m.Extend(new DateOnly(2026, 7, 1), "需要补充证据", true, Today, Now)));
        Assert.Equal("mediation.extension-after-limit", Code(() => m.Extend(new DateOnly(2026, 8, 1), "需要补充证据", true, new DateOnly(2026, 7, 2), Now)));
        Assert.Equal(new DateOnly(2026, 7, 1), m.Deadline);

        var e = m.Extend(new DateOnly(2026, 7, 15), "需要补充证据", true, Today, Now);
        Assert.Equal(new DateOnly(2026, 7, 15), m.Deadline);
        Assert.Equal(new DateOnly(2026, 7, 1), e.PreviousDeadline);
        Assert.True(e.PartiesConsented);
    }

    [Fact]
    public void JudicialConfirmation_Within30Days_IsRecorded_After30_IsRefused()
    {
        var m = WithSession(Accepted);
        m.MakeAgreement(Agreement(Accepted), Today, Now);
        var later = new DateOnly(2026, 7, 20);
        Assert.Equal("mediation.judicial-too-late", Code(() => m.ApplyJudicialConfirmation(Accepted.AddDays(31), "张县人民法院", null, later, Now)));
        Assert.Null(m.JudicialAppliedOn);
        Assert.Equal("mediation.judicial-before-agreement", Code(() => m.ApplyJudicialConfirmation(Accepted.AddDays(-1), "张县人民法院", null, later, Now)));
        m.ApplyJudicialConfirmation(Accepted.AddDays(30), "张县人民法院", null, later, Now);
        Assert.Equal(new DateOnly(2026, 7, 1), m.JudicialAppliedOn);
    }

    [Fact]
    public void JudicialConfirmation_WithoutAWrittenAgreement_IsRefused()
    {
        Assert.Equal("mediation.no-agreement", Code(() => WithSession().ApplyJudicialConfirmation(Today, "法院", null, Today, Now)));
        var oral = WithSession();
        oral.MakeAgreement(new AgreementInput(RecordForm.Oral, null, null, null, "当场赔偿", null, null, null, Today), Today, Now);
        Assert.Equal("mediation.judicial-needs-written", Code(() => oral.ApplyJudicialConfirmation(Today, "法院", null, Today, Now)));
    }

    [Fact]
    public void Settled_NeedsAnAgreement_AndClosesOnTheDayPerformanceCompleted()
    {
        Assert.Equal("mediation.settled-needs-agreement", Code(() => WithSession().RecordOutcome(MediationOutcome.Settled, null, null, Today, Today, Now)));

        var m = Agreed();
        m.RecordOutcome(MediationOutcome.Settled, null, null, new DateOnly(2026, 6, 6), Today, Now);
        Assert.Null(m.ClosedOn);
        Assert.Equal("mediation.resolve-before-performance", Code(m.EnsureCanResolveCase));

        m.RecordPerformance(new DateOnly(2026, 6, 10), Performance.None, 2, "男方未按期支付", Today, Now);
        Assert.True(m.NeedsChasing);
        m.RecordPerformance(new DateOnly(2026, 6, 18), Performance.Full, null, null, Today, Now);
        Assert.False(m.NeedsChasing);
        Assert.Equal(new DateOnly(2026, 6, 18), m.ClosedOn);
        m.EnsureCanResolveCase();
        Assert.Null(m.DaysLeft(Today));
    }

    [Fact]
    public void Performance_BeforeTheAgreement_OrWithoutOne_OrNamingAnUnknownParty_IsRefused()
    {
        Assert.Equal("mediation.no-agreement", Code(() => WithSession().RecordPerformance(Today, Performance.Full, null, null, Today, Now)));
        var m = Agreed(new DateOnly(2026, 6, 6));
        Assert.Equal("mediation.performance-before-agreement", Code(() => m.RecordPerformance(new DateOnly(2026, 6, 5), Performance.Full, null, null, Today, Now)));
        Assert.Equal("mediation.unknown-party", Code(() => m.RecordPerformance(Today, Performance.None, 9, null, Today, Now)));
        Assert.Equal("mediation.party-performed", Code(() => m.RecordPerformance(Today, Performance.Full, 1, null, Today, Now)));
        Assert.Empty(m.FollowUps);
    }

    [Fact]
    public void Referred_NamesItsRoute_AndClosesOnTheDay_AfterWhichNothingButFollowUpsChanges()
    {
        var m = WithSession();
        Assert.Equal("mediation.referral-route", Code(() => m.RecordOutcome(MediationOutcome.Referred, null, null, Today, Today, Now)));
        Assert.Equal("mediation.referral-without-referred", Code(() => m.RecordOutcome(MediationOutcome.NotSettled, ReferralRoute.Court, null, Today, Today, Now)));
        Assert.Equal("mediation.resolve-without-outcome", Code(m.EnsureCanResolveCase));
        m.RecordOutcome(MediationOutcome.Referred, ReferralRoute.Court, "引导当事人向法院起诉", Today, Today, Now);
        Assert.Equal(Today, m.ClosedOn);
        m.EnsureCanResolveCase();
        Assert.Equal("mediation.closed", Code(() => m.RecordSession(Today, "李", [], null, "记录", null, Today, Now)));
        Assert.Equal("mediation.closed", Code(() => m.GiveNotice(Today, RecordForm.Written, Today, Now)));
        Assert.Equal("mediation.closed", Code(() => m.RecordOutcome(MediationOutcome.NotSettled, null, null, Today, Today, Now)));
    }

    [Fact]
    public void Notice_BeforeAcceptance_IsRefused()
    {
        var m = Accept();
        Assert.Equal("mediation.before-acceptance", Code(() => m.GiveNotice(Accepted.AddDays(-1), RecordForm.Written, Today, Now)));
        m.GiveNotice(Accepted, RecordForm.Oral, Today, Now);
        Assert.Equal(RecordForm.Oral, m.NoticeForm);
    }
}
