using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// Bearer tokens for integrations: "tz_" + 12-character prefix + "_" + 40-character secret.
/// The prefix finds the client; the SHA-256 of the whole token must match. Revoked and expired clients fail.
/// </summary>
public static class ApiTokens
{
    public const string Scheme = "ApiToken";
    public const string ClientIdClaim = "taizhang:api-client";
    public const string ClientItem = "taizhang:api-client";

    public static (string Token, string Prefix, string Hash) New()
    {
        var prefix = Random(12);
        var token = $"tz_{prefix}_{Random(40)}";
        return (token, prefix, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string? PrefixOf(string token)
    {
        var parts = token.Split('_');
        return parts.Length == 3 && parts[0] == "tz" && parts[1].Length == 12 && parts[2].Length == 40 ? parts[1] : null;
    }

    /// <summary>
    /// The one check of an integration's token, wherever it arrives (a Bearer header; the Open311
    /// <c>api_key</c>): the prefix finds the row, the whole token's hash must match (constant time),
    /// revoked and expired clients fail. On success the client is kept for the request
    /// (<see cref="ClientItem"/>, read by <see cref="CurrentUser"/>), its use recorded at most once a
    /// minute, and its principal returned; null otherwise.
    /// </summary>
    public static async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext context, string token)
    {
        if (PrefixOf(token) is not { } prefix)
        {
            return null;
        }
        var cache = context.RequestServices.GetRequiredService<ApiClientCache>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var hash = Hash(token);
        // The database is asked only when the cache cannot answer.
        var client = cache.Find(hash);
        if (client is null)
        {
            var db = context.RequestServices.GetRequiredService<TaizhangDb>();
            client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.TokenPrefix == prefix, context.RequestAborted);
            if (client is null || client.RevokedAt is not null
                || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(client.TokenHash), Encoding.ASCII.GetBytes(hash)))
            {
                return null;
            }
            cache.Add(hash, client);
        }
        // Checked on every request, cached or not: a token stops at its expiry, not up to 15 s later.
        if (client.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return null;
        }
        // CurrentUser reads the client from here: no second look-up.
        context.Items[ClientItem] = client;
        // Record use at most once a minute: a busy hotline must not turn every read into a write.
        if (cache.ShouldRecordUse(hash, now))
        {
            var id = client.Id;
            var db = context.RequestServices.GetRequiredService<TaizhangDb>();
            await db.ApiClients.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.LastUsedAt, now), context.RequestAborted);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClientIdClaim, client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, client.Name),
        ], Scheme);
        return new ClaimsPrincipal(identity);
    }

    private static string Random(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, alphabet, (span, a) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }
}

/// <summary>
/// Valid API clients kept in memory for a short while, by the hash of their whole token (a wrong token
/// never matches an entry; only valid tokens are kept). Integrations send every request with their
/// token, and a database look-up per request was a fifth of intake's cost. A revocation through this
/// server (admin API, or the CLI in the same process) takes effect at once; one made by another
/// process or node within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiClientCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RecordUseEvery = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _byHash = new(StringComparer.Ordinal);

    private sealed class Entry(ApiClient client, DateTime loadedAt)
    {
        public ApiClient Client { get; } = client;

        public DateTime LoadedAt { get; } = loadedAt;

        public long LastUseRecordedTicks = client.LastUsedAt?.Ticks ?? 0;
    }

    public ApiClient? Find(string tokenHash)
    {
        if (_byHash.TryGetValue(tokenHash, out var e) && clock.GetUtcNow().UtcDateTime - e.LoadedAt < Lifetime)
        {
            return e.Client;
        }
        return null;
    }

    /// <summary>Keeps a valid, unrevoked client (loaded without tracking: the entry is shared by requests).</summary>
    public void Add(string tokenHash, ApiClient client) => _byHash[tokenHash] = new Entry(client, clock.GetUtcNow().UtcDateTime);

    /// <summary>Whether this request should record the client's use (at most once a minute per client and server).</summary>
    public bool ShouldRecordUse(string tokenHash, DateTime now)
    {
        if (!_byHash.TryGetValue(tokenHash, out var e))
        {
            return true;
        }
        var last = Interlocked.Read(ref e.LastUseRecordedTicks);
        return now.Ticks - last > RecordUseEvery.Ticks
            && Interlocked.CompareExchange(ref e.LastUseRecordedTicks, now.Ticks, last) == last;
    }

    public void Invalidate() => _byHash.Clear();
}

public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (ApiTokens.PrefixOf(token) is null)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        return await ApiTokens.AuthenticateAsync(Context, token) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, ApiTokens.Scheme))
            : AuthenticateResult.Fail("Unknown or revoked token.");
    }
}
