using System.Threading.RateLimiting;
using Taizhang.Domain.Organization;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Residents;

/// <summary>The public form's settings (section "Residents", and RateLimits:ReportPerHour).</summary>
public sealed class ReportOptions
{
    public const string Section = "Residents";

    /// <summary>Leading zero bits the browser must find: 16 is about 65,000 hashes, a second or less on a phone.</summary>
    public int ProofOfWorkBits { get; set; } = 16;

    /// <summary>How long a challenge may be used after the form was shown.</summary>
    public int ProofOfWorkMinutes { get; set; } = 30;

    /// <summary>How long the personal information is kept, as the consent text says it; empty: the default text.</summary>
    public string? RetentionText { get; set; }

    /// <summary>The hotline number offered to those who cannot use the form (no JavaScript); empty: none offered.</summary>
    public string? Hotline { get; set; }

    /// <summary>Submissions of the form per client address per hour (RateLimits:ReportPerHour); showing the form is free.</summary>
    public int ReportsPerHour { get; set; } = 10;

    /// <summary>Photos and documents one report may carry.</summary>
    public const int MaxFiles = 3;

    /// <summary>The title is the description's first sentence, at most this long.</summary>
    public const int TitleLength = 30;

    public static ReportOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ReportOptions>() ?? new ReportOptions();
        options.ReportsPerHour = configuration.GetValue("RateLimits:ReportPerHour", options.ReportsPerHour);
        if (options.ProofOfWorkBits is < 0 or > 32 || options.ProofOfWorkMinutes <= 0 || options.ReportsPerHour <= 0)
        {
            throw new InvalidOperationException("Residents:ProofOfWorkBits must be 0–32, Residents:ProofOfWorkMinutes and RateLimits:ReportPerHour positive.");
        }
        return options;
    }
}

/// <summary>
/// The public form's own bucket: submissions per client address per hour. Counted in the handler, not
/// by the rate-limiting middleware, so that a refusal is a message on the form with what was typed
/// kept (a bare 429 would lose it); a bucket of its own, so neither sign-ins nor tracking share it.
/// </summary>
public sealed class ReportLimiter(ReportOptions options) : HourlyAddressLimiter(options.ReportsPerHour);

/// <summary>
/// A public form's bucket of its own: so many submissions per client address per hour, counted by the
/// form's handler (the report form, a disclosure's objection form) rather than the middleware, so that a
/// refusal is a message on the form with what was typed kept.
/// </summary>
public abstract class HourlyAddressLimiter(int perHour) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(string clientAddress)
    {
        using var lease = _limiter.AttemptAcquire(clientAddress);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// The places a resident may pick, by town: the town itself (不确定/全镇) and its villages and
/// communities (their 组 are the town's business, not the resident's). Worked out once per
/// organisation snapshot, so showing the form reads no database.
/// </summary>
public sealed class ReportChoices(OrgDirectory org)
{
    public sealed record Place(string Code, string Name);

    public sealed record Town(string Code, string Name, IReadOnlyList<Place> Places);

    public sealed record Choices(IReadOnlyList<Town> Towns, IReadOnlyList<CategoryInfo> Categories, IReadOnlySet<string> Codes);

    // One reference, swapped whole: readers never see one snapshot's choices paired with another snapshot.
    private sealed record Cached(OrgDirectory.Snapshot Snapshot, Choices Choices);

    private volatile Cached? _cached;

    public async ValueTask<Choices> GetAsync(CancellationToken ct)
    {
        var snapshot = await org.GetAsync(ct);
        if (_cached is { } c && ReferenceEquals(c.Snapshot, snapshot))
        {
            return c.Choices;
        }
        var towns = snapshot.Units
            .Where(u => u.Kind == OrgUnitKind.Town)
            .Order(OrgDirectory.Snapshot.TreeOrder)
            .Select(t => new Town(t.Code, t.Name, snapshot.Units
                .Where(u => u.TownId == t.Id && u.Kind is OrgUnitKind.Village or OrgUnitKind.Community && u.CanOwnCases)
                .Order(OrgDirectory.Snapshot.TreeOrder)
                .Select(u => new Place(u.Code, u.Name))
                .ToList()))
            .ToList();
        var codes = towns.SelectMany(t => t.Places.Select(p => p.Code).Append(t.Code)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var choices = new Choices(towns, snapshot.Categories.OrderBy(x => x.Id).ToList(), codes);
        _cached = new Cached(snapshot, choices);
        return choices;
    }
}
