using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Report;

/// <summary>
/// 我要反映 (/report): the residents' public form (电子平台), phone-sized first, no account. The answer —
/// tracking code and 评价码 — is rendered straight from the POST (no redirect that could lose the code,
/// never cached); a refusal of any kind is a message on the form with everything typed kept (files
/// are chosen again). Sending the same form again (double submit, refresh) answers the same case and
/// the same codes: the form's Idempotency-Key is made when it is shown.
/// </summary>
[AllowAnonymous]
[UploadEndpoint(Files = ReportOptions.MaxFiles, Public = true)]
public sealed class IndexModel(
    ReportChoices choices, ProofOfWork proofOfWork, ReportOptions options, RequestLimitOptions limits, AttachmentOptions attachmentOptions,
    Texts texts) : StaffPage
{
    [BindProperty]
    public string? OrgUnit { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Anonymous { get; set; }

    [BindProperty]
    public string? Consent { get; set; }

    /// <summary>The proof-of-work challenge (<see cref="ProofOfWork"/>) and the browser's answer to it.</summary>
    [BindProperty(Name = "challenge")]
    public string? PowChallenge { get; set; }

    [BindProperty]
    public string? Solution { get; set; }

    /// <summary>The honeypot: hidden from people, filled by form-filling machines.</summary>
    [BindProperty]
    public string? Website { get; set; }

    /// <summary>The town the resident picked first (<c>?town=</c>), when the install serves several.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Town { get; set; }

    /// <summary>The town whose villages the form offers: the only one, the one picked, or the one of the village sent.</summary>
    public ReportChoices.Town? SelectedTown => Choices.Towns.Count == 1 ? Choices.Towns[0]
        : Choices.Towns.FirstOrDefault(t => string.Equals(t.Code, Town?.Trim(), StringComparison.OrdinalIgnoreCase))
          ?? Choices.Towns.FirstOrDefault(t => OrgUnit is { } unit
              && (string.Equals(t.Code, unit.Trim(), StringComparison.OrdinalIgnoreCase)
                  || t.Places.Any(p => string.Equals(p.Code, unit.Trim(), StringComparison.OrdinalIgnoreCase))));

    /// <summary>
    /// A county's install (many towns) asks for the town first: one list of every village of a county is
    /// a thousand options, too long to pick from on a phone (and to send: ~90 KB at 40 towns).
    /// </summary>
    public bool PickTown => Answer is null && SelectedTown is null && Choices.Towns.Count > 1;

    public IReadOnlyList<ReportChoices.Town> TownsOffered => SelectedTown is { } town ? [town] : Choices.Towns;

    /// <summary>The Idempotency-Key of this form, made when it is shown.</summary>
    [BindProperty]
    public string? Key { get; set; }

    public const string HoneypotField = "website";

    public ReportChoices.Choices Choices { get; private set; } = null!;

    /// <summary>The registration, when the POST registered (or repeated) it.</summary>
    public SubmitReport.Answer? Answer { get; private set; }

    /// <summary>Files were sent with a refused form: the message asks to choose them again.</summary>
    public bool FilesDropped { get; private set; }

    public ReportOptions Options => options;

    public string MaxFileSize => AttachmentOptions.Megabytes(RequestLimits.PublicFileBytes(limits.PublicFileBytes, attachmentOptions));

    public long MaxFileBytes => RequestLimits.PublicFileBytes(limits.PublicFileBytes, attachmentOptions);

    public bool IsAnonymous => Checked(Anonymous);

    public bool HasConsent => Checked(Consent);

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Choices = await choices.GetAsync(ct);
        Key = Guid.NewGuid().ToString("N");
        PowChallenge = await proofOfWork.IssueAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] SubmitReport.Handler handler, CancellationToken ct)
    {
        Choices = await choices.GetAsync(ct);
        // A key the page did not make (absent, or not a GUID) is replaced: the form still registers once.
        Key = Guid.TryParseExact(Key?.Trim(), "N", out var key) ? key.ToString("N") : Guid.NewGuid().ToString("N");
        var files = Request.HasFormContentType ? Request.Form.Files.GetFiles("files") : [];
        if (SignedIn)
        {
            // People register at the desk in their own name; the public channel is for residents.
            ModelState.AddModelError(string.Empty, texts["report.signed-in"]);
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else
        {
            var request = new SubmitReport.Request(OrgUnit, Category, Description, Address, Name, Phone, IsAnonymous, HasConsent,
                PowChallenge, Solution, Website);
            try
            {
                await TryAsync(async () => Answer = await handler.HandleAsync(request, Key, files, ClientAddress.Of(HttpContext), ct));
            }
            catch (TooManyRequestsException)
            {
                ModelState.AddModelError(string.Empty, texts.Format("report.too-many", options.ReportsPerHour));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
            }
        }
        // The codes are shown once, from this answer: no copy in any cache.
        Response.Headers.CacheControl = "no-store";
        if (Answer is not null)
        {
            return Page();
        }
        FilesDropped = files.Any(f => f.Length > 0);
        // A fresh challenge for the next try; the same key, so that the next try still registers once.
        PowChallenge = await proofOfWork.IssueAsync(ct);
        Solution = null;
        Website = null;
        return Page();
    }

    /// <summary>Messages that belong to no one field: the form-level refusals.</summary>
    public IEnumerable<string> OtherErrors() => ModelState
        .Where(kv => kv.Key is "" or "Form" || !Fields.Contains(kv.Key))
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    /// <summary>The fields messages are shown beside (as <see cref="StaffPage.TryAsync"/> files them), in the form's order.</summary>
    public static readonly string[] FieldOrder = ["OrgUnit", "Category", "Description", "Files", "Location.Address", "Reporter.Name", "Reporter.Phone", "Consent"];

    private static readonly HashSet<string> Fields = new(FieldOrder.Concat(["Reporter", "Location", "Name", "Phone", "Address"]), StringComparer.OrdinalIgnoreCase);

    private static bool Checked(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "on");
}
