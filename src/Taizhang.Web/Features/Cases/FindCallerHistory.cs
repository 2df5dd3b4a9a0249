using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// A caller's earlier cases, while the operator takes the call: an exact match on the number as
/// registration stores it, within what the caller may see, newest first. A phone number is a key
/// to a person, so the look-up is for people whose job is taking calls (<see cref="Permission.LookUpCallers"/>,
/// never an integration), is limited per person (RateLimits:CallerLookupsPerMinute), and every
/// look-up is recorded in the administrators' audit trail with the number's keyed hash, never the number.
/// </summary>
public static class FindCallerHistory
{
    public const int Limit = 20;

    public sealed record Item(long Id, string TrackingCode, DateTime RegisteredAt, string Title, CaseStatus Status);

    /// <summary>
    /// The caller's earlier cases; <see cref="BadPhone"/> when the number cannot be a phone number yet.
    /// <see cref="LastName"/>: the name the number was last registered with (on the newest of those
    /// cases that has one), which the hotline form fills in while its name field is empty.
    /// </summary>
    public sealed record History(IReadOnlyList<Item> Items, int Total, bool BadPhone, string? LastName = null);

    public const string AuditAction = "caller.lookup";

    /// <summary>Settings ("RateLimits" section).</summary>
    public sealed record Options(int PerMinute = 12);

    public sealed class Handler(TaizhangDb db, CurrentUser user, Texts texts, Limiter limiter, PhoneHasher hasher, TimeProvider clock)
    {
        /// <summary>Whether the caller may look up callers at all (the page shows the look-up only then).</summary>
        public async Task<bool> MayAsync(CancellationToken ct) =>
            (await user.GetAsync(ct)).UserId is not null && (await user.AccessAsync(ct)).HasAnywhere(Permission.LookUpCallers);

        /// <summary>The reporters' (town, phone) index answers it: the towns of the caller's scope are named.</summary>
        public async Task<History> HandleAsync(string? raw, CancellationToken ct)
        {
            if (!await MayAsync(ct))
            {
                throw new ForbiddenException();
            }
            var phone = RequestParsing.Phone(new FieldErrors(), texts, "phone", raw);
            if (phone is null)
            {
                // Not a number yet: nothing is looked up, so nothing is counted or recorded.
                return new History([], 0, BadPhone: true);
            }
            var principal = await user.GetAsync(ct);
            if (!limiter.TryAcquire(principal.UserId!.Value))
            {
                throw new TooManyRequestsException();
            }
            var access = await user.AccessAsync(ct);
            var towns = access.TownIds;
            var reporters = db.CaseReporters.AsNoTracking().Where(r => r.Phone == phone);
            if (towns is not null)
            {
                reporters = reporters.Where(r => towns.Contains(r.TownId));
            }
            var caseIds = reporters.Select(r => r.CaseId);
            var cases = access.Visible(db.Cases.AsNoTracking()).Where(c => caseIds.Contains(c.Id));
            var total = await cases.CountAsync(ct);
            var items = total == 0
                ? []
                : await cases.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Take(Limit)
                    .Select(c => new Item(c.Id, c.TrackingCode, c.RegisteredAt, c.Title, c.Status))
                    .ToListAsync(ct);
            // The name the caller gave last time, from the same cases (within the looker's posts), so the
            // operator need not ask for it again: part of what this limited, audited look-up answers.
            // An anonymous report's reporter has no name and is passed over.
            var lastName = total == 0 ? null : await db.CaseReporters.AsNoTracking()
                .Where(r => r.Phone == phone && r.Name != "")
                .Join(cases, r => r.CaseId, c => c.Id, (r, c) => new { r.Name, r.AddedAt, c.RegisteredAt, c.Id })
                .OrderByDescending(x => x.RegisteredAt).ThenByDescending(x => x.Id).ThenByDescending(x => x.AddedAt)
                .Select(x => x.Name)
                .FirstOrDefaultAsync(ct);
            db.Record(principal.Actor, clock.GetUtcNow().UtcDateTime, AuditAction, "phone:" + await hasher.HashAsync(phone, ct),
                $$"""{"results":{{total}}}""", AdminAudit.AreaOf(principal.Posts.Where(post => Permissions.Allows(post.Role, Permission.LookUpCallers)).Select(post => post.Unit)));
            await db.SaveChangesAsync(ct);
            return new History(items, total, BadPhone: false, lastName);
        }
    }

    /// <summary>A fixed window per person: a few look-ups a minute serve any operator, not a search of every number.</summary>
    public sealed class Limiter(Options options) : IDisposable
    {
        private readonly PartitionedRateLimiter<long> _limiter = PartitionedRateLimiter.Create<long, long>(id =>
            RateLimitPartition.GetFixedWindowLimiter(id, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.PerMinute),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

        public bool TryAcquire(long userId)
        {
            using var lease = _limiter.AttemptAcquire(userId);
            return lease.IsAcquired;
        }

        public void Dispose() => _limiter.Dispose();
    }

    /// <summary>
    /// HMAC-SHA256 of a normalized phone number under a key made for this installation (kept in
    /// Settings), so that the audit trail can say "the same number" without holding it: a plain hash
    /// of an 11-digit number is reversed by trying them all in seconds, a keyed one is not without the key.
    /// </summary>
    public sealed class PhoneHasher(IServiceScopeFactory scopes, TimeProvider clock)
    {
        public const string SettingKey = "audit-phone-key";

        private byte[]? _key;

        public async Task<string> HashAsync(string phone, CancellationToken ct)
        {
            var key = _key ??= await LoadOrCreateKeyAsync(ct);
            return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(phone)))[..32];
        }

        private async Task<byte[]> LoadOrCreateKeyAsync(CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            for (var attempt = 0; ; attempt++)
            {
                if (await db.Settings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).FirstOrDefaultAsync(ct) is { } stored)
                {
                    return Convert.FromBase64String(stored);
                }
                db.Settings.Add(new Setting
                {
                    Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                    UpdatedAt = clock.GetUtcNow().UtcDateTime, UpdatedBy = "system",
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // Another server or request made it first: read theirs.
                    db.ChangeTracker.Clear();
                }
            }
        }
    }
}
