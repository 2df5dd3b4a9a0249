using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Taizhang.Web.Features.Open311;

/// <summary>
/// An Open311 answer before it is written: an object (fields in order) or a list of items, written as
/// the GeoReport v2 specification's XML (schemaless, no namespace, UTF-8 declaration) or its JSON (the
/// Spark convention: a list is a JSON array, an object a JSON object, element names as keys).
/// </summary>
public sealed class GeoObject : List<KeyValuePair<string, object?>>
{
    public GeoObject Add(string name, object? value)
    {
        Add(new KeyValuePair<string, object?>(name, value));
        return this;
    }
}

/// <param name="Item">The element name of each item in XML (<c>service</c> in <c>&lt;services&gt;</c>).</param>
public sealed record GeoList(string Item, IReadOnlyList<object?> Items);

/// <summary>An Open311 refusal: the HTTP status and the spec's error list (code and description).</summary>
public sealed class GeoReportException(int status, string description) : Exception(description)
{
    public int Status { get; } = status;
}

public static class GeoReport
{
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";
    public const string XmlType = "text/xml";
    public const string JsonType = "application/json";

    /// <summary>The resource's format from its extension; null for one the spec does not name.</summary>
    public static string? Format(string? format) => format?.ToLowerInvariant() switch
    {
        "json" => "json",
        "xml" => "xml",
        _ => null,
    };

    /// <summary>
    /// Runs an Open311 method: an unknown format is refused (in XML, the spec's required format), and a
    /// <see cref="GeoReportException"/> becomes the spec's error list in the resource's format.
    /// </summary>
    public static async Task<IResult> RunAsync(HttpContext http, string? format, Func<string, Task<IResult>> method)
    {
        var texts = http.RequestServices.GetRequiredService<Resources.Texts>();
        if (Format(format) is not { } f)
        {
            return Error("xml", StatusCodes.Status400BadRequest, texts["open311.error.format"]);
        }
        try
        {
            return await method(f);
        }
        catch (GeoReportException e)
        {
            return Error(f, e.Status, e.Message);
        }
    }

    public static IResult Error(string format, int status, string description) =>
        Write(format, "errors", new GeoList("error", [new GeoObject().Add("code", status).Add("description", description)]), status);

    public static IResult Write(string format, string root, object body, int status = StatusCodes.Status200OK) =>
        format == "json"
            ? Results.Text(Json(body), JsonType + "; charset=utf-8", Encoding.UTF8, status)
            : Results.Text(Xml(root, body), XmlType + "; charset=utf-8", Encoding.UTF8, status);

    /// <summary>W3C date-time with the offset of the offices' zone (2026-11-26T10:00:00+08:00).</summary>
    public static string Date(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    public static string Json(object body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            WriteJson(writer, body);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case GeoObject o:
                w.WriteStartObject();
                foreach (var (name, v) in o)
                {
                    w.WritePropertyName(name);
                    WriteJson(w, v);
                }
                w.WriteEndObject();
                break;
            case GeoList l:
                w.WriteStartArray();
                foreach (var item in l.Items)
                {
                    WriteJson(w, item);
                }
                w.WriteEndArray();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case long n:
                w.WriteNumberValue(n);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    public static string Xml(string root, object body)
    {
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new Utf8StringWriter(sb), new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
        }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            WriteXmlContent(writer, body);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return sb.ToString();
    }

    private static void WriteXmlContent(XmlWriter w, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case GeoObject o:
                foreach (var (name, v) in o)
                {
                    w.WriteStartElement(name);
                    WriteXmlContent(w, v);
                    w.WriteEndElement();
                }
                break;
            case GeoList l:
                foreach (var item in l.Items)
                {
                    w.WriteStartElement(l.Item);
                    WriteXmlContent(w, item);
                    w.WriteEndElement();
                }
                break;
            case bool b:
                w.WriteString(b ? "true" : "false");
                break;
            case double d:
                w.WriteString(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteString(XmlSafe(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }

    /// <summary>
    /// XML 1.0 cannot carry some characters at all (most control characters, lone surrogates), not even
    /// escaped: one in an older case's text becomes U+FFFD instead of an unreadable document or a 500.
    /// </summary>
    public static string XmlSafe(string s)
    {
        if (s.All(XmlConvert.IsXmlChar))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i]))
            {
                sb.Append(s[i]);
            }
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
            {
                sb.Append(s[i]).Append(s[i + 1]);
                i++;
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }
        return sb.ToString();
    }

    /// <summary>A StringWriter that declares UTF-8 (the spec's <c>encoding="utf-8"</c>), not UTF-16.</summary>
    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
