using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// Alibaba Cloud SMS, API version 2017-05-25, action <c>SendSms</c>, in the RPC style: every
/// parameter (the common ones and PhoneNumbers, SignName, TemplateCode, TemplateParam) is sorted by
/// name, each name and value percent-encoded (RFC 3986: only A–Z a–z 0–9 - _ . ~ stay), joined with
/// &amp; and =; StringToSign = METHOD &amp; percentEncode("/") &amp; percentEncode(that);
/// Signature = Base64(HMAC-SHA1(AccessKeySecret + "&amp;", StringToSign)) (SignatureMethod HMAC-SHA1,
/// SignatureVersion 1.0, a fresh SignatureNonce, Timestamp in UTC ISO 8601). The answer's <c>Code</c>
/// is "OK" on success, else an error code: a throttle (isv.BUSINESS_LIMIT_CONTROL) is retried later,
/// an invalid number (isv.MOBILE_NUMBER_ILLEGAL) is permanent.
/// </summary>
public sealed class AliyunSmsSender(HttpClient http, NotificationOptions options, TimeProvider clock) : INotificationSender
{
    public const string ApiVersion = "2017-05-25";

    /// <summary>Refusals that no retry changes: the number, the template or the signature is wrong for good.</summary>
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS", "isv.INVALID_PARAMETERS", "isv.PARAM_LENGTH_LIMIT", "isv.INVALID_JSON_PARAM",
        "isv.BLACK_KEY_CONTROL_LIMIT", "isv.SMS_CONTENT_ILLEGAL", "isv.SMS_SIGN_ILLEGAL", "isv.SMS_TEMPLATE_NOT_EXIST",
    };

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var sms = options.Sms;
        if (!sms.Templates.TryGetValue(message.TemplateKey, out var templateCode) || string.IsNullOrWhiteSpace(templateCode))
        {
            return new SendResult(SendOutcome.Permanent, "sms: no TemplateCode configured for " + message.TemplateKey);
        }
        var template = NotificationTemplates.ByKey.GetValueOrDefault(message.TemplateKey);
        var values = template is null
            ? message.Parameters
            : template.Allowed.Select(p => NotificationTemplates.Placeholders[p])
                .Where(message.Parameters.ContainsKey).ToDictionary(n => n, n => message.Parameters[n]);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccessKeyId"] = sms.AccessKeyId!,
            ["Action"] = "SendSms",
            ["Format"] = "JSON",
            ["PhoneNumbers"] = message.Address,
            ["RegionId"] = sms.RegionId,
            ["SignName"] = sms.SignName,
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = Guid.NewGuid().ToString("N"),
            ["SignatureVersion"] = "1.0",
            ["TemplateCode"] = templateCode,
            ["TemplateParam"] = JsonSerializer.Serialize(values, NotificationOutbox.Json),
            ["Timestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["Version"] = ApiVersion,
        };
        parameters["Signature"] = Sign("POST", parameters, sms.AccessKeySecret ?? string.Empty);
        using var content = new FormUrlEncodedContent(parameters);
        using var response = await http.PostAsync(new Uri(EnsureSlash(sms.BaseUrl)), content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        string? code = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            code = doc.RootElement.TryGetProperty("Code", out var c) ? c.GetString() : null;
        }
        catch (JsonException)
        {
        }
        if (code == "OK" && response.IsSuccessStatusCode)
        {
            return SendResult.Delivered;
        }
        var error = "sms: HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) + (code is null ? string.Empty : " " + code);
        return new SendResult(code is not null && Permanent.Contains(code) ? SendOutcome.Permanent : SendOutcome.Retry, error);
    }

    /// <summary>The RPC signature (v1) over the parameters other than Signature.</summary>
    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var canonical = string.Join("&", parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
        var stringToSign = method + "&" + PercentEncode("/") + "&" + PercentEncode(canonical);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign));
        return Convert.ToBase64String(mac);
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8, upper-case hex, space as %20: what the signature documentation asks.</summary>
    public static string PercentEncode(string value) => Uri.EscapeDataString(value);

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
