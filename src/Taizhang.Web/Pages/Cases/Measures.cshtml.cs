using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Consultation;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// 记录成效 for a resolved case: the case page's small form (Pages/Cases/_Measures.cshtml) posts here;
/// done goes back to the case with a notice, a refusal shows this page with the message next to the
/// measure and what was typed kept.
/// </summary>
public sealed class MeasuresModel(RecordMeasures.CaseHandler record, OutcomeMeasures.Handler measures) : StaffPage
{
    [BindProperty(SupportsGet = false)]
    public Dictionary<string, string?> Measures { get; set; } = [];

    public long Id { get; private set; }

    public IReadOnlyList<OutcomeMeasure> List { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        Id = id;
        List = await measures.CurrentAsync(HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        Id = id;
        var ct = HttpContext.RequestAborted;
        List = await measures.CurrentAsync(ct);
        var quantities = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, raw) in Measures)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                quantities[key] = n;
            }
            else
            {
                ModelState.AddModelError(KeyOf(key), Texts.Format("consultation.measures.quantity", OutcomeMeasure.MaxQuantity));
            }
        }
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await TryAsync(() => record.HandleAsync(id, new RecordMeasures.Request(quantities), ct)))
        {
            return Done(Texts["consultation.case.measures.done"], $"/cases/{id}");
        }
        return Page();
    }

    private Resources.Texts Texts => HttpContext.RequestServices.GetRequiredService<Resources.Texts>();

    /// <summary>The ModelState key of a measure's field ("measures.clean-ups" from the handler becomes "Measures.Clean-ups").</summary>
    public static string KeyOf(string key) => "Measures." + (key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..]);
}
