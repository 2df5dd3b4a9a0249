namespace Taizhang.Domain.Rates;

/// <summary>
/// The 12345-style assessment scheme (PRODUCT.md "Rates"): over the validly followed-up cases
/// (有效回访), response = contacted in time ÷ followed-up, resolution = said solved by the resident ÷
/// followed-up, satisfaction = (satisfied + <see cref="BasicWeight"/> × basically satisfied) ÷
/// followed-up, and a weighted composite. Shown beside the definitions, never instead of them.
/// The weights, the 基本满意 weight and the window are settings (Assessment section).
/// </summary>
public sealed record AssessmentScheme(double ResponseWeight = 0.1, double ResolutionWeight = 0.5, double SatisfactionWeight = 0.4,
    double BasicWeight = 0.9, int WindowStartDay = 1)
{
    public static readonly AssessmentScheme Default = new();

    /// <summary>Refuses settings that cannot score: weights in [0, 1] summing to 1, the start day 1–28.</summary>
    public AssessmentScheme Validate()
    {
        double[] weights = [ResponseWeight, ResolutionWeight, SatisfactionWeight, BasicWeight];
        if (weights.Any(w => w is < 0 or > 1 || double.IsNaN(w)))
        {
            throw new ArgumentException("Assessment weights are between 0 and 1.");
        }
        if (Math.Abs(ResponseWeight + ResolutionWeight + SatisfactionWeight - 1) > 1e-9)
        {
            throw new ArgumentException("The composite's three weights add up to 1.");
        }
        if (WindowStartDay is < 1 or > 28)
        {
            throw new ArgumentException("The assessment window starts on a day from 1 to 28.");
        }
        return this;
    }

    /// <summary>
    /// The assessment window of a month: the calendar month when it starts on the 1st; otherwise from
    /// <see cref="WindowStartDay"/> of the previous month to the day before it in this one (e.g. 19th–18th).
    /// </summary>
    public (DateOnly From, DateOnly To) Window(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return WindowStartDay == 1
            ? (first, first.AddMonths(1).AddDays(-1))
            : (first.AddMonths(-1).AddDays(WindowStartDay - 1), first.AddDays(WindowStartDay - 2));
    }

    public Score Of(FigureCounts f)
    {
        var visited = f[CaseFigures.FollowedUp];
        double? Share(double n) => visited == 0 ? null : n / visited;
        var response = Share(f[CaseFigures.FollowedUpResponded]);
        var resolution = Share(f[CaseFigures.ResidentSolved]);
        var satisfaction = Share(f[CaseFigures.FullySatisfied] + BasicWeight * f[CaseFigures.BasicallySatisfied]);
        double? composite = visited == 0 ? null
            : ResponseWeight * response!.Value + ResolutionWeight * resolution!.Value + SatisfactionWeight * satisfaction!.Value;
        return new Score(visited, response, resolution, satisfaction, composite);
    }

    /// <summary>The scheme's rates over <see cref="FollowedUp"/> cases; null when none was followed up.</summary>
    public sealed record Score(int FollowedUp, double? Response, double? Resolution, double? Satisfaction, double? Composite);
}
