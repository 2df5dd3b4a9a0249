using System.Security.Cryptography;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Tracking codes residents read over the phone: 8 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L, U), shown as XXXX-XXXX.
/// <para>
/// A case's code is its id under a keyed permutation of the code space (<see cref="FromId"/>): unique
/// by construction (no index, no retry on a collision) and, without the key, as unguessable as a
/// random code — neighbouring ids give unrelated codes, so a code cannot be enumerated by counting.
/// <see cref="ToId"/> inverts it; a look-up then reads the case by its primary key and checks that
/// the stored code is the one asked for. Codes drawn at random before (<see cref="New"/>) are kept
/// in LegacyTrackingCodes.
/// </para>
/// </summary>
public static class TrackingCodes
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 8;

    /// <summary>Codes there are: 30^8 ≈ 6.6×10^11. Ids from 1 to this minus one have a code.</summary>
    public const long Space = 656_100_000_000;

    // A balanced Feistel network on 40 bits (2^40 ≈ 1.68 × Space), cycle-walking back into the space:
    // a permutation of [0, Space) for every key. Rounds keyed by HMAC-SHA256 (the round and half as input).
    private const int HalfBits = 20;
    private const long HalfMask = (1L << HalfBits) - 1;
    private const int Rounds = 10;

    /// <summary>The code of case <paramref name="id"/> under <paramref name="key"/> (32 bytes or more).</summary>
    public static string FromId(ReadOnlySpan<byte> key, long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Space);
        var x = id;
        var mac = RoundMac(key);
        do
        {
            x = Encrypt(mac, x);
        }
        while (x >= Space);
        Span<char> chars = stackalloc char[Length + 1];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i < 4 ? i : i + 1] = Alphabet[(int)(x % Alphabet.Length)];
            x /= Alphabet.Length;
        }
        chars[4] = '-';
        return new string(chars);
    }

    /// <summary>
    /// The case id a code stands for under <paramref name="key"/>, or null for no id (a code typed wrong
    /// usually stands for an id that does not exist: the caller reads the case and compares its code).
    /// </summary>
    public static long? ToId(ReadOnlySpan<byte> key, string? code)
    {
        if (Normalize(code) is not { } normalized)
        {
            return null;
        }
        long x = 0;
        foreach (var c in normalized)
        {
            if (c != '-')
            {
                x = x * Alphabet.Length + Alphabet.IndexOf(c);
            }
        }
        var mac = RoundMac(key);
        do
        {
            x = Decrypt(mac, x);
        }
        while (x >= Space);
        return x == 0 ? null : x;
    }

    private static long Encrypt(ShortMessageHmac mac, long x)
    {
        long left = x >> HalfBits, right = x & HalfMask;
        for (var round = 0; round < Rounds; round++)
        {
            (left, right) = (right, left ^ Round(mac, round, right));
        }
        return (left << HalfBits) | right;
    }

    private static long Decrypt(ShortMessageHmac mac, long x)
    {
        long left = x >> HalfBits, right = x & HalfMask;
        for (var round = Rounds - 1; round >= 0; round--)
        {
            (left, right) = (right ^ Round(mac, round, left), left);
        }
        return (left << HalfBits) | right;
    }

    private static long Round(ShortMessageHmac hmac, int round, long half)
    {
        Span<byte> input = stackalloc byte[16];
        input.Clear();
        input[0] = (byte)'T';
        input[1] = (byte)round;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(input[8..], half);
        Span<byte> mac = stackalloc byte[32];
        hmac.Compute(input, mac);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(mac) & HalfMask;
    }

    // The rounds' keyed HMAC-SHA256, its key's states computed once (a code takes ~17 rounds: 10 per pass,
    // 1.68 passes on average). A one-shot HMACSHA256 per round was a tenth of a registration's CPU on the
    // journal's path (see ShortMessageHmac). One key in practice; another replaces it.
    private static ShortMessageHmac? s_roundMac;

    private static ShortMessageHmac RoundMac(ReadOnlySpan<byte> key)
    {
        var mac = Volatile.Read(ref s_roundMac);
        if (mac is null || !mac.HasKey(key))
        {
            mac = new ShortMessageHmac(key);
            Volatile.Write(ref s_roundMac, mac);
        }
        return mac;
    }

    /// <summary>A random code: how codes were made before they were derived from the id (tests of legacy codes).</summary>
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
