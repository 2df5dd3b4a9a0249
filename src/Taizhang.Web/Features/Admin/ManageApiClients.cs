using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// Named API clients for integrations (hotline system, petition platform, higher-level
/// platform): created with a token shown once and an optional expiry, listed with when each was
/// last used, revoked. Also a CLI command (`api-client create|list|revoke`) for set-up before
/// anyone can sign in.
/// </summary>
public static class ManageApiClients
{
    /// <summary><see cref="ExpiresAt"/>: a date (valid through that local day) or an instant with its offset; none: until revoked.</summary>
    public sealed record CreateRequest(string? Name, string? OrgUnit, IReadOnlyList<string>? Channels, string? ExpiresAt = null);

    public sealed record ClientView(long Id, string Name, UnitRef? OrgUnit, IReadOnlyList<string> Channels, DateTime CreatedAt,
        string CreatedBy, DateTime? RevokedAt, DateTime? LastUsedAt, DateTime? ExpiresAt);

    /// <summary>The token appears here and nowhere else, ever: only its hash is kept.</summary>
    public sealed record NewClient(ClientView Client, string Token);

    public sealed class Handler(TaizhangDb db, AdminScope admin, OrgDirectory org, TimeProvider clock, Texts texts, ApiClientCache tokens, DuePolicy due)
    {
        public async Task<IReadOnlyList<ClientView>> ListAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
            return clients.Where(c => scope.Covers(c.OrgUnitId)).Select(c => View(c, scope.Units)).ToList();
        }

        public async Task<NewClient> CreateAsync(CreateRequest request, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var errors = new FieldErrors();
            var unit = scope.Unit(errors, texts, "orgUnit", request.OrgUnit);
            if (unit is not null && !errors.Any)
            {
                db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "api-client.create", "api-client:" + request.Name,
                    $"unit={unit.Code}; channels={string.Join(',', request.Channels ?? [])}; expires={request.ExpiresAt ?? "never"}", unit.Id);
            }
            var created = await CreateCoreAsync(db, errors, texts, request.Name, unit, request.Channels, request.ExpiresAt, due,
                scope.Principal.Actor.Name, clock.GetUtcNow().UtcDateTime, ct);
            return new NewClient(View(created.Client, await org.GetAsync(ct)), created.Token);
        }

        public async Task<ClientView> RevokeAsync(long id, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Id == id, ct);
            if (client is null || !scope.Covers(client.OrgUnitId))
            {
                throw new NotFoundException("apiClient");
            }
            client.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "api-client.revoke", "api-client:" + client.Id, client.Name, client.OrgUnitId);
            await db.SaveChangesAsync(ct);
            tokens.Invalidate();
            return View(client, scope.Units);
        }
    }

    /// <summary>Shared by the API and the CLI: validate, store the hash, return the one-time token.</summary>
    public static async Task<(ApiClient Client, string Token)> CreateCoreAsync(
        TaizhangDb db, FieldErrors errors, Texts texts, string? name, UnitInfo? unit, IReadOnlyList<string>? channelNames,
        string? expiresAt, DuePolicy due, string createdBy, DateTime now, CancellationToken ct)
    {
        var cleanName = RequestParsing.Text(errors, texts, "name", name, 100, required: true);
        var expires = ParseExpiry(errors, texts, "expiresAt", expiresAt, due, now);
        if (cleanName is not null && await db.ApiClients.AnyAsync(c => c.Name == cleanName, ct))
        {
            errors.Add("name", texts["field.name-taken"]);
        }
        var channels = new List<Channel>();
        if (channelNames is null || channelNames.Count == 0)
        {
            errors.Add("channels", texts["field.required"]);
        }
        else
        {
            foreach (var c in channelNames)
            {
                if (RequestParsing.Enum<Channel>(errors, texts, "channels", c, required: true) is { } parsed && !channels.Contains(parsed))
                {
                    channels.Add(parsed);
                }
            }
        }
        errors.ThrowIfAny();
        var (token, prefix, hash) = ApiTokens.New();
        var client = new ApiClient
        {
            Name = cleanName!,
            OrgUnitId = unit!.Id,
            AllowedChannels = string.Join(',', channels),
            TokenPrefix = prefix,
            TokenHash = hash,
            CreatedAt = now,
            CreatedBy = createdBy,
            ExpiresAt = expires,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        return (client, token);
    }

    /// <summary>
    /// "2027-06-30": the token works through that day in the offices' time zone (like a due date);
    /// "2027-06-30T18:00:00+08:00" or "…Z": until that instant. Either must lie in the future.
    /// </summary>
    public static DateTime? ParseExpiry(FieldErrors errors, Texts texts, string field, string? value, DuePolicy due, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = value.Trim();
        DateTime expires;
        if (text.Length == 10 && RequestParsing.Date(new FieldErrors(), texts, field, text) is { } date)
        {
            expires = due.EndOfLocalDay(date);
        }
        else if (text.Contains('T', StringComparison.Ordinal) && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant.Year is >= 2000 and <= 2100)
        {
            expires = instant.UtcDateTime;
        }
        else
        {
            errors.Add(field, texts["field.expires-at"]);
            return null;
        }
        if (expires <= now)
        {
            errors.Add(field, texts["field.expires-at-past"]);
            return null;
        }
        return expires;
    }

    private static ClientView View(ApiClient c, OrgDirectory.Snapshot units) => new(
        c.Id, c.Name, units.Ref(c.OrgUnitId), c.AllowedChannels.Split(',', StringSplitOptions.RemoveEmptyEntries), c.CreatedAt,
        c.CreatedBy, c.RevokedAt, c.LastUsedAt, c.ExpiresAt);

    public static async Task<Ok<IReadOnlyList<ClientView>>> ListEndpoint(Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.ListAsync(ct));

    public static async Task<Created<NewClient>> CreateEndpoint(CreateRequest? request, Handler h, CancellationToken ct)
    {
        var created = await h.CreateAsync(request ?? new CreateRequest(null, null, null, null), ct);
        return TypedResults.Created($"/api/v1/admin/api-clients/{created.Client.Id}", created);
    }

    public static async Task<Ok<ClientView>> RevokeEndpoint(long id, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.RevokeAsync(id, ct));
}
