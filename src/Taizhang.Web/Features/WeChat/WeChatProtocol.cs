using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Taizhang.Web.Features.WeChat;

/// <summary>
/// The plaintext mode of the official account's server message protocol (公众号 消息接口, 明文模式):
/// the signature over the Token, the message XML WeChat posts, and the passive reply XML.
/// </summary>
public static class WeChatProtocol
{
    /// <summary>
    /// 接入指南: sort token, timestamp and nonce lexicographically (byte order, as the documentation's PHP
    /// <c>sort($tmpArr, SORT_STRING)</c>), concatenate, SHA-1, lower-case hex; compared in constant time.
    /// </summary>
    public static bool Verify(string token, string? signature, string? timestamp, string? nonce)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce)
            || signature.Length != 40 || timestamp.Length > 32 || nonce.Length > 128)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(token, timestamp, nonce));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }

    public static string Sign(string token, string timestamp, string nonce)
    {
        string[] parts = [token, timestamp, nonce];
        Array.Sort(parts, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
    }

    /// <summary>A message as posted (接收普通消息 / 接收事件推送): the fields this channel reads; the rest is ignored.</summary>
    public sealed record Message(
        string ToUserName, string FromUserName, long CreateTime, string MsgType, string? Content, string? MsgId, string? Event)
    {
        public bool IsEvent => MsgType == "event";
    }

    /// <summary>The XML is refused (malformed, a DTD or entity declaration, too large, a required field missing).</summary>
    public sealed class MalformedMessageException(string reason, Exception? inner = null) : Exception(reason, inner);

    /// <summary>
    /// Reads the posted XML. A DTD (and so any entity declaration: no XXE, no entity expansion) is refused
    /// outright, external resources are never resolved, and the document is bounded in size. Only the direct
    /// children of the root are read; unknown elements (MsgDataId, Idx, PicUrl …) are skipped.
    /// </summary>
    public static Message Parse(ReadOnlySpan<byte> body, int maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "xml")
            {
                throw new MalformedMessageException("the root element is not <xml>");
            }
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        var name = reader.LocalName;
                        if (Known.Contains(name))
                        {
                            // ReadElementContentAsString refuses child elements (a field that is not text).
                            fields[name] = reader.ReadElementContentAsString();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            // Read to the end, so that anything after the root (a second root) is refused too.
            while (reader.Read())
            {
            }
        }
        catch (XmlException e)
        {
            throw new MalformedMessageException("not well-formed XML, or a DTD", e);
        }
        string Required(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new MalformedMessageException(name + " is missing");
        var createTime = long.TryParse(Required("CreateTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            ? t
            : throw new MalformedMessageException("CreateTime is not a number");
        var from = Required("FromUserName");
        if (from.Length > 64 || !from.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            // An OpenID is 28 characters of [A-Za-z0-9_-]; the reporter keeps at most 64.
            throw new MalformedMessageException("FromUserName is not an OpenID");
        }
        var msgId = fields.GetValueOrDefault("MsgId")?.Trim();
        if (msgId is { Length: 0 })
        {
            msgId = null;
        }
        if (msgId is not null && (msgId.Length > 64 || !msgId.All(char.IsAsciiDigit)))
        {
            throw new MalformedMessageException("MsgId is not a number");
        }
        return new Message(Required("ToUserName"), from, createTime, Required("MsgType").ToLowerInvariant(),
            fields.GetValueOrDefault("Content"), msgId, fields.GetValueOrDefault("Event")?.Trim());
    }

    private static readonly HashSet<string> Known = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event"];

    /// <summary>
    /// 被动回复 文本消息: to the sender from the account (the message's To and From swapped), with our time.
    /// </summary>
    public static string TextReply(Message to, string content, long createTime) =>
        "<xml>"
        + "<ToUserName>" + CData(to.FromUserName) + "</ToUserName>"
        + "<FromUserName>" + CData(to.ToUserName) + "</FromUserName>"
        + "<CreateTime>" + createTime.ToString(CultureInfo.InvariantCulture) + "</CreateTime>"
        + "<MsgType><![CDATA[text]]></MsgType>"
        + "<Content>" + CData(content) + "</Content>"
        + "</xml>";

    /// <summary>A CDATA section; "]]>" inside the text is split across two sections.</summary>
    private static string CData(string text) => "<![CDATA[" + text.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";

    /// <summary>"No reply" in the protocol's recommended form: WeChat neither shows anything nor retries.</summary>
    public const string NoReply = "success";
}
