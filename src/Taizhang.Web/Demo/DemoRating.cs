using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Residents;

namespace Taizhang.Web.Demo;

/// <summary>
/// So that the self-service rating can be tried in the demo: at every start with demo data, the most
/// recently resolved case that waits for its return visit carries the 评价码 <see cref="Code"/>, and
/// the console says which case that is. Only in demo mode; a real registration's code is random (or
/// derived from its Idempotency-Key) and never printed. Once that case is rated, the next start picks
/// the next resolved case.
/// </summary>
public static class DemoRating
{
    /// <summary>The demo's one documented rating code (shown as "2026 0606").</summary>
    public const string Code = "20260606";

    public static async Task<string?> PrepareAsync(IServiceProvider services, TextWriter console, CancellationToken ct = default)
    {
        if (!services.GetRequiredService<DemoOptions>().Seed)
        {
            return null;
        }
        var key = await services.GetRequiredService<RatingCodes>().KeyAsync(ct);
        await using var scope = services.CreateAsyncScope();
        return await AssignAsync(scope.ServiceProvider.GetRequiredService<TaizhangDb>(), key, console, ct);
    }

    /// <summary>Gives the demo code to the latest resolved case (unless one already has it) and says which; its tracking code.</summary>
    public static async Task<string?> AssignAsync(TaizhangDb db, byte[] key, TextWriter console, CancellationToken ct = default)
    {
        var candidates = await db.Cases.AsNoTracking()
            .Where(c => c.Status == CaseStatus.Resolved)
            .OrderByDescending(c => c.ResolvedAt).ThenByDescending(c => c.Id)
            .Select(c => new { c.Id, c.TrackingCode, c.RatingCodeHash })
            .Take(50)
            .ToListAsync(ct);
        var chosen = candidates.FirstOrDefault(c => RatingCodes.Matches(key, c.TrackingCode, Code, c.RatingCodeHash));
        if (chosen is null && candidates.FirstOrDefault(c => c.RatingCodeHash is null) is { } fresh)
        {
            var hash = RatingCodes.Hash(key, fresh.TrackingCode, Code);
            await db.Cases.Where(c => c.Id == fresh.Id && c.RatingCodeHash == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.RatingCodeHash, hash), ct);
            chosen = fresh;
        }
        if (chosen is null)
        {
            return null;
        }
        console.WriteLine($"Taizhang demo: rate case {chosen.TrackingCode} at /track/{chosen.TrackingCode} with the rating code {RatingCodes.Display(Code)}.");
        return chosen.TrackingCode;
    }
}
