using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Pages.Cases;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Triage;

/// <summary>
/// 分流: the town office's two queues (<see cref="GetTriageQueue"/>) — awaiting triage and awaiting
/// assignment — oldest first, each case with one form for its next step and the open cases it may
/// duplicate (归纳整理). Every action goes through the same handler as the API.
/// </summary>
[Requires(Permission.Triage)]
public sealed class IndexModel(GetTriageQueue.Handler queues, Texts texts) : StaffPage
{
    /// <summary>The page number ("p": Razor Pages keeps "page" for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>Which queue: awaiting triage (the default) or awaiting assignment.</summary>
    [BindProperty(SupportsGet = true, Name = "queue")]
    public string? QueueName { get; set; }

    public GetTriageQueue.Queue Queue { get; private set; } = null!;

    public CaseStage Stage => Parse(QueueName);

    /// <summary>After a refusal: which case and which of its forms, with what was posted.</summary>
    public long? FailedCaseId { get; private set; }
    public string? FailedForm { get; private set; }
    public TriageForm? PostedTriage { get; private set; }
    public AssignForm? PostedAssign { get; private set; }
    public ReasonForm? PostedReject { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostTriageAsync([Bind(Prefix = "Triage")] TriageForm form, [FromServices] TriageCase.Handler triage, CancellationToken ct)
    {
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await triage.HandleAsync(form.CaseId, form.ToRequest(), ct), "Triage."))
        {
            // Say where the case went, so that "暂不指定" is not a case lost from sight.
            return Done(done!.Status switch
            {
                CaseStatus.Assigned => texts.Format("triage.done-assigned", done.TrackingCode, done.AssigneeUnit?.Name ?? ""),
                CaseStatus.Triaged => texts.Format("triage.done-assignment", done.TrackingCode),
                CaseStatus.Ledgered => texts.Format("triage.done-topic", done.TrackingCode),
                _ => texts.Format("triage.done", done.TrackingCode),
            }, Here());
        }
        (FailedCaseId, FailedForm, PostedTriage) = (form.CaseId, "Triage", form);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAssignAsync([Bind(Prefix = "Assign")] AssignForm form, [FromServices] AssignCase.Handler assign, CancellationToken ct)
    {
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await assign.HandleAsync(form.CaseId, form.ToRequest(), ct), "Assign."))
        {
            return Done(texts.Format("triage.assigned", done!.TrackingCode, done.AssigneeUnit?.Name ?? ""), Here());
        }
        (FailedCaseId, FailedForm, PostedAssign) = (form.CaseId, "Assign", form);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostMergeAsync([Bind(Prefix = "Merge")] MergeForm form, [FromServices] MergeCase.Handler merge, CancellationToken ct)
    {
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await merge.HandleByCodeAsync(form.CaseId, form.Into, form.Reason, ct), "Merge."))
        {
            return Done(texts.Format("triage.merged", done!.TrackingCode, done.MergedInto?.TrackingCode ?? ""), Here());
        }
        (FailedCaseId, FailedForm) = (form.CaseId, "Merge");
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRejectAsync([Bind(Prefix = "Reject")] ReasonForm form, [FromServices] RejectCase.Handler reject, CancellationToken ct)
    {
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await reject.HandleAsync(form.CaseId, new RejectCase.Request(form.Reason), ct), "Reject."))
        {
            return Done(texts.Format("triage.rejected", done!.TrackingCode), Here());
        }
        (FailedCaseId, FailedForm, PostedReject) = (form.CaseId, "Reject", form);
        return await ShowAsync(ct);
    }

    /// <summary>The first message for a field of the refused form ("AssigneeUnit" → "Triage.AssigneeUnit"), when <paramref name="caseId"/> is the refused case.</summary>
    public string? ErrorFor(long caseId, string form, string field) =>
        FailedCaseId == caseId && FailedForm == form && ModelState.TryGetValue(form + "." + field, out var entry) && entry.Errors.Count > 0
            ? entry.Errors[0].ErrorMessage
            : null;

    /// <summary>Messages of the refusal that no field shows (a state conflict, a merge target that closed …).</summary>
    public IReadOnlyList<string> OtherErrors(long? caseId)
    {
        if (FailedCaseId is null || (caseId is not null && caseId != FailedCaseId))
        {
            return [];
        }
        var shown = FailedForm switch
        {
            "Triage" => new[] { "Triage.Track", "Triage.Urgency", "Triage.Category", "Triage.AssigneeUnit", "Triage.DueDate" },
            "Assign" => ["Assign.Unit"],
            "Reject" => ["Reject.Reason"],
            _ => [],
        };
        return ModelState
            .Where(kv => !shown.Contains(kv.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
            .Where(m => !string.IsNullOrEmpty(m))
            .ToList();
    }

    /// <summary>Whether the refused case is on this page; if not, its messages are shown above the queue.</summary>
    public bool FailedRowShown => FailedCaseId is { } id && Queue.Rows.Any(r => r.Id == id);

    public string Today => Queue.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string PageUrl(int page) => QueueUrl(Stage, page);

    public static string QueueUrl(CaseStage stage, int page = 1)
    {
        var query = new List<string>();
        if (stage != CaseStage.AwaitingTriage)
        {
            query.Add("queue=" + stage);
        }
        if (page > 1)
        {
            query.Add("p=" + page.ToString(CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/triage" : "/triage?" + string.Join('&', query);
    }

    public string HandlerUrl(string handler) =>
        $"/triage?handler={handler}&p={PageNumber.ToString(CultureInfo.InvariantCulture)}" + (Stage == CaseStage.AwaitingTriage ? "" : "&queue=" + Stage);

    private string Here() => PageUrl(PageNumber);

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        Queue = await queues.HandleAsync(Stage, PageNumber, ct);
        PageNumber = Queue.Page;
        return Page();
    }

    /// <summary>An unknown queue name (a number too) is the default queue, as an unknown page number is the nearest page.</summary>
    private static CaseStage Parse(string? name) =>
        GetTriageQueue.Queues.Keys.FirstOrDefault(s => string.Equals(s.ToString(), name?.Trim(), StringComparison.OrdinalIgnoreCase), CaseStage.AwaitingTriage);
}
