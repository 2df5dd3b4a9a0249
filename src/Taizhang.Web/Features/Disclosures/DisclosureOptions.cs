using System.Threading.RateLimiting;

namespace Taizhang.Web.Features.Disclosures;

/// <summary>公示's settings: section "Consultation" (DisclosureDays, SupervisionPhone) and RateLimits:ObjectionPerHour.</summary>
public sealed class DisclosureOptions
{
    public const string Section = "Consultation";

    /// <summary>The disclosure period's length in days when the publisher names no end (the period includes its first day).</summary>
    public int DisclosureDays { get; set; } = 7;

    /// <summary>监督电话 printed on the public page; empty: none.</summary>
    public string? SupervisionPhone { get; set; }

    /// <summary>Objections per client address per hour (RateLimits:ObjectionPerHour); showing the page is free.</summary>
    public int ObjectionsPerHour { get; set; } = 5;

    public static DisclosureOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DisclosureOptions>() ?? new DisclosureOptions();
        options.ObjectionsPerHour = configuration.GetValue("RateLimits:ObjectionPerHour", options.ObjectionsPerHour);
        if (options.DisclosureDays is < 1 or > 365 || options.ObjectionsPerHour <= 0)
        {
            throw new InvalidOperationException("Consultation:DisclosureDays must be 1–365 and RateLimits:ObjectionPerHour positive.");
        }
        return options;
    }
}

/// <summary>
/// The objection form's own bucket, per client address per hour. Counted in the handler (as the report
/// form's is) so that a refusal is a message on the form with the text kept, not a bare 429.
/// </summary>
public sealed class ObjectionLimiter(DisclosureOptions options) : Residents.HourlyAddressLimiter(options.ObjectionsPerHour);
