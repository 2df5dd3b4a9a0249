using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The ledger's total without counting the cases, where the county counters hold it exactly (issue 17: every ledger
/// filter at county scope ≤ 50 ms). A COUNT over the county's 1,000,000 cases for a filter that matches most of them
/// (status FollowedUp, satisfaction Satisfied, outcome Solved, followed up …) reads hundreds of thousands of rows or
/// index entries; the counters the triggers keep (<see cref="CaseStatusCount"/>, <see cref="CaseFactCount"/>,
/// <see cref="CaseCounterSql"/>) hold the same number in a few thousand rows. Exact, not an estimate: the same rows,
/// kept in the writers' transactions (<c>LedgerCountsTests</c> compares both on every filter handled here).
/// <para>
/// Handled: a caller who reads whole towns (town, county posts; <see cref="CaseAccess.AreaScope"/>), and a query whose
/// filters are only status, satisfaction, outcome, onTime, resolvedOnce and followedUp, or only channel, urgency and track
/// (<see cref="CaseKindCount"/>; any sort and page).
/// Status alone also for a scope with single units (the status counters are per unit). Anything else: null, and the
/// ledger counts as before.
/// </para>
/// </summary>
public sealed class LedgerCounts(TaizhangDb db, CurrentUser user, IConfiguration configuration, Reports.CaseCounters counters)
{
    private static readonly IReadOnlyList<CaseStatus> Handled = CaseFigures.Handled.Statuses!;

    /// <summary>Off with <c>Reports:Counters=false</c>, like every other use of the counters.</summary>
    private bool Enabled => configuration.GetValue("Reports:Counters", true);

    /// <summary>The exact number of cases the query selects in the caller's scope, from the counters; null when they cannot say.</summary>
    public async Task<int?> CountAsync(ListCases.Query q, CancellationToken ct)
    {
        if (!Enabled)
        {
            return null;
        }
        if (Reports.CaseCounters.StatusesOnly(q with { Page = null, PageSize = null }) is { } only)
        {
            return await counters.StatusCountAsync(only, ct);
        }
        if ((await user.AccessAsync(ct)).AreaScope(Permission.ReadCases) is not { Units.Length: 0, WholeTowns: { Length: > 0 } towns })
        {
            return null;
        }
        if ((q.Channel ?? q.Urgency ?? q.Track) is not null
            && (q with { Channel = null, Urgency = null, Track = null, Page = null, PageSize = null, Sort = null }) == new ListCases.Query())
        {
            return await KindCountAsync(q, towns, ct);
        }
        if ((q with { Status = null, Satisfaction = null, Outcome = null, OnTime = null, ResolvedOnce = null, FollowedUp = null, Page = null, PageSize = null, Sort = null })
            != new ListCases.Query())
        {
            return null;
        }
        var statuses = Names<CaseStatus>(q.Status, out var bad1);
        var satisfactions = Names<Satisfaction>(q.Satisfaction, out var bad2)?.Select(s => s.ToString()).ToArray();
        var outcomes = Names<Outcome>(q.Outcome, out var bad3)?.Select(o => o.ToString()).ToArray();
        var onTime = Flag(q.OnTime, out var bad4);
        var resolvedOnce = Flag(q.ResolvedOnce, out var bad5);
        var followedUp = Flag(q.FollowedUp, out var bad6);
        // A value the ledger refuses is its field error, not a count.
        if (bad1 || bad2 || bad3 || bad4 || bad5 || bad6)
        {
            return null;
        }

        await CaseCounterSql.CompactIfManyAsync(db, configuration.GetValue("Reports:CounterCompactAfterDeltas", 10_000), ct);
        var all = CaseCounterSql.WithDeltas(db,
            db.CaseFactCounts.AsNoTracking().Select(c => new { c.TownId, c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Count }),
            db.CaseFactCountDeltas.AsNoTracking().Select(c => new { c.TownId, c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Count }));
        var rows = all.Where(c => towns.Contains(c.TownId));
        if (statuses is not null)
        {
            rows = rows.Where(c => statuses.Contains(c.Status));
        }
        if (satisfactions is not null)
        {
            rows = rows.Where(c => satisfactions.Contains(c.Satisfaction));
        }
        if (outcomes is not null)
        {
            rows = rows.Where(c => outcomes.Contains(c.Outcome));
        }
        // onTime=false is "resolved, not before the due date": a case has a resolution time exactly when it has an
        // outcome (Case.Resolve sets both, reopening clears both), so it is "an outcome, and not on time".
        rows = onTime switch
        {
            true => rows.Where(c => c.OnTime),
            false => rows.Where(c => !c.OnTime && c.Outcome != ""),
            null => rows,
        };
        rows = resolvedOnce switch
        {
            true => rows.Where(c => c.Reopened || Handled.Contains(c.Status)),
            false => rows.Where(c => !c.Reopened && !Handled.Contains(c.Status)),
            null => rows,
        };
        rows = followedUp switch
        {
            true => rows.Where(c => c.FollowedUp),
            false => rows.Where(c => !c.FollowedUp),
            null => rows,
        };
        return (int)await rows.SumAsync(c => c.Count, ct);
    }

    /// <summary>
    /// Channel, urgency and track (any of them, each any set of values): the kind counters (<see cref="CaseKindCount"/>),
    /// a few hundred rows for a county where the county's 200,000 hotline cases were 40–60 ms of index entries to count
    /// on PostgreSQL, and the direct track (~95 % of a ledger) more. A case without a track ("": before triage, rejected,
    /// merged unrouted) matches no track filter, as in the ledger.
    /// </summary>
    private async Task<int?> KindCountAsync(ListCases.Query q, long[] towns, CancellationToken ct)
    {
        var channels = Names<Channel>(q.Channel, out var bad1)?.Select(c => c.ToString()).ToArray();
        var urgencies = Names<Urgency>(q.Urgency, out var bad2)?.Select(u => u.ToString()).ToArray();
        var tracks = Names<Track>(q.Track, out var bad3)?.Select(t => t.ToString()).ToArray();
        if (bad1 || bad2 || bad3)
        {
            return null;
        }
        await CaseCounterSql.CompactIfManyAsync(db, configuration.GetValue("Reports:CounterCompactAfterDeltas", 10_000), ct);
        var all = CaseCounterSql.WithDeltas(db,
            db.CaseKindCounts.AsNoTracking().Select(c => new { c.TownId, c.Channel, c.Urgency, c.Track, c.Count }),
            db.CaseKindCountDeltas.AsNoTracking().Select(c => new { c.TownId, c.Channel, c.Urgency, c.Track, c.Count }));
        var rows = all.Where(c => towns.Contains(c.TownId));
        if (channels is not null)
        {
            rows = rows.Where(c => channels.Contains(c.Channel));
        }
        if (urgencies is not null)
        {
            rows = rows.Where(c => urgencies.Contains(c.Urgency));
        }
        if (tracks is not null)
        {
            rows = rows.Where(c => tracks.Contains(c.Track));
        }
        return (int)await rows.SumAsync(c => c.Count, ct);
    }

    /// <summary>A list filter's values as the ledger reads them (names, any case, no numbers); null for no filter.</summary>
    private static TEnum[]? Names<TEnum>(string? value, out bool bad) where TEnum : struct, Enum
    {
        bad = false;
        var parts = value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (parts.Length == 0)
        {
            return null;
        }
        var parsed = new List<TEnum>();
        foreach (var part in parts)
        {
            if (part.All(char.IsAsciiDigit) || !Enum.TryParse<TEnum>(part, ignoreCase: true, out var v) || !Enum.IsDefined(v))
            {
                bad = true;
                return null;
            }
            parsed.Add(v);
        }
        return [.. parsed.Distinct()];
    }

    private static bool? Flag(string? value, out bool bad)
    {
        bad = false;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                bad = true;
                return null;
        }
    }
}
