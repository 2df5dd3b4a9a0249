using System.Globalization;
using System.Text;

namespace Taizhang.Domain.Cases;

/// <summary>
/// The tokens the full-text index holds for a case, and the terms a search looks for. Chinese has no
/// spaces between words and no segmenter is served here, so the index is of character n-grams, computed
/// here (the same on SQLite FTS5 and PostgreSQL tsvector, no native extension): every Chinese character
/// once (a one-character word: 水) and every overlapping pair in order (路灯, 低保). A longer word or
/// phrase is the phrase of its pairs (马家村路灯 = 马家 家村 村路 路灯, adjacent), which holds exactly
/// when the text contains it — so no substring check after the index is needed for Chinese. Latin
/// letters and digits (tracking codes, external references, "110kV") are whole lower-cased words.
/// Why not trigrams (FTS5's trigram tokenizer, pg_trgm): they cannot find the one- and two-character
/// words that most Chinese searches are (路灯, 低保, 水).
/// </summary>
public static class SearchGrams
{
    /// <summary>Between two runs of pairs (a punctuation mark, a Latin word), so that no phrase spans them.</summary>
    public const string Gap = "\uE000";

    private const char TownMark = '\uE001';

    /// <summary>Longest word kept (PostgreSQL refuses lexemes over 2 KB; nobody searches for a longer one).</summary>
    private const int MaxWord = 64;

    /// <summary>
    /// The case's town as a token: a search in a town's scope intersects it with the words (a private-use
    /// character, so that no word of a text is ever one).
    /// </summary>
    public static string TownToken(long townId) => TownMark + townId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The index's tokens for a case, in order, joined by single spaces.</summary>
    public static string Document(long townId, string title, string description, string? externalRef)
    {
        var tokens = new List<string> { TownToken(townId) };
        var singles = new HashSet<string>(StringComparer.Ordinal);
        var lastWasPairs = false;
        foreach (var part in new[] { title, description, externalRef ?? string.Empty })
        {
            foreach (var run in Runs(part))
            {
                if (run.Chinese)
                {
                    foreach (var c in run.Characters)
                    {
                        singles.Add(c);
                    }
                    if (run.Characters.Count > 1)
                    {
                        if (lastWasPairs)
                        {
                            tokens.Add(Gap);
                        }
                        tokens.AddRange(Pairs(run.Characters));
                        lastWasPairs = true;
                    }
                }
                else
                {
                    tokens.Add(run.Word!);
                }
            }
        }
        // The single characters once each, after the pairs: a one-character search needs only whether.
        if (singles.Count > 0)
        {
            tokens.Add(Gap);
            tokens.AddRange(singles);
        }
        return string.Join(' ', tokens);
    }

    /// <summary>
    /// What a search text looks for: every term must be present (AND); a term is one token or a phrase
    /// (its tokens adjacent, in order). Empty when the text has nothing searchable (punctuation only).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Query(string text)
    {
        var terms = new List<IReadOnlyList<string>>();
        foreach (var run in Runs(text))
        {
            IReadOnlyList<string> term = run.Chinese
                ? run.Characters.Count == 1 ? [run.Characters[0]] : Pairs(run.Characters)
                : [run.Word!];
            if (!terms.Any(t => t.SequenceEqual(term)))
            {
                terms.Add(term);
            }
        }
        return terms;
    }

    private static List<string> Pairs(List<string> characters)
    {
        var pairs = new List<string>(characters.Count - 1);
        for (var i = 1; i < characters.Count; i++)
        {
            pairs.Add(characters[i - 1] + characters[i]);
        }
        return pairs;
    }

    private sealed record Run(bool Chinese, List<string> Characters, string? Word);

    /// <summary>
    /// Runs of Chinese (any "other letter": Han, kana, Hangul — scripts written without spaces) and of
    /// words (other letters and digits, lower-cased); everything else separates.
    /// </summary>
    private static IEnumerable<Run> Runs(string text)
    {
        List<string>? chinese = null;
        StringBuilder? word = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.OtherLetter)
            {
                if (word is not null)
                {
                    yield return new Run(false, [], Cut(word));
                    word = null;
                }
                (chinese ??= []).Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune) && category != UnicodeCategory.OtherNumber && category != UnicodeCategory.LetterNumber)
            {
                if (chinese is not null)
                {
                    yield return new Run(true, chinese, null);
                    chinese = null;
                }
                (word ??= new StringBuilder()).Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                if (chinese is not null)
                {
                    yield return new Run(true, chinese, null);
                    chinese = null;
                }
                if (word is not null)
                {
                    yield return new Run(false, [], Cut(word));
                    word = null;
                }
            }
        }
        if (chinese is not null)
        {
            yield return new Run(true, chinese, null);
        }
        if (word is not null)
        {
            yield return new Run(false, [], Cut(word));
        }
    }

    private static string Cut(StringBuilder word) => word.Length <= MaxWord ? word.ToString() : word.ToString(0, MaxWord);
}
