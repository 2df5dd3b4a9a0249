using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Taizhang.Web.Features.Notifications;

/// <summary>An error answer of the WeChat API ({"errcode":…,"errmsg":…}).</summary>
public sealed class WeChatApiException(int code) : Exception("WeChat API errcode " + code.ToString(CultureInfo.InvariantCulture))
{
    public int Code { get; } = code;
}

/// <summary>
/// The official account's access_token (GET /cgi-bin/token?grant_type=client_credential&amp;appid=&amp;secret=
/// → {"access_token":…,"expires_in":7200}): fetched once, kept until five minutes before it expires
/// (the documentation asks callers to cache it: fetching a new one invalidates the old), fetched again
/// on demand when the API says it is invalid or expired.
/// </summary>
public sealed class WeChatAccessToken(HttpClient http, NotificationOptions options, IConfiguration configuration, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _refreshAt;

    public async Task<string> GetAsync(string? invalid, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // Another message may have replaced the token someone found invalid: use that one.
            if (_token is not null && _token != invalid && clock.GetUtcNow() < _refreshAt)
            {
                return _token;
            }
            var url = Base(options) + "cgi-bin/token?grant_type=client_credential&appid=" + Uri.EscapeDataString(configuration["WeChat:AppId"] ?? "")
                + "&secret=" + Uri.EscapeDataString(configuration["WeChat:AppSecret"] ?? "");
            using var response = await http.GetAsync(new Uri(url), ct);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = doc.RootElement;
            if (root.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value)
            {
                var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 7200;
                _token = value;
                _refreshAt = clock.GetUtcNow().AddSeconds(Math.Max(seconds - 300, seconds / 2));
                return value;
            }
            throw new WeChatApiException(root.TryGetProperty("errcode", out var code) && code.TryGetInt32(out var c) ? c : -1);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static string Base(NotificationOptions options) =>
        options.WeChat.BaseUrl.EndsWith('/') ? options.WeChat.BaseUrl : options.WeChat.BaseUrl + "/";
}

/// <summary>
/// 客服消息: POST /cgi-bin/message/custom/send?access_token=… with
/// {"touser":OpenID,"msgtype":"text","text":{"content":…}}; {"errcode":0} is delivered. An invalid or
/// expired token (40001, 42001, 40014) is fetched again once and the message sent again; 45015 (the
/// resident has not written within 48 hours), 43004 (unsubscribed) and 40003 (no such OpenID) are
/// permanent; anything else is retried later.
/// </summary>
public sealed class WeChatCustomMessageSender(HttpClient http, WeChatAccessToken tokens, NotificationOptions options) : INotificationSender
{
    private static readonly int[] TokenErrors = [40001, 42001, 40014];
    private static readonly int[] PermanentErrors = [45015, 43004, 40003, 43019];

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        string? invalid = null;
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try
            {
                token = await tokens.GetAsync(invalid, ct);
            }
            catch (WeChatApiException e)
            {
                return new SendResult(SendOutcome.Retry, "wechat token: errcode " + e.Code.ToString(CultureInfo.InvariantCulture));
            }
            var url = WeChatAccessToken.Base(options) + "cgi-bin/message/custom/send?access_token=" + Uri.EscapeDataString(token);
            using var response = await http.PostAsJsonAsync(new Uri(url),
                new { touser = message.Address, msgtype = "text", text = new { content = message.Text } }, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new SendResult(SendOutcome.Retry, "wechat: HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            int code;
            try
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                code = doc.RootElement.TryGetProperty("errcode", out var c) && c.TryGetInt32(out var v) ? v : 0;
            }
            catch (JsonException)
            {
                return new SendResult(SendOutcome.Retry, "wechat: unreadable answer");
            }
            if (code == 0)
            {
                return SendResult.Delivered;
            }
            if (TokenErrors.Contains(code) && attempt == 0)
            {
                invalid = token;
                continue;
            }
            var error = "wechat: errcode " + code.ToString(CultureInfo.InvariantCulture);
            return new SendResult(PermanentErrors.Contains(code) ? SendOutcome.Permanent : SendOutcome.Retry, error);
        }
    }
}
