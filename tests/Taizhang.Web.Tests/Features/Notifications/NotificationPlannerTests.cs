using Taizhang.Web.Data;
using Taizhang.Web.Features.Notifications;

namespace Taizhang.Web.Tests.Features.Notifications;

/// <summary>The pure parts: which channel reaches a reporter, the backoff, the templates' placeholders.</summary>
public sealed class NotificationPlannerTests
{
    [Theory]
    [InlineData("oWeChat123", "13912345678", true, NotificationChannel.WeChat, "oWeChat123")]
    [InlineData("oWeChat123", null, false, NotificationChannel.WeChat, "oWeChat123")]
    [InlineData(null, "13912345678", true, NotificationChannel.Sms, "13912345678")]
    [InlineData(null, "13912345678", false, null, null)]
    [InlineData(null, null, true, null, null)]
    [InlineData(null, "", true, null, null)]
    public void AReporter_IsReachedThroughTheChannelTheyCameFrom_AndBySmsOnlyWithConsent(
        string? openId, string? phone, bool consent, NotificationChannel? channel, string? address)
    {
        Assert.Equal((channel, address), NotificationPlanner.ReporterChannel(new NotificationPlanner.Reporter(phone, consent, openId)));
    }

    [Fact]
    public void Backoff_DoublesFromTheBase_UpToTheMaximum()
    {
        var options = new NotificationOptions { RetryBaseSeconds = 60, RetryMaxSeconds = 3600 };
        Assert.Equal([60, 120, 240, 480, 960, 1920, 3600, 3600],
            Enumerable.Range(1, 8).Select(n => options.Backoff(n).TotalSeconds).ToArray());
    }

    [Fact]
    public void Templates_FillTheirPlaceholders_AndNameTheOnesTheyDoNotOffer()
    {
        var registered = NotificationTemplates.ByKey[NotificationTemplates.Registered];
        Assert.Equal("【三岔镇】您反映的问题已受理，查询码SCH-2026-ABCD23，评价码12345678（请妥善保存，办结后凭此评价），可在https://example.cn/track/SCH-2026-ABCD23查询。",
            NotificationTemplates.Render(registered.DefaultText, NotificationTemplates.SampleValues));
        Assert.Empty(NotificationTemplates.Unknown(registered, registered.DefaultText));
        Assert.Equal(["姓名", "原因"], NotificationTemplates.Unknown(registered, "{姓名}您好，{跟踪码}{原因}{姓名}"));
        // The rating code is offered by the registration's template only.
        Assert.All(NotificationTemplates.All.Where(t => t.Key != NotificationTemplates.Registered), t => Assert.DoesNotContain("评价码", t.Allowed));
    }

    [Fact]
    public void TheSmsSignature_IsHmacSha1OverTheSortedPercentEncodedQuery()
    {
        // StringToSign = POST&%2F&percentEncode("A=1&B=x%20y%2A~") with the key "secret&".
        var signature = AliyunSmsSender.Sign("POST", [new("B", "x y*~"), new("A", "1"), new("Signature", "ignored")], "secret");
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            "secret&"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("POST&%2F&A%3D1%26B%3Dx%2520y%252A~")));
        Assert.Equal(expected, signature);
    }
}
