using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Disclosures;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Public;

/// <summary>
/// 村务公开栏 (/public/{unitCode}): a village's disclosures for anyone, printable on A4 for the notice
/// board, with an objection form (异议) under each disclosure in its period. The objection goes through
/// the public form's anti-abuse (<see cref="SubmitObjection"/>); a refusal is a message on that form with
/// the text kept; success shows 已收到 and the reference. An unknown code is the 404 page.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(PublicNoticeBoard.Handler board, ProofOfWork proofOfWork, DisclosureOptions options, Texts texts) : StaffPage
{
    public PublicNoticeBoard.Board Board { get; private set; } = null!;

    /// <summary>The disclosure whose objection form was posted (its form shows the messages and the text).</summary>
    [BindProperty]
    public long? Disclosure { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Consent { get; set; }

    [BindProperty(Name = "challenge")]
    public string? PowChallenge { get; set; }

    [BindProperty]
    public string? Solution { get; set; }

    /// <summary>The honeypot.</summary>
    [BindProperty]
    public string? Website { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    public SubmitObjection.Answer? Answer { get; private set; }

    public bool HasConsent => Consent is not null && (Consent.Equals("true", StringComparison.OrdinalIgnoreCase) || Consent == "on");

    public DisclosureOptions Options => options;

    public async Task<IActionResult> OnGetAsync(string unitCode, CancellationToken ct)
    {
        if (!await LoadAsync(unitCode, ct))
        {
            return NotFound();
        }
        Key = Guid.NewGuid().ToString("N");
        PowChallenge = await proofOfWork.IssueAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostObjectAsync(string unitCode, [FromServices] SubmitObjection.Handler handler, CancellationToken ct)
    {
        if (!await LoadAsync(unitCode, ct))
        {
            return NotFound();
        }
        Key = Guid.TryParseExact(Key?.Trim(), "N", out var key) ? key.ToString("N") : Guid.NewGuid().ToString("N");
        var target = Disclosure is { } id ? Board.Current.FirstOrDefault(d => d.Id == id) : null;
        if (User.Identity?.IsAuthenticated == true)
        {
            ModelState.AddModelError(string.Empty, texts["disclosure.public.signed-in"]);
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        else if (target is null)
        {
            // Not this board's, or its period is over: said on the page, nothing stored.
            ModelState.AddModelError(string.Empty, texts["rule.disclosure.closed"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        else
        {
            try
            {
                await TryAsync(async () => Answer = await handler.HandleAsync(target.Id,
                    new SubmitObjection.Request(Text, Name, Phone, HasConsent, PowChallenge, Solution, Website), Key, ClientAddress.Of(HttpContext), ct));
            }
            catch (TooManyRequestsException)
            {
                ModelState.AddModelError(string.Empty, texts.Format("disclosure.public.too-many", options.ObjectionsPerHour));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
            }
        }
        Response.Headers.CacheControl = "no-store";
        // A fresh challenge for the page's forms either way: a challenge serves one notice's form only
        // (SubmitObjection), and after an answer the other notices' forms are still there to be used.
        PowChallenge = await proofOfWork.IssueAsync(ct);
        Solution = null;
        Website = null;
        return Page();
    }

    /// <summary>Messages for the posted form that belong to no one field.</summary>
    public IEnumerable<string> FormErrors() => ModelState
        .Where(kv => kv.Key is "" or "Form" or "Body")
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    private async Task<bool> LoadAsync(string unitCode, CancellationToken ct)
    {
        try
        {
            Board = await board.GetAsync(unitCode, ct);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }
}
