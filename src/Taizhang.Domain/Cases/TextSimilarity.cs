namespace Taizhang.Domain.Cases;

/// <summary>
/// 归纳整理: how alike two residents' matters read. Character bigrams suit Chinese, which has no
/// spaces between words; the Dice coefficient over bigram multisets is cheap enough to compare
/// a page of queued cases against a few thousand open ones in memory.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Cases at or above this score are suggested as possible duplicates.</summary>
    public const double SuggestThreshold = 0.45;

    /// <summary>The title says what the matter is; the description mostly adds circumstances.</summary>
    public const double TitleWeight = 0.7;

    /// <summary>Descriptions are compared on their beginning only: enough to tell matters apart, and bounded in cost.</summary>
    public const int DescriptionPrefix = 300;

    /// <summary>The sorted bigrams of a text, kept to compare it with many others.</summary>
    public sealed class Profile
    {
        internal Profile(uint[] bigrams) => Bigrams = bigrams;

        internal uint[] Bigrams { get; }

        public bool IsEmpty => Bigrams.Length == 0;
    }

    /// <summary>A title and (the beginning of) a description, profiled once.</summary>
    public sealed record Matter(Profile Title, Profile Description)
    {
        public static Matter Of(string? title, string? description) =>
            new(ProfileOf(title), ProfileOf(description is { Length: > DescriptionPrefix } d ? d[..DescriptionPrefix] : description));
    }

    /// <summary>
    /// Letters and digits only, case-folded: punctuation, spaces and full-width/half-width
    /// differences do not make two calls about the same street lamp look different.
    /// </summary>
    public static Profile ProfileOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new Profile([]);
        }
        var chars = new List<char>(text.Length);
        foreach (var raw in text.Normalize(System.Text.NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(raw))
            {
                chars.Add(char.ToLowerInvariant(raw));
            }
        }
        if (chars.Count == 1)
        {
            return new Profile([chars[0]]);
        }
        var bigrams = new uint[Math.Max(0, chars.Count - 1)];
        for (var i = 0; i < bigrams.Length; i++)
        {
            bigrams[i] = ((uint)chars[i] << 16) | chars[i + 1];
        }
        Array.Sort(bigrams);
        return new Profile(bigrams);
    }

    /// <summary>Dice coefficient of the bigram multisets: 2·|A∩B| / (|A|+|B|), from 0 (nothing shared) to 1 (same bigrams).</summary>
    public static double Dice(Profile a, Profile b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return 0;
        }
        int i = 0, j = 0, shared = 0;
        var x = a.Bigrams;
        var y = b.Bigrams;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] == y[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (x[i] < y[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return 2.0 * shared / (x.Length + y.Length);
    }

    public static double Dice(string? a, string? b) => Dice(ProfileOf(a), ProfileOf(b));

    /// <summary>
    /// The weighted score of two matters. When either description is empty the title decides alone,
    /// so a bare hotline note is not pushed below the threshold by a missing description.
    /// </summary>
    public static double Score(Matter a, Matter b)
    {
        var title = Dice(a.Title, b.Title);
        if (a.Description.IsEmpty || b.Description.IsEmpty)
        {
            return title;
        }
        return TitleWeight * title + (1 - TitleWeight) * Dice(a.Description, b.Description);
    }
}
