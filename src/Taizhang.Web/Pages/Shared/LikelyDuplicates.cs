using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Pages.Shared;

/// <summary>
/// 可能重复的事项 on the hotline and desk pages. While the clerk types, duplicates.js asks
/// POST /api/v1/cases/similar and fills the panel; without JavaScript the registration itself stops once
/// when likely duplicates exist and the form comes back, as typed, with the panel and a
/// "仍然登记为新事项" box: a probable duplicate is registered only on an explicit confirmation (as
/// ticketing systems do at intake). With no suggestions there is no extra step.
/// </summary>
public static class LikelyDuplicates
{
    /// <summary>The form field (a checkbox) by which the clerk says: a new matter all the same.</summary>
    public const string ConfirmField = "confirmNew";

    public static bool Confirmed(string? value) => value is "true" or "on";
}

/// <summary>What the panel shows: the suggestions (server-rendered after a stopped submit), and whether the submit was stopped.</summary>
public sealed record LikelyDuplicatesPanel(IReadOnlyList<SuggestDuplicates.Suggestion> Suggestions, bool Stopped, bool Confirmed, string Form, bool FilesDropped = false);
