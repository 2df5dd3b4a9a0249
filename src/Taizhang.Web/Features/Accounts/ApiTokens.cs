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
/// The prefix finds the client; the SHA-256 of the whole token must match. Revoked clients fail.
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

public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TaizhangDb db, TimeProvider clock)
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
        if (ApiTokens.PrefixOf(token) is not { } prefix)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.TokenPrefix == prefix, Context.RequestAborted);
        if (client is null || client.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(client.TokenHash), Encoding.ASCII.GetBytes(ApiTokens.Hash(token))))
        {
            return AuthenticateResult.Fail("Unknown or revoked token.");
        }
        // CurrentUser reads the client from here: one look-up per request on the integrations' hot path.
        Context.Items[ApiTokens.ClientItem] = client;
        var now = clock.GetUtcNow().UtcDateTime;
        // Record use at most once a minute: a busy hotline must not turn every read into a write.
        if (client.LastUsedAt is null || now - client.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            client.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ApiTokens.ClientIdClaim, client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, client.Name),
        ], ApiTokens.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokens.Scheme));
    }
}
