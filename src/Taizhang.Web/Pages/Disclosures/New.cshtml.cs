using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Disclosures;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Disclosures;

/// <summary>
/// 发布公示 (/disclosures/new?case={id}&amp;kind=Decision|Result, or ?meeting={id}&amp;item={seq}): the
/// publish form, pre-filled with the public wording (an agenda item's outcome, the case's plan or its
/// public reply; never the internal result or anyone's name or phone) and the default period. The author
/// edits the text; a phone number in it is refused next to the field.
/// </summary>
[Requires(Permission.Disclose)]
public sealed class NewModel(PublishDisclosure.Handler handler, Texts texts) : StaffPage
{
    [BindProperty(SupportsGet = true, Name = "case")]
    public long? CaseId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Meeting { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Item { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? Until { get; set; }

    public PublishDisclosure.Draft Draft { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadDraftAsync(ct))
        {
            return NotFound();
        }
        Title = Draft.Title;
        Body = Draft.Body;
        From = Draft.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Until = Draft.Until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadDraftAsync(ct))
        {
            return NotFound();
        }
        var request = new PublishDisclosure.Request(Draft.Kind.ToString(), Title, Body, From, Until);
        DisclosureView? view = null;
        var ok = await TryAsync(async () => view = Meeting is { } m
            ? await handler.ForMeetingAsync(m, Item!.Value, request, ct)
            : await handler.ForCaseAsync(CaseId!.Value, request, ct));
        if (ok)
        {
            return Done(texts.Format("disclosure.staff.published", view!.Unit.Name), CaseId is { } c && Meeting is null ? $"/cases/{c}" : "/disclosures");
        }
        return Page();
    }

    private async Task<bool> LoadDraftAsync(CancellationToken ct)
    {
        if (Meeting is { } m && Item is { } seq)
        {
            Draft = await handler.DraftForMeetingAsync(m, seq, ct);
            return true;
        }
        if (CaseId is { } id && Enum.TryParse<DisclosureKind>(Kind, ignoreCase: true, out var kind) && Enum.IsDefined(kind))
        {
            Draft = await handler.DraftForCaseAsync(id, kind, ct);
            return true;
        }
        return false;
    }
}
