using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;

namespace Taizhang.Domain.Tests.Disclosures;

public sealed class DisclosureTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = new(2026, 11, 26);

    private static Disclosure Publish(string body = "道路已修复。", DateOnly? from = null, DateOnly? until = null) =>
        Disclosure.Publish(TestData.Town, TestData.Village, DisclosureKind.Result, 42, null, null, "修路结果", body,
            from ?? Today, until ?? Today.AddDays(6), Today, "王受理", Now);

    [Theory]
    [InlineData("联系 13912345678 了解")]
    [InlineData("联系139 1234 5678")]
    [InlineData("电话：139-1234-5678")]
    public void APhoneNumberInTheText_IsRefused(string body)
    {
        var e = Assert.Throws<DomainRuleException>(() => Publish(body));
        Assert.Equal("disclosure.phone-in-text", e.Code);
        Assert.Equal("body", e.Field);
    }

    [Theory]
    [InlineData("共投入资金 120000 元，受益 1382 户")]
    [InlineData("2026年11月26日至12月2日")]
    [InlineData("编号 213912345678")]
    public void NumbersThatAreNotAPhone_AreAllowed(string body) => Assert.Equal(body, Publish(body).Body);

    [Fact]
    public void ThePeriod_StartsTodayOrLater_AndEndsNoEarlierThanItStarts()
    {
        Assert.Equal("disclosure.from-past", Assert.Throws<DomainRuleException>(() => Publish(from: Today.AddDays(-1))).Code);
        Assert.Equal("case.disclosure-period", Assert.Throws<DomainRuleException>(() => Publish(until: Today.AddDays(-1))).Code);
        var oneDay = Publish(until: Today);
        Assert.True(oneDay.IsOpen(Today));
        Assert.False(oneDay.IsOpen(Today.AddDays(1)));
    }

    [Fact]
    public void AResult_NeedsACase_AndADisclosureIsOfSomething()
    {
        Assert.Equal("disclosure.result-needs-case", Assert.Throws<DomainRuleException>(() => Disclosure.Publish(TestData.Town, TestData.Village,
            DisclosureKind.Result, null, 7, 1, "t", "b", Today, Today, Today, "x", Now)).Code);
        Assert.Equal("disclosure.nothing-disclosed", Assert.Throws<DomainRuleException>(() => Disclosure.Publish(TestData.Town, TestData.Village,
            DisclosureKind.Decision, null, null, null, "t", "b", Today, Today, Today, "x", Now)).Code);
    }

    [Fact]
    public void Objections_AreTakenOnlyInThePeriod_FromItsFirstToItsLastDay()
    {
        var d = Publish(from: Today.AddDays(1), until: Today.AddDays(7));
        Assert.Equal("disclosure.closed", Assert.Throws<DomainRuleException>(() => d.Object("早了", null, null, false, Today, Now)).Code);
        Assert.Equal("有意见", d.Object("有意见", null, null, false, Today.AddDays(1), Now).Text);
        Assert.Equal(ObjectionStatus.Recorded, d.Object("最后一天", null, null, false, Today.AddDays(7), Now).Status);
        Assert.Equal("disclosure.closed", Assert.Throws<DomainRuleException>(() => d.Object("晚了", null, null, false, Today.AddDays(8), Now)).Code);
    }

    [Fact]
    public void ContactDetails_AreKeptOnlyWithConsent_AndTheTextHasALimit()
    {
        var d = Publish();
        Assert.Equal("disclosure.contact-consent", Assert.Throws<DomainRuleException>(() => d.Object("意见", "李秀英", null, false, Today, Now)).Code);
        var o = d.Object("意见", "李秀英", "13700001111", true, Today, Now);
        Assert.True(o.ContactConsent);
        Assert.Equal("field.too-long", Assert.Throws<DomainRuleException>(() => d.Object(new string('长', 1001), null, null, false, Today, Now)).Code);
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => d.Object("  ", null, null, false, Today, Now)).Code);
    }

    [Fact]
    public void AWithdrawnDisclosure_TakesNoObjections_AndIsWithdrawnOnce()
    {
        var d = Publish();
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => d.Withdraw(" ", Now)).Code);
        d.Withdraw("内容有误", Now);
        Assert.False(d.IsOpen(Today));
        Assert.Equal("disclosure.withdrawn", Assert.Throws<DomainRuleException>(() => d.Withdraw("再撤", Now)).Code);
        Assert.Equal("disclosure.closed", Assert.Throws<DomainRuleException>(() => d.Object("意见", null, null, false, Today, Now)).Code);
    }

    [Fact]
    public void AnAnswer_MarksTheObjectionAnswered()
    {
        var o = Publish().Object("意见", null, null, false, Today, Now);
        o.AnswerWith("已核实。", "王受理", Now);
        Assert.Equal(ObjectionStatus.Answered, o.Status);
        Assert.Equal("已核实。", o.Answer);
        Assert.Equal("YY000000", o.Reference);
    }
}
