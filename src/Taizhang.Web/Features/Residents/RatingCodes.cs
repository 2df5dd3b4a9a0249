using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// 评价码: the proof that a rating on the public tracking page comes from the resident. Eight digits
/// given once, with the tracking code, to whoever registered the matter (the public form's answer, the
/// WeChat reply, the operator reading it out, the registration SMS); the case keeps only a keyed hash of
/// it (<c>Cases.RatingCodeHash</c>), which no page or API shows, so nobody in the office can rate on a
/// resident's behalf.
/// <para>
/// A registration that carries an Idempotency-Key gets a code derived from that key (and its caller),
/// so a repeat of the same request — a double submit, a retry after a lost answer — is given the same
/// code again; nobody without the key can derive it. Other registrations get a random code.
/// </para>
/// <para>
/// The key is <c>Residents:RatingCodeKey</c> (base64, 32 bytes or more) when configured, otherwise one
/// generated at first use and kept in the settings table (so it is in every backup).
/// </para>
/// </summary>
public sealed class RatingCodes(IServiceScopeFactory scopes, IConfiguration configuration)
{
    public const int Length = 8;

    public const string KeySetting = "rating-code-key";

    private readonly Infrastructure.StoredKey _key = new(scopes, configuration, "Residents:RatingCodeKey", KeySetting);

    /// <summary>A code for a new registration: derived from its Idempotency-Key (scoped to its caller) when it has one.</summary>
    public string New(byte[] key, string? callerId, string? idempotencyKey)
    {
        if (callerId is null || idempotencyKey is null)
        {
            return Digits(RandomNumberGenerator.GetBytes(8));
        }
        return Digits(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("rating-code\n" + callerId + "\n" + idempotencyKey)));
    }

    /// <summary>What the case keeps: bound to its tracking code, so a hash copied to another case proves nothing there.</summary>
    public static string Hash(byte[] key, string trackingCode, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("rating-hash\n" + trackingCode + "\n" + code)));

    /// <summary>Whether <paramref name="typed"/> (as the resident typed it) is the case's code; constant time.</summary>
    public static bool Matches(byte[] key, string trackingCode, string? typed, string? storedHash)
    {
        if (storedHash is null || Normalize(typed) is not { } code)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Hash(key, trackingCode, code));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(storedHash));
    }

    /// <summary>Accepts what people type: digits with spaces or dashes between them, full-width digits too.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32)
        {
            return null;
        }
        Span<char> buffer = stackalloc char[Length];
        var n = 0;
        foreach (var raw in input)
        {
            if (raw is '-' or '－' or ' ' or '\u3000' or '_')
            {
                continue;
            }
            var c = raw is >= '０' and <= '９' ? (char)('0' + (raw - '０')) : raw;
            if (c is < '0' or > '9' || n == Length)
            {
                return null;
            }
            buffer[n++] = c;
        }
        return n == Length ? new string(buffer) : null;
    }

    /// <summary>Shown as two groups of four, as a resident copies it down.</summary>
    public static string Display(string code) => code.Length == Length ? code[..4] + " " + code[4..] : code;

    public ValueTask<byte[]> KeyAsync(CancellationToken ct) => _key.GetAsync(ct);

    /// <summary>8 decimal digits from 8 random bytes (the bias of 2^64 mod 10^8 is negligible).</summary>
    private static string Digits(ReadOnlySpan<byte> bytes) =>
        (BitConverter.ToUInt64(bytes[..8]) % 100_000_000UL).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}
