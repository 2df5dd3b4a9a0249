using System.Security.Cryptography;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Tracking codes residents read over the phone: 8 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L, U), shown as XXXX-XXXX. Random, so they cannot be enumerated
/// (30^8 ≈ 6.6×10^11); unique by a database index.
/// </summary>
public static class TrackingCodes
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 8;

    public static string New()
    {
        // One call to the system's generator per half instead of one per character (unbiased, like GetInt32).
        Span<char> chars = stackalloc char[Length + 1];
        RandomNumberGenerator.GetItems(Alphabet, chars[..4]);
        RandomNumberGenerator.GetItems(Alphabet, chars[5..]);
        chars[4] = '-';
        return new string(chars);
    }

    public static string NewFrom(Random random)
    {
        Span<char> chars = stackalloc char[Length + 1];
        for (var i = 0; i < Length; i++)
        {
            chars[i < 4 ? i : i + 1] = Alphabet[random.Next(Alphabet.Length)];
        }
        chars[4] = '-';
        return new string(chars);
    }

    /// <summary>Accepts what people type: any letter case, with or without spaces and the dash.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        Span<char> buffer = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            // Separators people type or paste: hyphens (also full-width and typographic), underscores, spaces.
            if (raw is '-' or '－' or '_' or ' ' or '\u3000' or (>= '\u2010' and <= '\u2015'))
            {
                continue;
            }
            var c = char.ToUpperInvariant(raw);
            if (Alphabet.IndexOf(c) < 0 || n == Length)
            {
                return null;
            }
            buffer[n++] = c;
        }
        return n == Length ? $"{buffer[..4]}-{buffer[4..]}" : null;
    }
}
