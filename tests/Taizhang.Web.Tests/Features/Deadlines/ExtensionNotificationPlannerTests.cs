using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Notifications;

namespace Taizhang.Web.Tests.Features.Deadlines;

/// <summary>The planner's part of 延期: an approved extension tells the reporter the new local due date; a refusal tells nobody.</summary>
public sealed class ExtensionNotificationPlannerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DuePolicy Due = new(ServiceLevels.Default, WorkingCalendar.WeekendsOnly, Shanghai);
    private static readonly Actor Clerk = new(ActorKind.User, "u-1", "镇办受理员");

    private static readonly Actor Unit = new(ActorKind.User, "test-unit", "承办人");

    /// <summary>2026-12-01 10:00 Shanghai.</summary>
    private static readonly DateTime At = new(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);

    private static Case Assigned()
    {
        var c = Case.Register(1, 11, Channel.Hotline, "路灯不亮", "村口路灯坏了两周。", Urgency.Normal, null,
            new ReporterInfo("张桂兰", "13912345678", ContactConsent: true), null, null, null, null, "TZ-000001", Due, Clerk, At);
        c.Triage(Track.Direct, Urgency.Normal, null, 11, Due, Clerk, At.AddMinutes(1));
        return c;
    }

    private static IReadOnlyList<Notification> Plan(Case c, int fromSequence) => NotificationPlanner.Plan(new NotificationPlanner.Input(
        c.TownId, c.TrackingCode, [new NotificationPlanner.Reporter("13912345678", true, null)],
        c.Events.Where(e => e.Sequence >= fromSequence).ToList(), _ => "三岔镇", [], "https://example.cn/track/TZ-000001", At,
        LocalDate: utc => Due.LocalDate(utc)));

    [Fact]
    public void AnApprovedExtension_TellsTheReporterTheNewLocalDate_ARefusalTellsNobody()
    {
        var c = Assigned();
        c.RequestExtension(new DateOnly(2026, 12, 31), "等待县里统一招标", Due, Unit, At.AddHours(1));
        var requested = c.EventCount;
        Assert.Empty(Plan(c, requested));

        c.DecideExtension(false, "理由不充分", mayApproveRepeat: false, Clerk, At.AddHours(2));
        Assert.Empty(Plan(c, c.EventCount));

        c.RequestExtension(new DateOnly(2026, 12, 31), "已补充招标计划", Due, Unit, At.AddHours(3));
        c.DecideExtension(true, null, mayApproveRepeat: false, Clerk, At.AddHours(4));
        var told = Assert.Single(Plan(c, c.EventCount));
        Assert.Equal((NotificationKind.Extended, RecipientKind.Reporter, NotificationChannel.Sms, NotificationTemplates.Extended),
            (told.Kind, told.RecipientKind, told.Channel, told.TemplateKey));
        // The due instant is the end of 2026-12-31 in Shanghai (16:00 UTC that day): the message says the 31st.
        Assert.Contains("\"dueDate\":\"2026-12-31\"", told.Parameters);
        Assert.DoesNotContain("张桂兰", told.Parameters);
    }
}
