using System.Text.Json;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Registering a case: the first event, the due date and the required, bounded title and description.</summary>
public sealed class CaseRegistrationTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Register_records_the_first_event_and_computes_the_due_date()
    {
        var at = CaseBuilder.Start;
        var c = _b.Register(reporter: new ReporterInfo("张三", "13800000001"), at: at);

        Assert.Equal(CaseStatus.Registered, c.Status);
        Assert.Equal(TestData.Town, c.TownId);
        Assert.Equal("路灯不亮", c.Title);
        Assert.Equal(at, c.RegisteredAt);
        Assert.Equal(at, c.UpdatedAt);
        Assert.Null(c.Track);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt); // 7 working days over National Day
        var r = Assert.Single(c.Reporters);
        Assert.Equal(("张三", "13800000001"), (r.Name, r.Phone));
        Assert.Null(r.FromCaseId);

        var e = Assert.Single(c.Events);
        Assert.Equal(1, e.Sequence);
        Assert.Equal(CaseAction.Register, e.Action);
        Assert.Null(e.FromStatus);
        Assert.Equal(CaseStatus.Registered, e.ToStatus);
        Assert.Equal(at, e.At);
        Assert.Equal(TestData.Clerk.Id, e.ActorId);
        Assert.Equal(TestData.Town, e.TownId);
        Assert.Same(c, e.Case);
        Assert.NotNull(e.Payload);
        using var payload = JsonDocument.Parse(e.Payload);
        Assert.Equal("Hotline", payload.RootElement.GetProperty("channel").GetString());
        Assert.Equal("Normal", payload.RootElement.GetProperty("urgency").GetString());
    }

    [Fact]
    public void Register_anonymous_keeps_the_phone_without_a_name_and_says_so_in_the_event()
    {
        var c = Register(new ReporterInfo("", "13800000001"), anonymous: true);

        Assert.True(c.Anonymous);
        var r = Assert.Single(c.Reporters);
        Assert.Equal(("", "13800000001"), (r.Name, r.Phone));
        using var payload = JsonDocument.Parse(Assert.Single(c.Events).Payload!);
        Assert.True(payload.RootElement.GetProperty("anonymous").GetBoolean());
        Assert.False(Register(new ReporterInfo("张三", null)).Anonymous);
        Assert.Empty(Register(null, anonymous: true).Reporters);
    }

    [Fact]
    public void Register_a_name_on_an_anonymous_report_or_none_on_a_named_one_is_refused()
    {
        var named = Assert.Throws<DomainRuleException>(() => Register(new ReporterInfo("张三", "13800000001"), anonymous: true));
        var unnamed = Assert.Throws<DomainRuleException>(() => Register(new ReporterInfo(" ", "13800000001")));

        Assert.Equal(("case.anonymous-named", "reporter.name"), (named.Code, named.Field));
        Assert.Equal(("case.reporter-unnamed", "reporter.name"), (unnamed.Code, unnamed.Field));
    }

    [Fact]
    public void Staff_enter_every_channel_but_the_public_and_integration_ones()
    {
        Assert.Equal(
            Enum.GetValues<Channel>().Except([Channel.WeChat, Channel.Web, Channel.Open311]).Order(),
            Channels.EnteredByStaff.Order());
    }

    private static Case Register(ReporterInfo? reporter, bool anonymous = false) =>
        Case.Register(TestData.Town, TestData.Village, Channel.WalkIn, "标题", "描述", Urgency.Normal, null, reporter,
            null, null, null, null, "TZ-9", TestData.Due, TestData.Clerk, CaseBuilder.Start, anonymous: anonymous);

    [Fact]
    public void Register_with_a_due_date_set_by_the_higher_level_is_due_at_the_end_of_that_day_and_says_so()
    {
        // CaseBuilder.Start is in Shanghai's 2026-09-30; the higher level gave 2026-10-09.
        var c = Case.Register(TestData.Town, TestData.Village, Channel.HigherLevel, "标题", "描述", Urgency.Normal, null, null,
            null, "12345-1", null, null, "TZ-8", TestData.Due, TestData.Clerk, CaseBuilder.Start, dueDate: new DateOnly(2026, 10, 9));

        Assert.Equal(TestData.Due.EndOfLocalDay(new DateOnly(2026, 10, 9)), c.DueAt);
        using var payload = JsonDocument.Parse(c.Events[0].Payload!);
        Assert.Equal("2026-10-09", payload.RootElement.GetProperty("dueDate").GetString());
        // Without one, the payload has no such member (events sealed before stay comparable).
        Assert.False(JsonDocument.Parse(Register(null).Events[0].Payload!).RootElement.TryGetProperty("dueDate", out _));

        var past = Assert.Throws<DomainRuleException>(() => Case.Register(TestData.Town, TestData.Village, Channel.HigherLevel, "标题", "描述",
            Urgency.Normal, null, null, null, null, null, null, "TZ-7", TestData.Due, TestData.Clerk, CaseBuilder.Start,
            dueDate: TestData.Due.LocalDate(CaseBuilder.Start).AddDays(-1)));
        Assert.Equal("case.due-date-past", past.Code);
    }

    [Fact]
    public void Register_trims_title_and_description()
    {
        var c = Case.Register(TestData.Town, TestData.Village, Channel.WeChat, "  标题  ", "\t描述 ", Urgency.Low, null, null,
            null, null, null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start);
        Assert.Equal("标题", c.Title);
        Assert.Equal("描述", c.Description);
        Assert.Empty(c.Reporters);
    }

    [Theory]
    [InlineData("", "description", "title")]
    [InlineData("   ", "description", "title")]
    [InlineData("title", "", "description")]
    [InlineData("title", " \n ", "description")]
    public void Register_requires_title_and_description(string title, string description, string field)
    {
        var ex = Assert.Throws<DomainRuleException>(() => Case.Register(TestData.Town, TestData.Village, Channel.Web, title,
            description, Urgency.Normal, null, null, null, null, null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Register_refuses_a_too_long_title()
    {
        var ex = Assert.Throws<DomainRuleException>(() => Case.Register(TestData.Town, TestData.Village, Channel.Web,
            new string('题', Case.TitleMaxLength + 1), "d", Urgency.Normal, null, null, null, null, null, null, "TZ-1",
            TestData.Due, TestData.Clerk, CaseBuilder.Start));
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("title", ex.Field);
        Assert.Equal("200", ex.Args["max"]);
    }

    [Fact]
    public void Register_accepts_a_title_of_exactly_the_maximum_length()
    {
        var title = new string('题', Case.TitleMaxLength);
        var c = Case.Register(TestData.Town, TestData.Village, Channel.Web, title, "d", Urgency.Normal, null, null, null, null,
            null, null, "TZ-1", TestData.Due, TestData.Clerk, CaseBuilder.Start);
        Assert.Equal(title, c.Title);
    }

    [Fact]
    public void Register_refuses_a_non_UTC_instant()
    {
        var local = new DateTime(2026, 9, 30, 10, 0, 0, DateTimeKind.Local);
        Assert.Throws<ArgumentException>(() => _b.Register(at: local));
    }
}
