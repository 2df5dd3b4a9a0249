using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// The public form's anti-abuse challenge, without any third-party service: the server hands out a
/// signed challenge, the browser finds a counter whose hash has enough leading zero bits (about a
/// second on a phone), the server checks it in microseconds. A flood then costs the flooder a
/// second of CPU per submission, while a resident pays it once, while they type.
/// <para>
/// Challenge: <c>v1.{nonce}.{issued}.{bits}.{signature}</c> — nonce 16 random bytes (base64url),
/// issued in Unix seconds, bits the difficulty, signature base64url(HMAC-SHA256(key, "pow\n" + the
/// first four parts joined by dots)). Solution: a decimal counter (at most 20 digits) such that
/// SHA-256(UTF-8(challenge + ":" + counter)) begins with <c>bits</c> zero bits. The key is derived
/// (HKDF) from the installation's rating-code key, so it is in every backup and the same on every node.
/// </para>
/// <para>
/// A challenge is good for <see cref="ReportOptions.ProofOfWorkMinutes"/> and once: a solved challenge
/// is remembered (in memory, until it expires) with the form's Idempotency-Key, so the same form sent
/// again — a double submit, a refresh of the answer — passes (and registration replays the first
/// case), while the same solution under another form is refused.
/// </para>
/// </summary>
public sealed class ProofOfWork(RatingCodes ratingCodes, TimeProvider clock, ReportOptions options)
{
    public enum Verdict
    {
        Ok,
        Missing,
        Invalid,
        Expired,
        Reused,
        Wrong,
    }

    private byte[]? _key;

    private readonly ConcurrentDictionary<string, (string Form, long ExpiresAt)> _used = new(StringComparer.Ordinal);

    private int _sinceSweep;

    public async ValueTask<string> IssueAsync(CancellationToken ct)
    {
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(16));
        var issued = clock.GetUtcNow().ToUnixTimeSeconds();
        var payload = string.Create(CultureInfo.InvariantCulture, $"v1.{nonce}.{issued}.{options.ProofOfWorkBits}");
        return payload + "." + Base64Url(Sign(await KeyAsync(ct), payload));
    }

    /// <param name="form">The form's Idempotency-Key: the one form this challenge may be used by again.</param>
    public async ValueTask<Verdict> VerifyAsync(string? challenge, string? solution, string form, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(challenge) || string.IsNullOrWhiteSpace(solution))
        {
            return Verdict.Missing;
        }
        if (challenge.Length > 200 || solution.Length > 20 || !solution.All(char.IsAsciiDigit))
        {
            return Verdict.Invalid;
        }
        var parts = challenge.Split('.');
        if (parts.Length != 5 || parts[0] != "v1"
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is < 0 or > 64)
        {
            return Verdict.Invalid;
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(FromBase64Url(parts[4]));
        }
        catch (FormatException)
        {
            return Verdict.Invalid;
        }
        var expected = Sign(await KeyAsync(ct), string.Join('.', parts[..4]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return Verdict.Invalid;
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var expires = issued + options.ProofOfWorkMinutes * 60L;
        // A challenge from the future was not issued by this clock (a minute's leeway between nodes).
        if (now > expires || issued > now + 60)
        {
            return Verdict.Expired;
        }
        if (!Solves(challenge, solution, bits))
        {
            return Verdict.Wrong;
        }
        var nonce = parts[1];
        var claimed = _used.GetOrAdd(nonce, (form, expires));
        if (claimed.Form != form)
        {
            return Verdict.Reused;
        }
        Sweep(now);
        return Verdict.Ok;
    }

    /// <summary>Whether SHA-256 of "challenge:solution" begins with <paramref name="bits"/> zero bits (also what a client computes).</summary>
    public static bool Solves(string challenge, string solution, int bits)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(challenge + ":" + solution), hash);
        return LeadingZeroBits(hash) >= bits;
    }

    /// <summary>Finds a solution (tests, and a benchmark client written in C#).</summary>
    public static string Solve(string challenge)
    {
        var bits = int.Parse(challenge.Split('.')[3], CultureInfo.InvariantCulture);
        for (long counter = 0; ; counter++)
        {
            var candidate = counter.ToString(CultureInfo.InvariantCulture);
            if (Solves(challenge, candidate, bits))
            {
                return candidate;
            }
        }
    }

    private static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var zeros = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                zeros += 8;
                continue;
            }
            return zeros + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
        }
        return zeros;
    }

    /// <summary>Forgets expired challenges now and then (they would be refused as expired anyway).</summary>
    private void Sweep(long now)
    {
        if (Interlocked.Increment(ref _sinceSweep) % 256 != 0)
        {
            return;
        }
        foreach (var (nonce, used) in _used)
        {
            if (used.ExpiresAt < now)
            {
                _used.TryRemove(nonce, out _);
            }
        }
    }

    private static byte[] Sign(byte[] key, string payload) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("pow\n" + payload));

    private async ValueTask<byte[]> KeyAsync(CancellationToken ct) =>
        _key ??= HKDF.DeriveKey(HashAlgorithmName.SHA256, await ratingCodes.KeyAsync(ct), 32, info: "taizhang proof-of-work"u8.ToArray());

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return (s.Length % 4) switch
        {
            2 => s + "==",
            3 => s + "=",
            _ => s,
        };
    }
}
