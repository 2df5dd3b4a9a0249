using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
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

    /// <summary>
    /// The draft's likely duplicates, or none when the clerk confirmed, or when this form was already
    /// registered (a double submit replays its case rather than stopping at the case it made itself).
    /// </summary>
    public static async Task<IReadOnlyList<SuggestDuplicates.Suggestion>> BeforeRegisterAsync(
        SuggestDuplicates.Handler suggest, TaizhangDb db, CurrentUser user, string? confirm, string? key,
        SuggestDuplicates.Draft draft, CancellationToken ct)
    {
        // Refused anyway (a missing title or description): the field messages come first.
        if (Confirmed(confirm) || string.IsNullOrWhiteSpace(draft.Title) || string.IsNullOrWhiteSpace(draft.Description))
        {
            return [];
        }
        if (!string.IsNullOrWhiteSpace(key))
        {
            var scoped = RegisterCase.ScopedKey((await user.GetAsync(ct)).Actor, key.Trim());
            if (await db.Cases.AsNoTracking().AnyAsync(c => c.IdempotencyKey == scoped, ct))
            {
                return [];
            }
        }
        return await suggest.ForDraftAsync(draft, ct);
    }
}

/// <summary>What the panel shows: the suggestions (server-rendered after a stopped submit), and whether the submit was stopped.</summary>
public sealed record LikelyDuplicatesPanel(IReadOnlyList<SuggestDuplicates.Suggestion> Suggestions, bool Stopped, bool Confirmed, string Form, bool FilesDropped = false);
