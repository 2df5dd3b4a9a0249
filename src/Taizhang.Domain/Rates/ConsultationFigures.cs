using System.Text.Json;
using System.Text.RegularExpressions;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;

namespace Taizhang.Domain.Rates;

/// <summary>
/// 成效: one measure of what consultation achieved (带动就业 340 人次, 人居环境整治 80 次 …), from the
/// town's configurable list. The key is what cases and meetings record; name and unit are shown.
/// </summary>
public sealed partial record OutcomeMeasure(string Key, string Name, string Unit)
{
    public const int KeyMaxLength = 32;
    public const int NameMaxLength = 30;
    public const int UnitMaxLength = 8;
    public const int MaxCount = 50;

    /// <summary>The most one recording may name for one measure (a typing slip of a few zeros is refused).</summary>
    public const int MaxQuantity = 1_000_000;

    /// <summary>The source article's outcomes (漳县三岔镇: 返乡人员就业 340 人次, 人居环境整治 80 余次, 邻里纠纷 30 起 …).</summary>
    public static readonly IReadOnlyList<OutcomeMeasure> Defaults =
    [
        new("jobs", "带动就业", "人次"),
        new("clean-ups", "人居环境整治", "次"),
        new("disputes-settled", "化解矛盾纠纷", "起"),
        new("practical-matters", "办实事", "件"),
        new("opinions-collected", "收集社情民意", "条"),
        new("households-helped", "惠及群众", "户"),
        new("funds-raised", "争取资金", "万元"),
    ];

    /// <summary>Lower-case letters, digits and dashes, starting with a letter: it stays in the event log.</summary>
    public static bool IsValidKey(string? key) => key is not null && key.Length <= KeyMaxLength && KeyPattern().IsMatch(key);

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}

/// <summary>
/// What a mediation record on a case's timeline says for the figures: the step, and from its detail the
/// outcome (step Outcome), the dispute type and risk grade (step Intake). The payload is
/// <c>{"step": "Intake", "detail": {"disputeType": "…", "riskGrade": "Red", …}}</c> as
/// <see cref="Case.RecordMediation"/> writes it; fields it lacks are null.
/// </summary>
public readonly record struct MediationFact(MediationStep? Step, string? Outcome, string? DisputeType, string? RiskGrade)
{
    public const string SettledOutcome = "Settled";

    /// <summary>A mediation accepted (受理): counted in 调解数.</summary>
    public bool IsIntake => Step == MediationStep.Intake;

    /// <summary>调解成功: an Outcome record whose outcome is Settled (PartlySettled, NotSettled and Referred are not).</summary>
    public bool IsSettled => Step == MediationStep.Outcome && Outcome == SettledOutcome;

    public static MediationFact Read(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return default;
        }
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }
            MediationStep? step = root.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.String
                && Enum.TryParse<MediationStep>(s.GetString(), ignoreCase: false, out var parsed) ? parsed : null;
            string? outcome = null, type = null, risk = null;
            if (root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object)
            {
                outcome = Text(detail, "outcome");
                type = Text(detail, "disputeType");
                risk = Text(detail, "riskGrade");
            }
            return new MediationFact(step, outcome, type, risk);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;
}

/// <summary>A mediation rate: settled ÷ one of practice's two denominators; Value is null when nothing was counted.</summary>
public sealed record MediationRate(string Key, int Settled, int Denominator)
{
    public double? Value => Denominator == 0 ? null : Math.Round((double)Settled / Denominator, 4);
}

/// <summary>
/// The counts and rates consultation brings (issue 15, PRODUCT.md "Rates"), defined once: the
/// consultation report, the board and the monthly report derive from these. Every figure counts
/// what happened in the period (a meeting held, an event recorded), in the caller's scope.
/// </summary>
public static class ConsultationFigures
{
    /// <summary>议事: the bodies that deliberate and decide (议事会, 村民会议, 村民代表会议).</summary>
    public static readonly IReadOnlyList<MeetingKind> DeliberationKinds =
        [MeetingKind.Deliberation, MeetingKind.VillagersAssembly, MeetingKind.RepresentativesAssembly];

    /// <summary>A meeting that took place: held, its minutes confirmed, or published (not planned, not cancelled).</summary>
    public static readonly IReadOnlyList<MeetingStatus> HeldStatuses = [MeetingStatus.Held, MeetingStatus.MinutesConfirmed, MeetingStatus.Published];

    /// <summary>The figures' keys, in the order they are shown; each has a name and a definition text (<c>consultation.figure.&lt;key&gt;</c>).</summary>
    public const string DeliberationsHeld = "deliberations-held";
    public const string ForumsHeld = "forums-held";
    public const string ConcentratedHandlingHeld = "concentrated-handling-held";
    public const string TopicsDeliberated = "topics-deliberated";
    public const string DecisionsPublished = "decisions-published";
    public const string Mediated = "mediated";
    public const string Settled = "mediations-settled";
    public const string DisputesFound = "disputes-found";

    public static readonly IReadOnlyList<string> Keys =
        [DeliberationsHeld, ForumsHeld, ConcentratedHandlingHeld, TopicsDeliberated, DecisionsPublished, Mediated, Settled, DisputesFound];

    /// <summary>调解成功率 = 调解成功数 ÷ 调解数.</summary>
    public const string SettledOfMediatedRate = "mediation-settled-of-mediated";

    /// <summary>调解成功率 = 调解成功数 ÷ 排查纠纷数.</summary>
    public const string SettledOfFoundRate = "mediation-settled-of-found";

    public static readonly IReadOnlyList<string> RateKeys = [SettledOfMediatedRate, SettledOfFoundRate];

    /// <summary>The figure a held meeting of this kind counts for, or null (mediation meetings and training count in none).</summary>
    public static string? MeetingFigure(MeetingKind kind) => kind switch
    {
        MeetingKind.Deliberation or MeetingKind.VillagersAssembly or MeetingKind.RepresentativesAssembly => DeliberationsHeld,
        MeetingKind.Forum => ForumsHeld,
        MeetingKind.ConcentratedHandling => ConcentratedHandlingHeld,
        MeetingKind.Mediation or MeetingKind.TrainingByMeeting => null,
    };

    /// <summary>Whether a meeting counts as held in a period: it took place (<see cref="HeldStatuses"/>) and its date is in the period.</summary>
    public static bool CountsAsHeld(MeetingStatus status, DateTime heldAt, DateTime fromUtc, DateTime toUtc) =>
        HeldStatuses.Contains(status) && heldAt >= fromUtc && heldAt < toUtc;

    /// <summary>公示决定: a disclosure record of the decision (the result's disclosure is not a decision published).</summary>
    public static bool IsDecisionDisclosure(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String
                && k.GetString() == nameof(DisclosureKind.Decision);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The mediation counts of a period: the distinct cases whose mediation was accepted (受理) in the
    /// period, and of those the cases settled (调解成功) by the period's end. A settlement is counted with
    /// its mediation's period, so the settled never outnumber the mediated and a month's rate stays
    /// within 100 %; the records given are the period's intakes and those cases' outcomes up to its end.
    /// </summary>
    public static (int Mediated, int Settled) MediationCounts(IEnumerable<(long CaseId, MediationFact Fact)> records)
    {
        var list = records.ToList();
        var mediated = list.Where(r => r.Fact.IsIntake).Select(r => r.CaseId).ToHashSet();
        var settled = list.Where(r => r.Fact.IsSettled && mediated.Contains(r.CaseId)).Select(r => r.CaseId).Distinct().Count();
        return (mediated.Count, settled);
    }

    /// <summary>Both of practice's mediation rates, with the same numerator: settled ÷ mediated and settled ÷ disputes found.</summary>
    public static IReadOnlyList<MediationRate> MediationRates(int mediated, int settled, int disputesFound) =>
        [new(SettledOfMediatedRate, settled, mediated), new(SettledOfFoundRate, settled, disputesFound)];

    /// <summary>A found dispute: a case of a dispute category (<c>Category.IsDispute</c>), less a duplicate merged into another.</summary>
    public static bool IsDisputeFound(bool categoryIsDispute, CaseStatus status) => categoryIsDispute && status != CaseStatus.Merged;

    /// <summary>Totals by measure key of recorded quantities (keys no longer on the list keep their totals).</summary>
    public static IReadOnlyDictionary<string, long> MeasureTotals(IEnumerable<(string Key, int Quantity)> rows)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, quantity) in rows)
        {
            totals[key] = totals.GetValueOrDefault(key) + quantity;
        }
        return totals;
    }
}
