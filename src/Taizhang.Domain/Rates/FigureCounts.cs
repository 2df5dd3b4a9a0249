namespace Taizhang.Domain.Rates;

/// <summary>
/// A cohort's figures: for each of <see cref="CaseFigures.All"/>, how many cases it counts. Built
/// from grouped facts (a count per distinct <see cref="CaseFacts"/>), so a figure is always the sum
/// of the cases its definition counts, whichever way the rows were grouped.
/// </summary>
public sealed class FigureCounts
{
    private readonly int[] _counts;

    private FigureCounts(int[] counts) => _counts = counts;

    public static readonly FigureCounts Zero = new(new int[CaseFigures.All.Count]);

    public static FigureCounts Of(IEnumerable<(CaseFacts Facts, int Count)> rows)
    {
        var counts = new int[CaseFigures.All.Count];
        foreach (var (facts, count) in rows)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                if (CaseFigures.All[i].Counts(facts))
                {
                    counts[i] += count;
                }
            }
        }
        return new FigureCounts(counts);
    }

    public int this[CaseFigure figure] => _counts[IndexOf(figure.Key)];

    public int this[string key] => _counts[IndexOf(key)];

    /// <summary>The counts in <see cref="CaseFigures.All"/>'s order (as summed by the breakdown counters, <c>CaseBreakdownCount</c>).</summary>
    public static FigureCounts FromCounts(IReadOnlyList<int> counts) =>
        counts.Count == CaseFigures.All.Count ? new(counts.ToArray())
            : throw new ArgumentException($"Expected {CaseFigures.All.Count} counts, got {counts.Count}.", nameof(counts));

    /// <summary>The counts in <see cref="CaseFigures.All"/>'s order.</summary>
    public int[] ToArray() => (int[])_counts.Clone();

    public FigureCounts Plus(FigureCounts other)
    {
        var sum = new int[_counts.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = _counts[i] + other._counts[i];
        }
        return new FigureCounts(sum);
    }

    /// <summary>Every figure by its key (for JSON and the snapshot).</summary>
    public IReadOnlyDictionary<string, int> ToDictionary() => CaseFigures.All.Select((f, i) => (f.Key, i)).ToDictionary(x => x.Key, x => _counts[x.i]);

    public static FigureCounts FromDictionary(IReadOnlyDictionary<string, int> values) =>
        new(CaseFigures.All.Select(f => values.TryGetValue(f.Key, out var v) ? v : 0).ToArray());

    public RateValue Rate(RateDefinition rate) => new(this[rate.Numerator], this[rate.Denominator]);

    // A county's report reads a figure of thousands of rows (a rate's two per row): a lookup, not a walk through the keys.
    private static readonly System.Collections.Frozen.FrozenDictionary<string, int> Indexes =
        System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(CaseFigures.All.Select((f, i) => KeyValuePair.Create(f.Key, i)));

    private static int IndexOf(string key) =>
        Indexes.TryGetValue(key, out var i) ? i : throw new ArgumentOutOfRangeException(nameof(key), key, "Not a case figure.");
}

/// <summary>A rate as numerator ÷ denominator; <see cref="Value"/> is null when nothing was counted (no "0%" for an empty period).</summary>
public readonly record struct RateValue(int Numerator, int Denominator)
{
    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator;
}
