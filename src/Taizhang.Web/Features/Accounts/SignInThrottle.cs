using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Accounts;

/// <summary>The limits on failed sign-ins (section "Accounts"); see <see cref="SignInThrottle"/>.</summary>
public sealed class SignInLimits
{
    public const string Section = "Accounts";

    /// <summary>Failures on one account from one address before that address is refused for that account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>Failures on one account from all addresses together before it is refused from everywhere.</summary>
    public int MaxFailedSignInsPerAccount { get; set; } = 20;

    /// <summary>Failures from one address, on any names, before the address may not try any more.</summary>
    public int MaxFailedSignInsPerAddress { get; set; } = 50;

    /// <summary>How long a failure counts: a refusal ends at the latest this long after the failure that caused it.</summary>
    public double LockoutMinutes { get; set; } = 15;

    public TimeSpan Window => TimeSpan.FromMinutes(LockoutMinutes);

    public SignInLimits Validated()
    {
        if (MaxFailedSignIns < 1 || MaxFailedSignInsPerAccount < 1 || MaxFailedSignInsPerAddress < 1 || LockoutMinutes <= 0)
        {
            throw new InvalidOperationException(
                "Accounts:MaxFailedSignIns, MaxFailedSignInsPerAccount, MaxFailedSignInsPerAddress and LockoutMinutes must be positive.");
        }
        return this;
    }
}

/// <summary>
/// Signing in with a name and password, throttled so that guessing is slow and nobody can shut a
/// person out for long, and so that no answer tells whether an account exists.
///
/// Why throttling and not lockout: a lockout that anyone can trigger with five tries is a way to
/// keep any official out of the ledger. Failures are counted in a sliding window
/// (Accounts:LockoutMinutes, 15) and refusals end on their own when the failures that caused them
/// leave it:
/// <list type="bullet">
/// <item>per account and address (Accounts:MaxFailedSignIns, 5): the address that guessed wrong is
/// refused for that account; the person at their own desk is not. A single address can therefore
/// never shut anyone else out;</item>
/// <item>per account from all addresses (Accounts:MaxFailedSignInsPerAccount, 20): guessing spread
/// over many addresses is refused everywhere, for at most the window after the last counted
/// failure; an administrator sees it in the user list and lifts it (POST …/users/{id}/unlock);</item>
/// <item>per address on any names (Accounts:MaxFailedSignInsPerAddress, 50, failures of unknown
/// names included): one address cannot try a common password on every account (429);</item>
/// <item>and the rate limiter counts every sign-in attempt per address (RateLimits:SignInPerMinute).</item>
/// </list>
/// Same answer: an unknown name, a disabled account, a wrong password and a throttled account all get
/// <see cref="SignInFailedException"/> after the same work — one look-up of the name, one of the
/// account's failures, one password hash verification (against a dummy hash when there is no
/// account to check or it may not try now) and one failure row written. A throttled person is
/// refused even with the right password, and the message says that repeated failures make one wait.
/// Attempts refused by the throttle count against the address but not against the account, so a
/// person who keeps trying does not lengthen their own wait.
/// </summary>
public sealed class SignInThrottle(
    TaizhangDb db, UserManager<AppUser> users, SignInManager<AppUser> signIn, SignInLimits limits, TimeProvider clock,
    IHttpContextAccessor http)
{
    /// <summary>The claim in the session cookie with the sign-in time (Unix seconds), for the absolute session lifetime.</summary>
    public const string SignedInAtClaim = "taizhang:signed-in-at";

    /// <summary>A hash of a random password, made like every real one, to verify against when there is no real one to verify.</summary>
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), AccountBootstrap.GeneratePassword()));

    private static long _lastPrunedTicks;

    public sealed record ThrottledAddress(string Address, DateTime Until);

    /// <summary>An account's recent failures as an administrator sees them.</summary>
    public sealed record State(int FailedSignIns, DateTime? LockedOutUntil, IReadOnlyList<ThrottledAddress> ThrottledAddresses)
    {
        public static readonly State None = new(0, null, []);
    }

    /// <summary>Checks the password within the limits and issues the session cookie; refusals throw.</summary>
    public async Task<AppUser> SignInAsync(string userName, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - limits.Window;
        var address = http.HttpContext is { } context ? ClientAddress.Of(context) : "unknown";
        await PruneAsync(now, ct);

        // The address first, whatever the name: this refusal says nothing about any account.
        var fromAddress = await db.SignInFailures.AsNoTracking()
            .Where(f => f.Address == address && f.At > since)
            .OrderByDescending(f => f.At).Select(f => f.At).Take(limits.MaxFailedSignInsPerAddress)
            .ToListAsync(ct);
        if (fromAddress.Count >= limits.MaxFailedSignInsPerAddress)
        {
            throw new TooManySignInsException(fromAddress[^1] + limits.Window - now);
        }

        var user = await users.FindByNameAsync(userName);
        // Asked for unknown names too (no account has id 0), so both paths make the same queries.
        var accountId = user?.Id ?? 0;
        var failures = await db.SignInFailures.AsNoTracking()
            .Where(f => f.UserId == accountId && !f.Throttled && f.At > since)
            .Select(f => new { f.Address, f.At })
            .ToListAsync(ct);
        var throttled = failures.Count >= limits.MaxFailedSignInsPerAccount
            || failures.Count(f => f.Address == address) >= limits.MaxFailedSignIns;

        bool succeeded;
        if (user is null || user.IsDisabled || throttled || user.PasswordHash is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, password);
            succeeded = false;
        }
        else
        {
            succeeded = await users.CheckPasswordAsync(user, password);
        }
        if (!succeeded)
        {
            db.SignInFailures.Add(new SignInFailure { UserId = user?.Id, Address = address, At = now, Throttled = throttled });
            await db.SaveChangesAsync(ct);
            throw new SignInFailedException((int)Math.Ceiling(limits.LockoutMinutes));
        }

        // The person got in from here: their earlier slips from here no longer count. Failures from
        // elsewhere stay until they age out, or a guesser elsewhere would get a fresh allowance.
        var id = user!.Id;
        await db.SignInFailures.Where(f => f.UserId == id && f.Address == address).ExecuteDeleteAsync(ct);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            [new Claim(SignedInAtClaim, new DateTimeOffset(now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))]);
        return user;
    }

    /// <summary>How long repeated failures make one wait, in whole minutes: what the messages say.</summary>
    public int WaitMinutes => (int)Math.Ceiling(limits.LockoutMinutes);

    /// <summary>
    /// Checks the password of a signed-in person again (changing their own password) within the same
    /// limits as signing in: a wrong one counts as a failed sign-in from this address, and a
    /// throttled account is refused even with the right one, so that a stolen session is no faster
    /// a way to guess the password than the sign-in page.
    /// </summary>
    public async Task<bool> VerifyPasswordAsync(AppUser user, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - limits.Window;
        var address = http.HttpContext is { } context ? ClientAddress.Of(context) : "unknown";
        var id = user.Id;
        var failures = await db.SignInFailures.AsNoTracking()
            .Where(f => f.UserId == id && !f.Throttled && f.At > since)
            .Select(f => f.Address)
            .ToListAsync(ct);
        var throttled = failures.Count >= limits.MaxFailedSignInsPerAccount
            || failures.Count(a => a == address) >= limits.MaxFailedSignIns;
        if (!throttled && user.PasswordHash is not null && await users.CheckPasswordAsync(user, password))
        {
            return true;
        }
        db.SignInFailures.Add(new SignInFailure { UserId = id, Address = address, At = now, Throttled = throttled });
        await db.SaveChangesAsync(ct);
        return false;
    }

    /// <summary>Recent failures and refusals per account, for the administrators' user list.</summary>
    public async Task<IReadOnlyDictionary<long, State>> StatesAsync(long? userId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime - limits.Window;
        var rows = await db.SignInFailures.AsNoTracking()
            .Where(f => f.UserId != null && !f.Throttled && f.At > since && (userId == null || f.UserId == userId))
            .Select(f => new { UserId = f.UserId!.Value, f.Address, f.At })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g =>
        {
            var times = g.Select(r => r.At).Order().ToList();
            var addresses = g.GroupBy(r => r.Address)
                .Select(a => (Address: a.Key, Until: Until(a.Select(r => r.At).Order().ToList(), limits.MaxFailedSignIns)))
                .Where(a => a.Until is not null)
                .Select(a => new ThrottledAddress(a.Address, a.Until!.Value))
                .OrderBy(a => a.Address, StringComparer.Ordinal)
                .ToList();
            return new State(times.Count, Until(times, limits.MaxFailedSignInsPerAccount), addresses);
        });
    }

    /// <summary>When the refusal that <paramref name="ascending"/> failures cause ends: when enough of them have left the window.</summary>
    private DateTime? Until(List<DateTime> ascending, int max) =>
        ascending.Count >= max ? ascending[ascending.Count - max] + limits.Window : null;

    /// <summary>Lifts every refusal of the account (an administrator's unlock, a password reset).</summary>
    public Task LiftAsync(long userId, CancellationToken ct) =>
        db.SignInFailures.Where(f => f.UserId == userId).ExecuteDeleteAsync(ct);

    /// <summary>Failures older than the window count for nothing: removed at most once a minute per server.</summary>
    private async Task PruneAsync(DateTime now, CancellationToken ct)
    {
        var last = Interlocked.Read(ref _lastPrunedTicks);
        if (now.Ticks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastPrunedTicks, now.Ticks, last) != last)
        {
            return;
        }
        var before = now - limits.Window;
        await db.SignInFailures.Where(f => f.At <= before).ExecuteDeleteAsync(ct);
    }
}
