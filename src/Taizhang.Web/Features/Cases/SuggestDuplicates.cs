using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// 归纳整理: for each queued case, up to three open cases of the same town, registered in the last
/// 90 days, that read like it — only cases the caller may merge into (the merge would refuse the
/// others). One bounded query for all the queued cases, compared in memory.
/// </summary>
public static class SuggestDuplicates
{
    /// <summary>Bounds the one query that feeds the suggestions of a page.</summary>
    public const int MaxCandidates = 3000;

    public const int WindowDays = 90;
    public const int MaxSuggestions = 3;

    public sealed record Queued(long Id, long TownId, string Title, string Description);

    public sealed record Suggestion(long Id, string TrackingCode, string Title, CaseStatus Status, int Percent);

    public sealed class Handler(TaizhangDb db, CurrentUser user, TimeProvider clock)
    {
        public async Task<IReadOnlyDictionary<long, IReadOnlyList<Suggestion>>> HandleAsync(IReadOnlyList<Queued> queued, CancellationToken ct)
        {
            var result = new Dictionary<long, IReadOnlyList<Suggestion>>();
            if (queued.Count == 0)
            {
                return result;
            }
            var access = await user.AccessAsync(ct);
            var towns = queued.Select(q => q.TownId).Distinct().ToArray();
            var since = clock.GetUtcNow().UtcDateTime.AddDays(-WindowDays);
            var open = Lifecycle.OpenStatuses.ToArray();
            var candidates = await access.Reachable(db.Cases.AsNoTracking(), Permission.Merge)
                .Where(c => towns.Contains(c.TownId) && open.Contains(c.Status) && c.RegisteredAt >= since)
                .OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id)
                .Take(MaxCandidates)
                .Select(c => new
                {
                    c.Id, c.TownId, c.TrackingCode, c.Title, Description = c.Description.Substring(0, TextSimilarity.DescriptionPrefix), c.Status,
                })
                .ToListAsync(ct);
            var profiled = candidates
                .Select(c => (c.Id, c.TownId, c.TrackingCode, c.Title, c.Status, Matter: TextSimilarity.Matter.Of(c.Title, c.Description)))
                .ToList();
            foreach (var q in queued)
            {
                var matter = TextSimilarity.Matter.Of(q.Title, q.Description);
                var best = profiled
                    .Where(c => c.TownId == q.TownId && c.Id != q.Id)
                    .Select(c => (c.Id, c.TrackingCode, c.Title, c.Status, Score: TextSimilarity.Score(matter, c.Matter)))
                    .Where(c => c.Score >= TextSimilarity.SuggestThreshold)
                    .OrderByDescending(c => c.Score).ThenBy(c => c.Id)
                    .Take(MaxSuggestions)
                    .Select(c => new Suggestion(c.Id, c.TrackingCode, c.Title, c.Status, (int)Math.Round(c.Score * 100)))
                    .ToList();
                if (best.Count > 0)
                {
                    result[q.Id] = best;
                }
            }
            return result;
        }
    }
}
