using System.Text.RegularExpressions;

namespace Taizhang.Web.Features.Accounts;

/// <summary>How residents' names and phone numbers look where they are not revealed.</summary>
public static partial class PersonalData
{
    /// <summary>
    /// Mobile numbers (11 digits from 1) and landlines (0xxx-xxxxxxx) in free text, masked as everywhere else; also a
    /// mobile number written the way people write one (138 1234 5678, 138-1234-5678, 138.1234.5678, +86 138…, full-width
    /// digits １３８…): up to two spaces, dashes or dots between the digits, as a public notice refuses them.
    /// </summary>
    public static string MaskPhonesIn(string text) =>
        WrittenMobile().Replace(PhoneLike().Replace(text, m => MaskPhone(m.Value) ?? m.Value), m => MaskWrittenMobile(m.Value));

    [GeneratedRegex(@"(?<!\d)(?:1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)")]
    private static partial Regex PhoneLike();

    // \d is any decimal digit (full-width ones too); the separators include the full-width space, hyphen and full stop.
    [GeneratedRegex(@"(?<!\d)(?:[+＋]?[8８][6６][\s\-.－．]{0,2})?[1１][3-9３-９](?:[\s\-.－．‐]{0,2}\d){9}(?!\d)")]
    private static partial Regex WrittenMobile();

    /// <summary>A written mobile number as <see cref="MaskPhone"/> shows one: its 11 digits' first three and last four.</summary>
    private static string MaskWrittenMobile(string written)
    {
        var digits = new string(written.Where(char.IsDigit).Select(c => (char)('0' + (int)char.GetNumericValue(c))).ToArray());
        return MaskPhone(digits.Length > 11 ? digits[^11..] : digits) ?? "****";
    }

    /// <summary>13812340000 → 138****0000; 0932-4567890 → 093****7890.</summary>
    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return phone;
        }
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 8 ? "****" : digits[..3] + "****" + digits[^4..];
    }

    /// <summary>张桂兰 → 张**: enough for staff to tell reporters apart, not to identify them; no name stays none.</summary>
    public static string MaskName(string name) =>
        name.Length == 0 ? name // an anonymous report's reporter: no name to hide
        : name.Length == 1 ? "*" : name[..1] + new string('*', Math.Min(name.Length - 1, 3));
}
