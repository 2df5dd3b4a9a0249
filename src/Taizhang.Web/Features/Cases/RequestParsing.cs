using System.Globalization;
using System.Text.RegularExpressions;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Field parsing shared by the case requests. Enum fields arrive as strings so that a wrong
/// value is answered with the field's name and the allowed values, not a JSON error.
/// </summary>
public static partial class RequestParsing
{
    public static TEnum? Enum<TEnum>(FieldErrors errors, Texts texts, string field, string? value, bool required = false)
        where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, texts["field.required"]);
            }
            return null;
        }
        var v = value.Trim();
        // Names only, never numbers: "3" is not a channel.
        if (!v.All(char.IsAsciiDigit) && System.Enum.TryParse<TEnum>(v, ignoreCase: true, out var parsed)
            && System.Enum.IsDefined(parsed))
        {
            return parsed;
        }
        errors.Add(field, texts.Format("field.one-of", string.Join(", ", System.Enum.GetNames<TEnum>())));
        return null;
    }

    public static string? Text(FieldErrors errors, Texts texts, string field, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, texts["field.required"]);
            }
            return null;
        }
        var v = value.Trim();
        if (v.Length > max)
        {
            errors.Add(field, texts.Format("field.too-long", max));
            return null;
        }
        return Printable(errors, texts, field, v) ? v : null;
    }

    /// <summary>
    /// Free text that is not blank must also be printable: PostgreSQL refuses NUL, and other
    /// control characters only hide text from whoever reads the ledger. Line breaks and tabs stay.
    /// Adds the field error and returns false when <paramref name="value"/> is not acceptable.
    /// </summary>
    public static bool Printable(FieldErrors errors, Texts texts, string field, string? value)
    {
        if (HasControlChars(value))
        {
            errors.Add(field, texts["field.control-chars"]);
            return false;
        }
        return true;
    }

    /// <summary>Control characters other than line feed, carriage return and tab.</summary>
    public static bool HasControlChars(string? value)
    {
        if (value is null)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Mainland mobile (11 digits starting with 1) or landline (area code + number, with or
    /// without the dash); +86 / 0086 prefixes and spaces are removed. Stored digits-only
    /// (landlines keep the dash).
    /// </summary>
    public static string? Phone(FieldErrors errors, Texts texts, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var v = value.Trim().Replace(" ", string.Empty, StringComparison.Ordinal);
        if (v.StartsWith("+86", StringComparison.Ordinal))
        {
            v = v[3..];
        }
        else if (v.StartsWith("0086", StringComparison.Ordinal))
        {
            v = v[4..];
        }
        v = v.TrimStart('-');
        if (MobilePattern().IsMatch(v))
        {
            return v;
        }
        if (LandlinePattern().Match(v) is { Success: true } m)
        {
            return m.Groups[1].Value + "-" + m.Groups[2].Value;
        }
        errors.Add(field, texts["field.phone"]);
        return null;
    }

    public static DateOnly? Date(FieldErrors errors, Texts texts, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            errors.Add(field, texts["field.date"]);
            return null;
        }
        // The ledger's years: also keeps day arithmetic and time-zone conversion off DateTime's edges.
        if (d < MinDate || d > MaxDate)
        {
            errors.Add(field, texts.Format("field.date-out-of-range", MinDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                MaxDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            return null;
        }
        return d;
    }

    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    [GeneratedRegex(@"^1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^(0\d{2,3})-?(\d{7,8})$")]
    private static partial Regex LandlinePattern();
}
