using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Notifications;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Notifications;

/// <summary>
/// The notification outbox end to end: rows written with the case change that causes them, delivered
/// by the real senders over real HTTP to <see cref="FakeProviders"/> (the documented Alibaba Cloud SMS
/// and WeChat endpoints), retried with backoff, dead-lettered, retried by an administrator, never sent
/// twice once delivered. The sender is driven by calling SendDueAsync (the loop is off in tests).
/// </summary>
public abstract class NotificationTests(TaizhangApp app, INotificationsApp notifications)
{
    private readonly FakeProviders _fake = notifications.Fake;
    private HttpClient Town => app.SharedClientAs("town");

    private static int _phones;

    /// <summary>A number of its own per test, so that the fake's per-number answers never meet another test's message.</summary>
    private static string NewPhone() => "1371" + Interlocked.Increment(ref _phones).ToString("D7", System.Globalization.CultureInfo.InvariantCulture)
;

    private static object Body(string title, string? phone, bool consent, bool anonymous = false, string orgUnit = "SCH-MJC") => new
    {
        channel = "Hotline",
        title,
        description = title + "，请尽快处理。",
        reporter = new { name = anonymous ? null : "张桂兰", phone },
        orgUnit,
        anonymous,
        contactConsent = consent,
    };

    private Task<int> SendAsync() => app.Services.GetRequiredService<NotificationDispatcher>().SendDueAsync(CancellationToken.None);

    private Task<List<Notification>> RowsAsync(long caseId) =>
        app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.CaseId == caseId).OrderBy(n => n.Id).ToListAsync());

    private Task<Notification> RowAsync(long id) => app.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == id));

    private async Task SetPhoneAsync(string who, string phone)
    {
        var userName = await app.EnsureUserAsync(who);
        await app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).ExecuteUpdateAsync(s => s.SetProperty(u => u.PhoneNumber, phone)));
    }

    [Fact]
    public async Task ARegistrationWithPhoneAndConsent_QueuesOneSms_WithTheRatingCode_AndItsRepeatQueuesNothing()
    {
        var phone = NewPhone();
        var key = "notify-" + Guid.NewGuid().ToString("N");
        var created = await Town.RegisterAsync(Body("通知：路灯不亮", phone, consent: true), key);
        var id = created.Id();
        var ratingCode = created["ratingCode"]!.GetValue<string>();

        var row = Assert.Single(await RowsAsync(id));
        Assert.Equal((NotificationKind.Registered, RecipientKind.Reporter, NotificationChannel.Sms, phone, NotificationStatus.Pending),
            (row.Kind, row.RecipientKind, row.Channel, row.Address, row.Status));
        Assert.Equal(NotificationTemplates.Registered, row.TemplateKey);
        Assert.Contains("\"ratingCode\":\"" + ratingCode + "\"", row.Parameters);
        Assert.Contains("\"trackingCode\":\"" + created.TrackingCode() + "\"", row.Parameters);
        Assert.Contains("https://taizhang.example.cn/track/" + created.TrackingCode(), row.Parameters);

        var again = await Town.RegisterAsync(Body("通知：路灯不亮", phone, consent: true), key);
        Assert.Equal(id, again.Id());
        Assert.Single(await RowsAsync(id));
    }

    [Fact]
    public async Task ARegistrationWithoutConsent_OrWithoutAPhone_QueuesNothing()
    {
        var noConsent = await Town.RegisterIdAsync(Body("通知：未同意联系", NewPhone(), consent: false));
        var noPhone = await Town.RegisterIdAsync(Body("通知：未留电话", null, consent: true));
        var anonymous = await Town.RegisterIdAsync(Body("通知：匿名无电话", null, consent: true, anonymous: true));
        foreach (var id in new[] { noConsent, noPhone, anonymous })
        {
            Assert.Empty(await RowsAsync(id));
        }
    }

    [Fact]
    public async Task EveryChange_QueuesItsMessages_ToTheReporter_AndToTheUnitsTold()
    {
        var cadrePhone = NewPhone();
        var townPhone = NewPhone();
        await SetPhoneAsync("cadre", cadrePhone);
        await SetPhoneAsync("town", townPhone);
        await app.EnsureUserAsync("cadre-wjc"); // an account at 王家村 without a phone
        var phone = NewPhone();
        var id = await Town.RegisterIdAsync(Body("通知：排水沟堵塞", phone, consent: true));
        var wjc = await app.UnitIdAsync("SCH-WJC");
        var mjc = await app.UnitIdAsync("SCH-MJC");
        var town = await app.UnitIdAsync("SCH");

        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await app.SharedClientAs("cadre").DoAsync(id, "return", new { reason = "不属于本村管辖" });
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        await Town.DoAsync(id, "transfer", new { toUnit = "SCH-MJC", reason = "由马家村牵头" });
        await Town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已清理排水沟" });
        await Town.DoAsync(id, "follow-up", new { satisfaction = "Satisfied" });

        var rows = await RowsAsync(id);
        Assert.Equal(
        [
            (NotificationKind.Registered, NotificationChannel.Sms, phone, (long?)null),
            (NotificationKind.Assigned, NotificationChannel.Sms, cadrePhone, mjc),
            (NotificationKind.Returned, NotificationChannel.Sms, townPhone, town),
            (NotificationKind.Assigned, NotificationChannel.File, "unit:" + wjc, wjc),
            (NotificationKind.Transferred, NotificationChannel.Sms, cadrePhone, mjc),
            (NotificationKind.Resolved, NotificationChannel.Sms, phone, null),
            (NotificationKind.FollowedUp, NotificationChannel.Sms, phone, null),
        ], rows.Select(r => (r.Kind, r.Channel, r.Address, r.UnitId)).ToArray());
        Assert.Contains("\"unit\":\"马家村\"", rows[2].Parameters);
        Assert.Contains("\"satisfaction\":\"满意\"", rows[^1].Parameters);
        Assert.DoesNotContain(rows.Skip(1), r => r.Parameters.Contains("ratingCode", StringComparison.Ordinal));

        var rejected = await Town.RegisterIdAsync(Body("通知：要求补偿", phone, consent: true));
        await Town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        var reject = (await RowsAsync(rejected))[^1];
        Assert.Equal(NotificationKind.Rejected, reject.Kind);
        Assert.Contains("\"reason\":\"不属于受理范围\"", reject.Parameters);

        // A refused change writes no notification either.
        var before = (await RowsAsync(id)).Count;
        using var refused = await Town.ActAsync(id, "resolve", new { outcome = "Solved", result = "再办一次" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(before, (await RowsAsync(id)).Count);

        await SendAsync();
        Assert.All(await RowsAsync(id), r => Assert.Equal(NotificationStatus.Delivered, r.Status));
        // The unit without a phone is on record in the file sink, with our text.
        var lines = await File.ReadAllLinesAsync(notifications.NotificationFile);
        Assert.Contains(lines, l => l.Contains("\"to\":\"unit:" + wjc + "\"", StringComparison.Ordinal) && l.Contains("已交王家村办理", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnSms_IsDeliveredThroughTheProvider_Signed_AndItsRatingCode_IsScrubbed_AndNeverShownToAdministrators()
    {
        var phone = NewPhone();
        var created = await Town.RegisterAsync(Body("通知：垃圾未清运", phone, consent: true));
        var ratingCode = created["ratingCode"]!.GetValue<string>();
        var row = Assert.Single(await RowsAsync(created.Id()));
        var admin = app.SharedClientAs("admin-sch");
        var masked = phone[..3] + "****" + phone[^4..];

        var (status, pending) = await admin.GetHtmlAsync("/admin/notifications?status=Pending");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(masked, pending);
        Assert.Contains("含评价码", pending);
        Assert.DoesNotContain(phone, pending);
        Assert.DoesNotContain(ratingCode, pending);

        await SendAsync();

        var sent = Assert.Single(_fake.SmsSent, s => s.Phone == phone);
        Assert.Equal(0, _fake.SignatureFailures);
        Assert.Equal("三岔镇人民政府", sent.SignName);
        Assert.Equal("SMS_900000", sent.TemplateCode);
        Assert.Equal(ratingCode, sent.Params["ratingCode"]);
        Assert.Equal(created.TrackingCode(), sent.Params["trackingCode"]);
        Assert.Equal("三岔镇", sent.Params["town"]);
        var delivered = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.Delivered, 1), (delivered.Status, delivered.Attempts));
        Assert.NotNull(delivered.DeliveredAt);
        Assert.DoesNotContain("ratingCode", delivered.Parameters);
        Assert.DoesNotContain(ratingCode, delivered.Parameters);
        Assert.Contains(created.TrackingCode(), delivered.Parameters);

        var (_, after) = await admin.GetHtmlAsync("/admin/notifications");
        Assert.Contains($"data-id=\"{row.Id}\" data-status=\"Delivered\"", after);
        Assert.DoesNotContain(ratingCode, after);
        Assert.DoesNotContain(phone, after);
    }

    [Fact]
    public async Task AProviderFailure_IsRetriedWithBackoff_AndDeliveredOnceItRecovers()
    {
        var phone = NewPhone();
        _fake.FailSms(phone, "isv.BUSINESS_LIMIT_CONTROL", "503");
        var id = await Town.RegisterIdAsync(Body("通知：供水中断", phone, consent: true));
        var row = Assert.Single(await RowsAsync(id));

        var t0 = app.Clock.GetUtcNow().UtcDateTime;
        await SendAsync();
        var first = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.Pending, 1), (first.Status, first.Attempts));
        Assert.InRange(first.NextAttemptAt, t0.AddSeconds(59.9), t0.AddSeconds(60.1));
        Assert.Contains("isv.BUSINESS_LIMIT_CONTROL", first.LastError);
        Assert.DoesNotContain(phone, first.LastError);

        // Not due yet: nothing is attempted.
        await SendAsync();
        Assert.Equal(1, (await RowAsync(row.Id)).Attempts);

        app.Clock.Advance(TimeSpan.FromSeconds(60));
        var t1 = app.Clock.GetUtcNow().UtcDateTime;
        await SendAsync();
        var second = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.Pending, 2), (second.Status, second.Attempts));
        Assert.InRange(second.NextAttemptAt, t1.AddSeconds(119.9), t1.AddSeconds(120.1));
        Assert.Contains("503", second.LastError);
        Assert.DoesNotContain(_fake.SmsSent, s => s.Phone == phone);

        app.Clock.Advance(TimeSpan.FromSeconds(120));
        await SendAsync();
        var third = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.Delivered, 3), (third.Status, third.Attempts));
        Assert.Null(third.LastError);
        Assert.Single(_fake.SmsSent, s => s.Phone == phone);
    }

    [Fact]
    public async Task APermanentRefusal_IsADeadLetter_AndAnAdministratorsConfirmedRetry_DeliversIt()
    {
        var phone = NewPhone();
        _fake.IllegalNumbers[phone] = true;
        var id = await Town.RegisterIdAsync(Body("通知：号码有误", phone, consent: true));
        var row = Assert.Single(await RowsAsync(id));
        await SendAsync();
        var dead = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.DeadLetter, 1), (dead.Status, dead.Attempts));
        Assert.Contains("isv.MOBILE_NUMBER_ILLEGAL", dead.LastError);

        var admin = app.SharedClientAs("admin-sch");
        var (_, page) = await admin.GetHtmlAsync("/admin/notifications?status=DeadLetter");
        Assert.Contains($"data-id=\"{row.Id}\" data-status=\"DeadLetter\"", page);
        Assert.Contains("action=\"/admin/notifications?handler=Retry\"", page);

        // Not confirmed: refused next to the form, nothing changes.
        using (var unconfirmed = await admin.PostFormAsync("/admin/notifications?handler=Retry", ("id", row.Id.ToString())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
            Assert.Contains("确认重发", await unconfirmed.Content.ReadAsStringAsync());
        }
        Assert.Equal(NotificationStatus.DeadLetter, (await RowAsync(row.Id)).Status);
        // Only dead letters: a delivered or pending row is not retried.
        using (var notDead = await admin.PostFormAsync("/admin/notifications?handler=Retry", ("id", "999999999"), ("confirm", "true")))
        {
            Assert.Equal(HttpStatusCode.NotFound, notDead.StatusCode);
        }

        _fake.IllegalNumbers.TryRemove(phone, out _);
        using (var retry = await admin.PostFormAsync("/admin/notifications?handler=Retry", ("id", row.Id.ToString()), ("confirm", "true")))
        {
            Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        }
        var queued = await RowAsync(row.Id);
        Assert.Equal((NotificationStatus.Pending, 0), (queued.Status, queued.Attempts));
        Assert.True(await app.WithDbAsync(db => db.AdminEvents.AnyAsync(e => e.Action == "notification.retry" && e.Target == "notification:" + row.Id)));

        await SendAsync();
        Assert.Equal(NotificationStatus.Delivered, (await RowAsync(row.Id)).Status);
        Assert.Single(_fake.SmsSent, s => s.Phone == phone);
    }

    [Fact]
    public async Task WeChat_FetchesItsTokenOnce_AndAgainWhenItExpires_AndAClosedWindowIsADeadLetter()
    {
        var id = await Town.RegisterIdAsync(Body("通知：微信群众", null, consent: false));
        var townId = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.TownId).SingleAsync());
        var openIds = Enumerable.Range(0, 5).Select(_ => "o" + Guid.NewGuid().ToString("N")[..27]).ToArray();
        async Task<long> EnqueueAsync(string openId, string text) => await app.WithDbAsync(async db =>
        {
            var n = NotificationOutbox.Enqueue(db, id, townId, NotificationChannel.WeChat, openId, text, app.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            return n.Id;
        });

        var fetches = _fake.TokenFetches;
        var a = await EnqueueAsync(openIds[0], "第一条消息");
        var b = await EnqueueAsync(openIds[1], "第二条消息");
        await SendAsync();
        Assert.Equal(NotificationStatus.Delivered, (await RowAsync(a)).Status);
        Assert.Equal(NotificationStatus.Delivered, (await RowAsync(b)).Status);
        // At most one fetch for both (none when an earlier test of this app left a fresh token).
        Assert.InRange(_fake.TokenFetches - fetches, 0, 1);
        var cached = _fake.TokenFetches;
        Assert.Equal("第一条消息", Assert.Single(_fake.WeChatSent, m => m.OpenId == openIds[0]).Content);

        _fake.ExpireTokenOnce();
        var c = await EnqueueAsync(openIds[2], "令牌过期后的消息");
        await SendAsync();
        Assert.Equal((NotificationStatus.Delivered, 1), ((await RowAsync(c)).Status, (await RowAsync(c)).Attempts));
        Assert.Equal(cached + 1, _fake.TokenFetches);
        Assert.Single(_fake.WeChatSent, m => m.OpenId == openIds[2]);

        _fake.WindowClosed[openIds[3]] = true;
        var d = await EnqueueAsync(openIds[3], "超过48小时");
        _fake.FailWeChat(openIds[4], "-1");
        var e = await EnqueueAsync(openIds[4], "系统繁忙时");
        await SendAsync();
        var closed = await RowAsync(d);
        Assert.Equal(NotificationStatus.DeadLetter, closed.Status);
        Assert.Contains("45015", closed.LastError);
        var busy = await RowAsync(e);
        Assert.Equal((NotificationStatus.Pending, 1), (busy.Status, busy.Attempts));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync();
        Assert.Equal(NotificationStatus.Delivered, (await RowAsync(e)).Status);
        Assert.Equal(cached + 1, _fake.TokenFetches);

        // The admin list shows an OpenID by its first letters only.
        var (_, html) = await app.SharedClientAs("admin-sch").GetHtmlAsync("/admin/notifications?channel=WeChat");
        Assert.Contains(openIds[0][..4] + "****", html);
        Assert.DoesNotContain(openIds[0], html);
    }

    [Fact]
    public async Task AWeChatRegistration_TellsTheReporterByCustomMessage_WithTheTrackingAndRatingCodes()
    {
        var openId = "o" + Guid.NewGuid().ToString("N")[..27];
        RegisterCase.Outcome outcome;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // As the WeChat channel registers: as itself, with the sender's OpenID (never from a body).
            await scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsChannelAsync(Channel.WeChat, "channel:wechat", "微信公众号");
            outcome = await scope.ServiceProvider.GetRequiredService<RegisterCase.Handler>().HandleAsync(
                new RegisterCase.Request("WeChat", "微信：路面塌陷", "村口路面塌陷，车辆难以通行。", null, "SCH-MJC", null, null, null, null, null),
                null, openId, CancellationToken.None);
        }
        var row = Assert.Single(await RowsAsync(outcome.Case.Id));
        Assert.Equal((NotificationKind.Registered, NotificationChannel.WeChat, openId), (row.Kind, row.Channel, row.Address));

        await SendAsync();
        var message = Assert.Single(_fake.WeChatSent, m => m.OpenId == openId);
        Assert.Equal($"【三岔镇】您反映的问题已受理，查询码{outcome.Case.TrackingCode}，评价码{outcome.Case.RatingCode}（请妥善保存，办结后凭此评价），"
            + $"可在https://taizhang.example.cn/track/{outcome.Case.TrackingCode}查询。", message.Content);
        Assert.DoesNotContain("ratingCode", (await RowAsync(row.Id)).Parameters);
    }

    [Fact]
    public async Task ATownAdministrator_SeesTheirTownsOutbox_AndRetriesNothingOfAnotherTown()
    {
        var county = app.SharedClientAs("admin-county");
        var code = "HK" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        using (var created = await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code, name = "河口镇", kind = "Town", parent = "ZX" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var otherTown = await app.UnitIdAsync(code);
        // A case of the other town, by its own clerk (a notification belongs to its case's town: on PostgreSQL the
        // Citus-ready foreign key (CaseId, TownId) refuses any other).
        using (var village = await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = code + "-V", name = "东村", kind = "Village", parent = code }))
        {
            Assert.Equal(HttpStatusCode.Created, village.StatusCode);
        }
        var clerkName = "clerk-" + code.ToLowerInvariant();
        using (var clerk = await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = clerkName, displayName = "河口镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = code } },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, clerk.StatusCode);
        }
        var otherClerk = await app.SignInClientAsync(clerkName, TaizhangApp.Password);
        var id = await otherClerk.RegisterIdAsync(Body("通知：另一镇的消息", null, consent: false, orgUnit: code + "-V"));
        var openId = "o" + Guid.NewGuid().ToString("N")[..27];
        _fake.WindowClosed[openId] = true;
        var other = await app.WithDbAsync(async db =>
        {
            // Filed under the other town: the scope goes by the row's town.
            var n = NotificationOutbox.Enqueue(db, id, otherTown, NotificationChannel.WeChat, openId, "河口镇的消息", app.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            return n.Id;
        });
        await SendAsync();
        Assert.Equal(NotificationStatus.DeadLetter, (await RowAsync(other)).Status);

        var (_, countyPage) = await county.GetHtmlAsync("/admin/notifications?status=DeadLetter");
        Assert.Contains($"data-id=\"{other}\"", countyPage);
        var townAdmin = app.SharedClientAs("admin-sch");
        var (_, townPage) = await townAdmin.GetHtmlAsync("/admin/notifications?status=DeadLetter");
        Assert.DoesNotContain($"data-id=\"{other}\"", townPage);
        using (var retry = await townAdmin.PostFormAsync("/admin/notifications?handler=Retry", ("id", other.ToString()), ("confirm", "true")))
        {
            Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        }
        Assert.Equal(NotificationStatus.DeadLetter, (await RowAsync(other)).Status);
    }

    [Fact]
    public async Task ARestart_NeverSendsADeliveredMessageAgain_AndAnAbandonedClaimIsSentAfterItsLease()
    {
        var phone = NewPhone();
        var id = await Town.RegisterIdAsync(Body("通知：重启不重发", phone, consent: true));
        await SendAsync();
        Assert.Single(_fake.SmsSent, s => s.Phone == phone);

        // Another process (or this one after a restart) with a sender of its own.
        var restarted = ActivatorUtilities.CreateInstance<NotificationDispatcher>(app.Services);
        await restarted.SendDueAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromDays(2));
        await restarted.SendDueAsync(CancellationToken.None);
        Assert.Single(_fake.SmsSent, s => s.Phone == phone);
        Assert.Equal(1, Assert.Single(await RowsAsync(id)).Attempts);

        // A process died while sending: its claim holds for the lease, then the message goes out once.
        var other = NewPhone();
        var second = await Town.RegisterIdAsync(Body("通知：发送中断", other, consent: true));
        var row = Assert.Single(await RowsAsync(second));
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NotificationStatus.Sending).SetProperty(n => n.ClaimToken, "crashed")
            .SetProperty(n => n.ClaimedUntil, now.AddMinutes(5))));
        await SendAsync();
        Assert.DoesNotContain(_fake.SmsSent, s => s.Phone == other);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await SendAsync();
        await SendAsync();
        Assert.Single(_fake.SmsSent, s => s.Phone == other);
        Assert.Equal(NotificationStatus.Delivered, (await RowAsync(row.Id)).Status);
    }

    [Fact]
    public async Task Templates_AnUnknownPlaceholderIsRefusedAtItsField_APreviewFillsSamples_ASavedTextIsSent_AndResetRestoresTheDefault()
    {
        var county = app.SharedClientAs("admin-county");
        const string key = NotificationTemplates.UnitAssigned;
        var bad = "【{镇名}】事项{跟踪码}请{负责人}处理";
        using (var refused = await county.PostFormAsync("/admin/notifications/templates?handler=Save", ("key", key), ("text", bad)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains("id=\"text-unit-assigned-error\"", html);
            Assert.Contains("不能使用占位符 {负责人}", html);
            // What was typed is kept in its box.
            Assert.Contains(">" + bad + "</textarea>", html);
        }
        Assert.False(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key == NotificationTemplates.SettingPrefix + key)));

        var good = "【{镇名}】新交办：{跟踪码}，{单位}请查收。";
        using (var preview = await county.PostFormAsync("/admin/notifications/templates?handler=Preview", ("key", key), ("text", good)))
        {
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            Assert.Contains("【三岔镇】新交办：SCH-2026-ABCD23，马家村请查收。", await preview.Content.ReadAsStringAsync());
        }
        // A town administrator reads the templates but changes none (they apply to every town).
        var (townStatus, townPage) = await app.SharedClientAs("admin-sch").GetHtmlAsync("/admin/notifications/templates");
        Assert.Equal(HttpStatusCode.OK, townStatus);
        Assert.Contains("id=\"templates-read-only\"", townPage);
        using (var forbidden = await app.SharedClientAs("admin-sch").PostFormAsync("/admin/notifications/templates?handler=Save", ("key", key), ("text", good)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var saved = await county.PostFormAsync("/admin/notifications/templates?handler=Save", ("key", key), ("text", good)))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }
        Assert.True(await app.WithDbAsync(db => db.AdminEvents.AnyAsync(e => e.Action == "notification-template.put" && e.Target == "notification-template:" + key)));

        await app.EnsureUserAsync("cadre-wjc");
        var id = await Town.RegisterIdAsync(Body("通知：模板生效", null, consent: false));
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        var code = (await Town.GetCaseAsync(id)).TrackingCode();
        await SendAsync();
        var lines = await File.ReadAllLinesAsync(notifications.NotificationFile);
        Assert.Contains(lines, l => l.Contains("【三岔镇】新交办：" + code + "，王家村请查收。", StringComparison.Ordinal));

        using (var reset = await county.PostFormAsync("/admin/notifications/templates?handler=Reset", ("key", key)))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }
        var (_, page) = await county.GetHtmlAsync("/admin/notifications/templates");
        Assert.Contains($"data-key=\"{key}\" data-customized=\"false\"", page);
        Assert.False(await app.WithDbAsync(db => db.Settings.AnyAsync(s => s.Key == NotificationTemplates.SettingPrefix + key)));
    }
}

public sealed class NotificationTests_Sqlite(NotificationsSqliteApp app) : NotificationTests(app, app), IClassFixture<NotificationsSqliteApp>;

public sealed class NotificationTests_Postgres(NotificationsPostgresApp app) : NotificationTests(app, app), IClassFixture<NotificationsPostgresApp>;
