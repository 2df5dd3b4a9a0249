using System.Text.Json;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>An explicit due date set at triage overrides the service level: due at the end of that local day.</summary>
public sealed class TriageDueDateTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Triage_with_a_due_date_is_due_at_the_end_of_that_local_day_and_records_it()
    {
        var c = _b.Register();
        var at = _b.Tick();

        c.Triage(Track.Direct, Urgency.Normal, null, null, TestData.Due, TestData.Clerk, at, new DateOnly(2026, 10, 20));

        // 2026-10-21 00:00 in Shanghai.
        Assert.Equal(TestData.Utc(2026, 10, 20, 16), c.DueAt);
        using var payload = JsonDocument.Parse(c.Events[^1].Payload!);
        Assert.Equal("2026-10-20", payload.RootElement.GetProperty("dueDate").GetString());
        Assert.Equal(c.DueAt, payload.RootElement.GetProperty("dueAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public void Triage_with_a_due_date_overrides_a_changed_urgency()
    {
        var c = _b.Register();
        c.Triage(Track.Topic, Urgency.Urgent, null, null, TestData.Due, TestData.Clerk, _b.Tick(), new DateOnly(2026, 11, 2));

        Assert.Equal(Urgency.Urgent, c.Urgency);
        Assert.Equal(TestData.Utc(2026, 11, 2, 16), c.DueAt);
    }

    [Fact]
    public void Triage_today_as_due_date_is_allowed()
    {
        var c = _b.Register();
        var at = _b.Tick();
        var today = TestData.Due.LocalDate(at);

        c.Triage(Track.Direct, Urgency.Normal, null, null, TestData.Due, TestData.Clerk, at, today);

        Assert.Equal(TestData.Due.EndOfLocalDay(today), c.DueAt);
    }

    [Fact]
    public void Triage_with_a_past_due_date_is_refused_and_changes_nothing()
    {
        var c = _b.Register();
        var before = (c.Status, c.DueAt, c.Events.Count, c.Track);
        var at = _b.Tick();
        var yesterday = TestData.Due.LocalDate(at).AddDays(-1);

        var e = Assert.Throws<DomainRuleException>(() =>
            c.Triage(Track.Direct, Urgency.High, null, null, TestData.Due, TestData.Clerk, at, yesterday));

        Assert.Equal("case.due-date-past", e.Code);
        Assert.Equal("dueDate", e.Field);
        Assert.Equal((c.Status, c.DueAt, c.Events.Count, c.Track), before);
    }

    [Fact]
    public void Triage_without_a_due_date_keeps_the_service_level_and_records_null()
    {
        var c = _b.Register();
        var due = c.DueAt;
        c.Triage(Track.Direct, Urgency.Normal, null, null, TestData.Due, TestData.Clerk, _b.Tick());

        Assert.Equal(due, c.DueAt);
        using var payload = JsonDocument.Parse(c.Events[^1].Payload!);
        Assert.Equal(JsonValueKind.Null, payload.RootElement.GetProperty("dueDate").ValueKind);
    }
}
