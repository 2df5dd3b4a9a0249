using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Taizhang.Web.Tests.Features.Notifications;

/// <summary>
/// THE ONE PLACE FAKES ARE ALLOWED: a local HTTP server (Kestrel on a free port) that implements the
/// documented endpoints the real senders call, so the tests run the production senders over real HTTP.
/// <list type="bullet">
/// <item>Alibaba Cloud SMS (dysmsapi 2017-05-25, RPC style) at <c>/sms/</c>: POST SendSms; checks the
/// common parameters and recomputes the HMAC-SHA1 signature itself (its own code, not the app's): a
/// wrong one answers HTTP 400 Code=SignatureDoesNotMatch; a reused SignatureNonce is refused; a number
/// marked illegal answers isv.MOBILE_NUMBER_ILLEGAL; failures queued per number answer a throttle code
/// or HTTP 503.</item>
/// <item>WeChat at <c>/wechat/</c>: GET cgi-bin/token (checks appid and secret, issues a new token each
/// time, which invalidates the previous one as WeChat does) and POST cgi-bin/message/custom/send (an
/// unknown token 40001; <see cref="ExpireTokenOnce"/> answers 42001 once; an OpenID out of its 48-hour
/// window 45015; queued failures errcode -1 or HTTP 500).</item>
/// </list>
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    public const string AccessKeyId = "LTAI-test-key";
    public const string AccessKeySecret = "test-secret-with-&-and-+";
    public const string AppId = "wx-test-app";
    public const string AppSecret = "wx-test-secret";

    private readonly WebApplication _app;

    public string Url { get; }

    public string SmsUrl => Url + "/sms/";

    public string WeChatUrl => Url + "/wechat/";

    public sealed record Sms(string Phone, string SignName, string TemplateCode, Dictionary<string, string> Params);

    public sealed record WeChatText(string OpenId, string Content);

    public ConcurrentQueue<Sms> SmsSent { get; } = new();

    public ConcurrentQueue<WeChatText> WeChatSent { get; } = new();

    /// <summary>What a number's next SendSms calls answer, in order: an error Code, or "503" for a server error.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> SmsFailures { get; } = new();

    public ConcurrentDictionary<string, bool> IllegalNumbers { get; } = new();

    /// <summary>What an OpenID's next customer messages answer: "-1" (busy) or "500" (HTTP error).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> WeChatFailures { get; } = new();

    public ConcurrentDictionary<string, bool> WindowClosed { get; } = new();

    public int TokenFetches => _tokenFetches;

    public int SignatureFailures => _signatureFailures;

    /// <summary>The SMS API's answers are PascalCase (Code, Message, RequestId, BizId), not ASP.NET's camelCase.</summary>
    private static readonly JsonSerializerOptions AsIs = new() { PropertyNamingPolicy = null };

    private int _tokenFetches;
    private int _signatureFailures;
    private volatile string? _token;
    private volatile bool _expireOnce;
    private readonly ConcurrentDictionary<string, bool> _nonces = new();

    /// <summary>The next customer message is answered 42001 (access_token expired) and the token stops working.</summary>
    public void ExpireTokenOnce() => _expireOnce = true;

    public void FailSms(string phone, params string[] answers) => SmsFailures.GetOrAdd(phone, _ => new()).EnqueueAll(answers);

    public void FailWeChat(string openId, params string[] answers) => WeChatFailures.GetOrAdd(openId, _ => new()).EnqueueAll(answers);

    private FakeProviders(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static FakeProviders Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeProviders? self = null;
        app.MapPost("/sms/", (Delegate)((HttpContext http) => self!.SendSmsAsync(http)));
        app.MapGet("/wechat/cgi-bin/token", (Delegate)((HttpContext http) => self!.Token(http)));
        app.MapPost("/wechat/cgi-bin/message/custom/send", (Delegate)((HttpContext http) => self!.CustomSendAsync(http)));
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeProviders(app, address.TrimEnd('/'));
        return self;
    }

    private async Task<IResult> SendSmsAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var p = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        IResult Error(int status, string code) => Results.Json(new { RequestId = Guid.NewGuid().ToString(), Code = code, Message = code }, AsIs, statusCode: status);
        foreach (var required in new[] { "AccessKeyId", "Action", "Format", "PhoneNumbers", "SignName", "SignatureMethod", "SignatureNonce",
            "SignatureVersion", "TemplateCode", "Timestamp", "Version", "Signature" })
        {
            if (!p.ContainsKey(required))
            {
                return Error(400, "MissingParameter");
            }
        }
        if (p["Action"] != "SendSms" || p["Version"] != "2017-05-25" || p["SignatureMethod"] != "HMAC-SHA1" || p["SignatureVersion"] != "1.0")
        {
            return Error(400, "InvalidParameter");
        }
        if (p["AccessKeyId"] != AccessKeyId)
        {
            return Error(404, "InvalidAccessKeyId.NotFound");
        }
        if (!DateTime.TryParseExact(p["Timestamp"], "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal, out _))
        {
            return Error(400, "InvalidTimeStamp.Format");
        }
        if (!string.Equals(Signature(p, AccessKeySecret), p["Signature"], StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _signatureFailures);
            return Error(400, "SignatureDoesNotMatch");
        }
        if (!_nonces.TryAdd(p["SignatureNonce"], true))
        {
            return Error(400, "SignatureNonceUsed");
        }
        var phone = p["PhoneNumbers"];
        if (SmsFailures.TryGetValue(phone, out var queue) && queue.TryDequeue(out var failure))
        {
            return failure == "503" ? Results.StatusCode(503) : Error(200, failure);
        }
        if (IllegalNumbers.ContainsKey(phone))
        {
            return Error(200, "isv.MOBILE_NUMBER_ILLEGAL");
        }
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(p.GetValueOrDefault("TemplateParam") ?? "{}")!;
        SmsSent.Enqueue(new Sms(phone, p["SignName"], p["TemplateCode"], values));
        return Results.Json(new { Message = "OK", RequestId = Guid.NewGuid().ToString(), Code = "OK", BizId = "9006197469364984400^0" }, AsIs);
    }

    /// <summary>The documented RPC signature, written again here (independently of the app's sender).</summary>
    private static string Signature(Dictionary<string, string> p, string secret)
    {
        static string Encode(string s)
        {
            var sb = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                var c = (char)b;
                if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            return sb.ToString();
        }
        var canonical = string.Join("&", p.Where(kv => kv.Key != "Signature").OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Encode(kv.Key) + "=" + Encode(kv.Value)));
        var toSign = "POST&" + Encode("/") + "&" + Encode(canonical);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
    }

    private IResult Token(HttpContext http)
    {
        var q = http.Request.Query;
        if (q["grant_type"] != "client_credential")
        {
            return Results.Json(new { errcode = 40002, errmsg = "invalid grant_type" });
        }
        if (q["appid"] != AppId)
        {
            return Results.Json(new { errcode = 40013, errmsg = "invalid appid" });
        }
        if (q["secret"] != AppSecret)
        {
            return Results.Json(new { errcode = 40125, errmsg = "invalid appsecret" });
        }
        Interlocked.Increment(ref _tokenFetches);
        // A new token makes the previous one invalid.
        _token = "tok-" + Guid.NewGuid().ToString("N");
        return Results.Json(new { access_token = _token, expires_in = 7200 });
    }

    private async Task<IResult> CustomSendAsync(HttpContext http)
    {
        var token = http.Request.Query["access_token"].ToString();
        if (token.Length == 0 || token != _token)
        {
            return Results.Json(new { errcode = 40001, errmsg = "invalid credential, access_token is invalid or not latest" });
        }
        if (_expireOnce)
        {
            _expireOnce = false;
            _token = null;
            return Results.Json(new { errcode = 42001, errmsg = "access_token expired" });
        }
        using var doc = await JsonDocument.ParseAsync(http.Request.Body);
        var root = doc.RootElement;
        if (root.GetProperty("msgtype").GetString() != "text")
        {
            return Results.Json(new { errcode = 40008, errmsg = "invalid message type" });
        }
        var openId = root.GetProperty("touser").GetString()!;
        var content = root.GetProperty("text").GetProperty("content").GetString()!;
        if (WeChatFailures.TryGetValue(openId, out var queue) && queue.TryDequeue(out var failure))
        {
            return failure == "500" ? Results.StatusCode(500) : Results.Json(new { errcode = -1, errmsg = "system error" });
        }
        if (WindowClosed.ContainsKey(openId))
        {
            return Results.Json(new { errcode = 45015, errmsg = "response out of time limit or subscription is canceled" });
        }
        WeChatSent.Enqueue(new WeChatText(openId, content));
        return Results.Json(new { errcode = 0, errmsg = "ok" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class QueueExtensions
{
    public static void EnqueueAll<T>(this ConcurrentQueue<T> queue, IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            queue.Enqueue(item);
        }
    }
}
