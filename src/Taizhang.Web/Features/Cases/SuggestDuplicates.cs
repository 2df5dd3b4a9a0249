using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Resources;

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

    /// <param name="OrgUnitId">The village (or unit) the matter is at: a draft's, at intake; read from the case when null.</param>
    /// <param name="Phone">A draft's reporter's phone (compared only, never answered); a queued case's are read from it.</param>
    public sealed record Queued(long Id, long TownId, string Title, string Description, long? OrgUnitId = null, string? Phone = null);

    /// <summary>A likely duplicate, and why it was suggested (for the intake pages' panel): the same caller (only when the
    /// asker may look up callers and typed that caller's phone), the same village, words close enough on their own, and how
    /// many whole days ago it was registered.</summary>
    public sealed record Suggestion(long Id, string TrackingCode, string Title, CaseStatus Status, int Percent,
        bool SameCaller = false, bool SameVillage = false, bool SimilarText = false, int DaysAgo = 0);

    /// <summary>The most recent cases the full-text index finds sharing a word of the title, per queued case.</summary>
    public const int IndexCandidates = 200;

    /// <summary>Registered this close together, two reports of one matter are likely the same.</summary>
    public const int RecentDays = 3;

    /// <summary>What the clerk has typed so far (the registration form's fields).</summary>
    public sealed record Draft(string? Title, string? Description, string? OrgUnit, string? Phone = null);

    /// <summary>POST /api/v1/cases/similar: a POST so that the typed text stays out of URLs and access logs.</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<IReadOnlyList<Suggestion>>> Endpoint(Draft draft, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.ForDraftAsync(draft, ct));

    private sealed record Candidate(long Id, long TownId, string TrackingCode, string Title, string Description, CaseStatus Status,
        long OrgUnitId, DateTime RegisteredAt);

    public sealed class Handler(TaizhangDb db, CurrentUser user, TimeProvider clock, SearchIndexBackfill index, OrgDirectory org, Texts texts,
        FindCallerHistory.Limiter limiter, FindCallerHistory.PhoneHasher hasher)
    {
        /// <summary>
        /// At intake (the hotline and desk pages, while the clerk types): a draft's likely duplicates among the
        /// open cases the caller may read, in the town of the unit named. The reporter's phone counts (the same
        /// caller's cases rank first) only for people who may look up callers, and then as that look-up does:
        /// within its per-person limit (past it the phone is left out, the text still answers) and recorded in
        /// the audit trail with the number's keyed hash, never the number; it is never in the answer.
        /// </summary>
        public async Task<IReadOnlyList<Suggestion>> ForDraftAsync(Draft draft, CancellationToken ct)
        {
            var title = draft.Title?.Trim() ?? "";
            var description = draft.Description?.Trim() ?? "";
            if (title.Length + description.Length < 2 || title.Length > 200 || description.Length > 4000)
            {
                return [];
            }
            var units = await org.GetAsync(ct);
            if (draft.OrgUnit is null || !units.UnitsByCode.TryGetValue(draft.OrgUnit.Trim(), out var unit) || unit.TownId is not { } town)
            {
                return [];
            }
            string? phone = null;
            if (!string.IsNullOrWhiteSpace(draft.Phone) && RequestParsing.Phone(new FieldErrors(), texts, "phone", draft.Phone) is { } p
                && (await user.AccessAsync(ct)).HasAnywhere(Permission.LookUpCallers))
            {
                var principal = await user.GetAsync(ct);
                if (principal.UserId is { } userId && limiter.TryAcquire(userId))
                {
                    phone = p;
                    db.Record(principal.Actor, clock.GetUtcNow().UtcDateTime, FindCallerHistory.AuditAction, "phone:" + await hasher.HashAsync(p, ct),
                        """{"similar":true}""", AdminAudit.AreaOf(principal.Posts.Where(post => Permissions.Allows(post.Role, Permission.LookUpCallers)).Select(post => post.Unit)));
                    await db.SaveChangesAsync(ct);
                }
            }
            var found = await HandleAsync([new Queued(0, town, title.Length > 0 ? title : description, description, unit.Id, phone)], ct, Permission.ReadCases);
            return found.GetValueOrDefault(0) ?? [];
        }

        /// <summary>
        /// Before a page registers a draft (the hotline and desk pages): its likely duplicates, or none when the
        /// clerk confirmed a new matter, when a title or description is missing (the field messages come first),
        /// or when this form's Idempotency-Key already made a case (a double submit replays its case rather than
        /// stopping at the case it made itself).
        /// </summary>
        public async Task<IReadOnlyList<Suggestion>> BeforeRegisterAsync(Draft draft, bool confirmed, string? key, CancellationToken ct)
        {
            if (confirmed || string.IsNullOrWhiteSpace(draft.Title) || string.IsNullOrWhiteSpace(draft.Description))
            {
                return [];
            }
            if (!string.IsNullOrWhiteSpace(key))
            {
                var scoped = RegisterCase.ScopedKey((await user.GetAsync(ct)).Actor, key.Trim());
                if (await db.Cases.AsNoTracking().AnyAsync(c => c.IdempotencyKey == scoped, ct))
                {
                    return [];
                }
            }
            return await ForDraftAsync(draft, ct);
        }

        public async Task<IReadOnlyDictionary<long, IReadOnlyList<Suggestion>>> HandleAsync(IReadOnlyList<Queued> queued, CancellationToken ct,
            Permission permission = Permission.Merge)
        {
            var result = new Dictionary<long, IReadOnlyList<Suggestion>>();
            if (queued.Count == 0)
            {
                return result;
            }
            var access = await user.AccessAsync(ct);
            var towns = queued.Select(q => q.TownId).Distinct().ToArray();
            var now = clock.GetUtcNow().UtcDateTime;
            var since = now.AddDays(-WindowDays);
            var open = Lifecycle.OpenStatuses.ToArray();
            var mergeable = access.Reachable(db.Cases.AsNoTracking(), permission)
                .Where(c => towns.Contains(c.TownId) && open.Contains(c.Status) && c.RegisteredAt >= since);

            // What the queued cases are: their village, when registered, and their reporters' phones (never shown
            // or logged: only compared here, to find the same caller's other reports).
            var ids = queued.Where(q => q.Id > 0).Select(q => q.Id).ToArray();
            var facts = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.OrgUnitId, c.RegisteredAt }).ToDictionaryAsync(c => c.Id, ct);
            var phones = (await db.CaseReporters.AsNoTracking().Where(r => ids.Contains(r.CaseId) && r.Phone != null)
                .Select(r => new { r.CaseId, r.TownId, r.Phone }).ToListAsync(ct))
                .GroupBy(r => r.CaseId).ToDictionary(g => g.Key, g => g.Select(r => (r.TownId, Phone: r.Phone!)).ToArray());
            foreach (var q in queued.Where(q => q.Phone is not null))
            {
                phones[q.Id] = [(q.TownId, q.Phone!)];
            }
            var allPhones = phones.Values.SelectMany(p => p.Select(x => x.Phone)).Distinct().ToArray();
            // The same callers' cases in these towns (the reporters' town-and-phone index).
            var byPhone = allPhones.Length == 0 ? [] : (await db.CaseReporters.AsNoTracking()
                .Where(r => towns.Contains(r.TownId) && allPhones.Contains(r.Phone!))
                .Select(r => new { r.CaseId, r.Phone }).ToListAsync(ct))
                .Select(r => (r.CaseId, Phone: r.Phone!)).ToList();
            var casesOfPhone = byPhone.GroupBy(r => r.Phone).ToDictionary(g => g.Key, g => g.Select(r => r.CaseId).ToHashSet());

            // Candidates: the newest open cases (as before), the cases the full-text index finds sharing a
            // word of a queued title — however far back in a large town's queue — and the same callers' cases.
            var extra = new HashSet<long>(byPhone.Select(r => r.CaseId));
            if (index.Ready)
            {
                foreach (var q in queued)
                {
                    var words = Domain.Cases.SearchGrams.Query(q.Title).SelectMany(t => t).Distinct().ToArray();
                    if (words.Length > 0)
                    {
                        extra.UnionWith(await SearchIndex.MatchingAny(db, words, [q.TownId])
                            .OrderByDescending(id => id).Take(IndexCandidates).ToListAsync(ct));
                    }
                }
            }
            var extraIds = extra.ToArray();
            var candidates = new List<Candidate>();
            foreach (var source in new[]
            {
                mergeable.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Take(MaxCandidates),
                mergeable.Where(c => EF.Parameter(extraIds).Contains(c.Id)),
            })
            {
                candidates.AddRange(await source
                    .Select(c => new Candidate(c.Id, c.TownId, c.TrackingCode, c.Title, c.Description.Substring(0, TextSimilarity.DescriptionPrefix),
                        c.Status, c.OrgUnitId, c.RegisteredAt))
                    .ToListAsync(ct));
            }
            var profiled = candidates.DistinctBy(c => c.Id)
                .Select(c => (c.Id, c.TownId, c.TrackingCode, c.Title, c.Status, c.OrgUnitId, c.RegisteredAt,
                    Matter: TextSimilarity.Matter.Of(c.Title, c.Description)))
                .ToList();
            foreach (var q in queued)
            {
                var matter = TextSimilarity.Matter.Of(q.Title, q.Description);
                var village = q.OrgUnitId ?? (facts.TryGetValue(q.Id, out var f) ? f.OrgUnitId : null);
                var at = facts.TryGetValue(q.Id, out var g) ? g.RegisteredAt : now;
                var sameCaller = new HashSet<long>();
                foreach (var (_, phone) in phones.GetValueOrDefault(q.Id) ?? [])
                {
                    sameCaller.UnionWith(casesOfPhone.GetValueOrDefault(phone) ?? []);
                }
                var best = profiled
                    .Where(c => c.TownId == q.TownId && c.Id != q.Id)
                    .Select(c =>
                    {
                        var text = TextSimilarity.Score(matter, c.Matter);
                        var rank = Rank(text, sameCaller.Contains(c.Id), c.OrgUnitId == village, Math.Abs((c.RegisteredAt - at).TotalDays) <= RecentDays);
                        return (c.Id, c.TrackingCode, c.Title, c.Status, Text: text, Rank: rank, SameCaller: sameCaller.Contains(c.Id),
                            SameVillage: c.OrgUnitId == village, c.RegisteredAt);
                    })
                    .Where(c => c.Rank is not null)
                    .OrderByDescending(c => c.Rank).ThenByDescending(c => c.Text).ThenBy(c => c.Id)
                    .Take(MaxSuggestions)
                    .Select(c => new Suggestion(c.Id, c.TrackingCode, c.Title, c.Status, (int)Math.Round(c.Text * 100),
                        c.SameCaller, c.SameVillage, c.Text >= TextSimilarity.SuggestThreshold, Math.Max(0, (int)Math.Floor((now - c.RegisteredAt).TotalDays))))
                    .ToList();
                if (best.Count > 0)
                {
                    result[q.Id] = best;
                }
            }
            return result;
        }

        /// <summary>
        /// Whether a candidate is suggested, and how high. Text alone (a near-copy) must reach the threshold;
        /// the same caller, the same village and a registration within days each add to the words the two share,
        /// so a short report by the same person about the same place ("马家村路灯不亮" the same day) ranks above
        /// a stranger's near-copy — but only when they share words at all (a caller's unrelated matter is not suggested).
        /// </summary>
        public static double? Rank(double text, bool sameCaller, bool sameVillage, bool recent)
        {
            var bonus = (sameCaller ? 0.4 : 0) + (sameVillage ? 0.15 : 0) + (recent ? 0.1 : 0);
            if (text >= TextSimilarity.SuggestThreshold || (text >= MinSharedText && (sameCaller || sameVillage) && bonus >= 0.25))
            {
                return text + bonus;
            }
            return null;
        }

        /// <summary>Below this, two texts share no real word (a stray character pair).</summary>
        public const double MinSharedText = 0.2;
    }
}
