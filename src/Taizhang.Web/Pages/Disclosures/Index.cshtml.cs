using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Web.Features.Disclosures;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Disclosures;

/// <summary>
/// 公示 (/disclosures): the disclosures of the caller's area, current ones first, with their objections
/// (open ones highlighted), a form to answer each and one to withdraw a disclosure. Each posts to its
/// feature handler and redirects (POST-redirect-GET); a refusal is shown next to its field.
/// </summary>
[Requires(Permission.Disclose)]
public sealed class IndexModel(ManageDisclosures.Handler handler, Texts texts) : StaffPage
{
    public IReadOnlyList<DisclosureView> Items { get; private set; } = [];

    public IReadOnlyDictionary<long, IReadOnlyList<ObjectionView>> Objections { get; private set; } = new Dictionary<long, IReadOnlyList<ObjectionView>>();

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool? Open { get; set; }

    /// <summary>The objection (answer form) or disclosure (withdraw form) whose post was refused.</summary>
    public long? FailedObjection { get; private set; }

    public long? FailedDisclosure { get; private set; }

    public bool FilterRefused { get; private set; }

    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await TryAsync(() => LoadAsync(ct)))
        {
            // A filter that names nothing (an unknown unit code): said above the list, which shows everything.
            FilterRefused = true;
            Unit = Kind = null;
            Open = null;
            await LoadAsync(ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAnswerAsync(long objection, CancellationToken ct)
    {
        if (await TryAsync(() => handler.AnswerAsync(objection, new ManageDisclosures.AnswerRequest(Answer), ct), "Answer."))
        {
            return Done(texts["disclosure.staff.answered"], "/disclosures");
        }
        FailedObjection = objection;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(long disclosure, CancellationToken ct)
    {
        if (await TryAsync(() => handler.WithdrawAsync(disclosure, new ManageDisclosures.WithdrawRequest(Reason), ct), "Withdraw."))
        {
            return Done(texts["disclosure.staff.withdrawn"], "/disclosures");
        }
        FailedDisclosure = disclosure;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>All messages of a refused form.</summary>
    public IEnumerable<string> Errors() => ModelState.Values.SelectMany(v => v.Errors.Select(e => e.ErrorMessage)).Where(m => m.Length > 0);

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await handler.ListAsync(new ManageDisclosures.ListQuery(Unit, Kind, Open), ct);
        var objections = new Dictionary<long, IReadOnlyList<ObjectionView>>();
        foreach (var d in Items.Where(d => d.Objections > 0))
        {
            objections[d.Id] = await handler.ObjectionsAsync(d.Id, reveal: false, ct);
        }
        Objections = objections;
    }
}
