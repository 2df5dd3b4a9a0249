using System.Globalization;

namespace Taizhang.Domain;

/// <summary>
/// The field checks every record's rules share (a case, a meeting, a mediation file, a disclosure, a
/// plan): one wording of "required" and "too long" (the codes the web layer maps to a message next to
/// the field), and one refusal of an instant that is not UTC.
/// </summary>
internal static class Guard
{
    public static void RequireText(string? value, int max, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException("field.required", $"{field} is required.", field: field);
        }
        OptionalText(value, max, field);
    }

    public static void OptionalText(string? value, int max, string field)
    {
        if (value is not null && value.Trim().Length > max)
        {
            throw new DomainRuleException("field.too-long", $"{field} is longer than {max} characters.",
                new Dictionary<string, string> { ["max"] = max.ToString(CultureInfo.InvariantCulture) }, field);
        }
    }

    public static void Utc(DateTime at)
    {
        if (at.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(at));
        }
    }

    /// <summary>Blank is nothing; anything else without its surrounding spaces.</summary>
    public static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
