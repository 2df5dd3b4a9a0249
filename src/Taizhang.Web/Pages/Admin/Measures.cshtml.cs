using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Consultation;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Admin;

/// <summary>
/// 成效指标: the outcome measures resolved cases and meetings record, one per line ("jobs 带动就业 人次").
/// Every administrator reads them; a top-level administrator changes them, through the same handler as
/// PUT /api/v1/admin/outcome-measures. A refusal names its line, with what was typed kept.
/// </summary>
[Authorize(Policy = Policies.Administrator)]
public sealed partial class MeasuresModel(OutcomeMeasures.Handler measures, Texts texts) : StaffPage
{
    public OutcomeMeasures.Listing Listing { get; private set; } = null!;

    public bool Editable { get; private set; }

    [BindProperty]
    public string? Lines { get; set; }

    public List<string> LineErrors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Lines = string.Join('\n', Listing.Measures.Select(m => $"{m.Key} {m.Name} {m.Unit}"));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var lines = (Lines ?? string.Empty).Split('\n').Select((l, i) => (Text: l.Trim(), Line: i + 1)).Where(l => l.Text.Length > 0).ToList();
        var bodies = new List<OutcomeMeasures.MeasureBody?>();
        foreach (var (text, line) in lines)
        {
            var parts = Spaces().Split(text);
            if (parts.Length != 3)
            {
                LineErrors.Add(texts.Format("consultation.measures.bad-line", line));
            }
            bodies.Add(parts.Length == 3 ? new OutcomeMeasures.MeasureBody(parts[0], parts[1], parts[2]) : null);
        }
        if (LineErrors.Count == 0 && await TryAsync(() => measures.PutAsync(new OutcomeMeasures.PutRequest(bodies), ct)))
        {
            return Done(texts["consultation.admin.measures.saved"], "/admin/measures");
        }
        // Field errors name the entry (measures[2].key): say which line it was.
        foreach (var (key, entry) in ModelState)
        {
            var m = EntryIndex().Match(key);
            foreach (var e in entry.Errors)
            {
                LineErrors.Add(m.Success && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var i) && i < lines.Count
                    ? texts.Format("admin.calendar.line", lines[i].Line, e.ErrorMessage)
                    : e.ErrorMessage);
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) => (Listing, Editable) = await measures.AdminListAsync(ct);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^Measures\[(\d+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex EntryIndex();
}
