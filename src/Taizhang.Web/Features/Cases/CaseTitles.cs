using System.Globalization;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// A case's title from what the resident wrote, for the channels where they write once (the public
/// form, WeChat, Open311, a sheet without a title column): the first sentence — up to a sentence mark
/// or a line break — at most <c>length</c> characters with the ellipsis, cut on whole characters
/// (never half an emoji or a surrogate pair).
/// </summary>
public static class CaseTitles
{
    public const int Length = 30;

    private static readonly char[] SentenceEnds = ['。', '！', '？', '!', '?', '；', ';', '\n', '\r'];

    public static string? FromDescription(string? description, int length = Length)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }
        var text = description.Trim();
        var end = text.IndexOfAny(SentenceEnds);
        var sentence = (end > 0 ? text[..end] : text).Trim();
        if (sentence.Length == 0)
        {
            // Starts with a mark ("。只有句号开头"): the text as it is, on one line.
            sentence = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        var info = new StringInfo(sentence);
        return info.LengthInTextElements <= length ? sentence : info.SubstringByTextElements(0, length - 1).TrimEnd() + "…";
    }
}
