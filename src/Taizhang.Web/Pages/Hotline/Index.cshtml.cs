using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Hotline;

/// <summary>
/// 来电登记: an operator registers a call in seconds, keyboard only, and sees the caller's earlier
/// cases while typing the number. The look-up is a POST (the live one of the number alone, the
/// no-JavaScript one of the whole form, which keeps what was typed): a phone number never goes into
/// a URL, a log line or the browser's history.
/// </summary>
[Requires(Permission.Register)]
public sealed class IndexModel(GetIntakeChoices.Handler choices, FindCallerHistory.Handler callers, Texts texts) : StaffPage
{
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? OrgUnit { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Urgency { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The caller agreed to progress SMS and to the processing of their personal information (PIPL).</summary>
    [BindProperty]
    public string? ContactConsent { get; set; }

    public bool Consented => ContactConsent is "true" or "on";

    /// <summary>仍然登记为新事项: registered although likely duplicates were shown.</summary>
    [BindProperty]
    public string? ConfirmNew { get; set; }

    /// <summary>The likely duplicates that stopped this submit (none: registered, or nothing like it).</summary>
    public IReadOnlyList<SuggestDuplicates.Suggestion> Duplicates { get; private set; } = [];

    public Shared.LikelyDuplicatesPanel DuplicatesPanel => new(Duplicates, Duplicates.Count > 0, false, "hotline-form");

    /// <summary>The Idempotency-Key of this form: made when the empty form is shown, so a resubmit replays the same case.</summary>
    [BindProperty]
    public string? Key { get; set; }

    /// <summary>The case just registered, shown once after the redirect.</summary>
    public string? RegisteredCode { get; private set; }

    public string? RegisteredCaseId { get; private set; }

    /// <summary>The 评价码 of the case just registered, read out to the caller with the tracking code: shown this once only.</summary>
    public string? RegisteredRatingCode { get; private set; }

    // Set through the dictionary, not [TempData] properties: a replayed post (double submit) sets
    // the same value the request loaded, which a property would treat as unchanged and drop.
    private const string CodeKey = "hotline.registered-code";
    private const string CaseIdKey = "hotline.registered-id";
    private const string RatingCodeKey = "hotline.rating-code";

    public IReadOnlyList<GetIntakeChoices.UnitOption> Units { get; private set; } = [];

    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];

    public FindCallerHistory.History? History { get; private set; }

    /// <summary>Whether this person takes calls: only then are the look-up and the caller's history offered.</summary>
    public bool MayLookUp { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        RegisteredCode = TempData[CodeKey] as string;
        RegisteredCaseId = TempData[CaseIdKey] as string;
        RegisteredRatingCode = TempData[RatingCodeKey] as string;
        Urgency ??= nameof(Domain.Cases.Urgency.Normal);
        Key ??= Guid.NewGuid().ToString("N");
        if (Units.Count == 1)
        {
            OrgUnit ??= Units[0].Code;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] RegisterCase.Handler register, [FromServices] SuggestDuplicates.Handler suggest, CancellationToken ct)
    {
        await PrepareAsync(ct);
        Key = string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString("N") : Key;
        // Likely duplicates stop the submit once: the form comes back as typed, with them and the box to register anyway.
        Duplicates = await suggest.BeforeRegisterAsync(new SuggestDuplicates.Draft(Title, Description, OrgUnit, Phone),
            Shared.LikelyDuplicates.Confirmed(ConfirmNew), Key, ct);
        if (Duplicates.Count > 0)
        {
            return Page();
        }
        var request = new RegisterCase.Request(
            nameof(Channel.Hotline), Title, Description,
            string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Phone) ? null : new RegisterCase.ReporterBody(Name, Phone),
            OrgUnit, Category, Urgency, Location: null, ExternalRef: null, MeetingId: null, ContactConsent: Consented);
        // The form was sent again with different content: another call only if the operator says so.
        var outcome = await TryRegisterAsync(register, request, Key, texts["hotline.key-reused"], () => Key = Guid.NewGuid().ToString("N"), ct);
        if (outcome is null)
        {
            return Page();
        }
        TempData[CodeKey] = outcome.Case.TrackingCode;
        TempData[CaseIdKey] = outcome.Case.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // In the (encrypted) TempData cookie until the next page shows it once; a replayed double submit derives the same code.
        TempData[RatingCodeKey] = outcome.Case.RatingCode;
        return LocalRedirect("/hotline");
    }

    /// <summary>POST /hotline/lookup (the look-up button without JavaScript): the form again, as typed, with the caller's history.</summary>
    public async Task<IActionResult> OnPostLookupAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        Key = string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString("N") : Key;
        await LookUpAsync(ct);
        // A known caller: the name they gave last time, unless the operator has typed one.
        if (string.IsNullOrWhiteSpace(Name) && History?.LastName is { } lastName)
        {
            Name = lastName;
        }
        return Page();
    }

    /// <summary>POST /hotline/callers (phone=…): the caller's history as an HTML fragment for the live look-up.</summary>
    public async Task<IActionResult> OnPostCallersAsync(CancellationToken ct)
    {
        await LookUpAsync(ct);
        return History is null ? Content(LookupRefused ?? "", "text/plain; charset=utf-8") : Partial("_CallerHistory", History);
    }

    /// <summary>Why the look-up was refused just now (too many in a minute), shown where the history goes.</summary>
    public string? LookupRefused { get; private set; }

    private async Task LookUpAsync(CancellationToken ct)
    {
        try
        {
            History = await callers.HandleAsync(Phone, ct);
        }
        catch (TooManyRequestsException)
        {
            LookupRefused = texts["hotline.lookup-limited"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
    }

    /// <summary>Messages that belong to no field on the form (a reused key, the intake queue being full …).</summary>
    public IEnumerable<string> OtherErrors() => ModelState
        .Where(kv => !FormFields.Contains(kv.Key))
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    private static readonly HashSet<string> FormFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Reporter.Phone", "Reporter.Name", "Reporter", "OrgUnit", "Category", "Urgency", "Title", "Description",
        "Phone", "Name", "Key", "ContactConsent", "ConfirmNew",
    };

    private async Task PrepareAsync(CancellationToken ct)
    {
        MayLookUp = await callers.MayAsync(ct);
        var offered = await choices.HandleAsync(ct);
        Units = offered.Units;
        Categories = offered.Categories;
    }
}
