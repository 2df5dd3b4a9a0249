using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.WeChat;

/// <summary>
/// /wechat/callback, the official account's server URL (服务器地址). GET: the URL verification (echo
/// <c>echostr</c>); POST: messages. Every request is authenticated by its signature over the configured
/// Token before anything else is read, and its timestamp must be recent; a refusal stores nothing.
/// </summary>
public static class WeChatCallback
{
    public const string Path = "/wechat/callback";

    public static IResult VerifyEndpoint(HttpContext http, WeChatOptions options, TimeProvider clock, ILogger<WeChatInbox> log)
    {
        Authenticate(http, options, clock, log);
        var echo = Single(http.Request.Query["echostr"]);
        // WeChat's echostr is a number; anything else is not echoed (this endpoint reflects only what it must).
        if (echo is not { Length: > 0 and <= 128 } || !echo.All(char.IsAsciiLetterOrDigit))
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["echostr"] = [http.RequestServices.GetRequiredService<Texts>()["field.required"]],
            });
        }
        log.LogInformation("WeChat server URL verified");
        return Results.Text(echo, "text/plain", Encoding.UTF8);
    }

    public static async Task<IResult> MessageEndpoint(
        HttpContext http, WeChatOptions options, TimeProvider clock, WeChatInbox inbox, Texts texts, ILogger<WeChatInbox> log)
    {
        Authenticate(http, options, clock, log);
        var body = await ReadBodyAsync(http, options.MaxBodyBytes);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, type: ProblemTypes.PayloadTooLarge,
                title: texts["problem.payload-too-large"]);
        }
        WeChatProtocol.Message message;
        try
        {
            message = WeChatProtocol.Parse(body, options.MaxBodyBytes);
        }
        catch (WeChatProtocol.MalformedMessageException e)
        {
            log.LogWarning("WeChat message refused: {Reason}", e.Message);
            throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["wechat.error.malformed"]] });
        }
        if (!string.IsNullOrEmpty(options.OriginalId) && !string.Equals(message.ToUserName, options.OriginalId, StringComparison.Ordinal))
        {
            log.LogWarning("WeChat {Message} is addressed to another account; refused", WeChatInbox.Describe(message));
            throw new ForbiddenException();
        }
        var reply = await inbox.ReplyAsync(message, http.RequestAborted);
        if (reply.Text is null)
        {
            return Results.Text(WeChatProtocol.NoReply, "text/plain", Encoding.UTF8);
        }
        var createTime = clock.GetUtcNow().ToUnixTimeSeconds();
        return Results.Text(WeChatProtocol.TextReply(message, reply.Text, createTime), "application/xml", Encoding.UTF8);
    }

    /// <summary>
    /// The channel is on (else 404, as if there were no such URL), the signature is the Token's, and the
    /// timestamp is within <see cref="WeChatOptions.MaxClockSkewSeconds"/> of now (else 403).
    /// </summary>
    private static void Authenticate(HttpContext http, WeChatOptions options, TimeProvider clock, ILogger log)
    {
        if (!options.Enabled)
        {
            throw new NotFoundException("wechat");
        }
        var query = http.Request.Query;
        var signature = Single(query["signature"]);
        var timestamp = Single(query["timestamp"]);
        var nonce = Single(query["nonce"]);
        if (!WeChatProtocol.Verify(options.Token!, signature, timestamp, nonce))
        {
            log.LogWarning("WeChat callback with a missing or wrong signature; refused");
            throw new ForbiddenException();
        }
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - seconds) > options.MaxClockSkewSeconds)
        {
            log.LogWarning("WeChat callback with a timestamp outside {Skew} s of now; refused", options.MaxClockSkewSeconds);
            throw new ForbiddenException();
        }
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    /// <summary>The body, or null when it is larger than <paramref name="max"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, int max)
    {
        if (http.Request.ContentLength > max)
        {
            return null;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = max + 1;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= max && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), http.RequestAborted)) > 0)
            {
                length += read;
            }
            return length > max ? null : buffer.AsSpan(0, length).ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
