using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Attachments;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages.Shared;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// The case page: everything about one case, its timeline as sentences, and a form for each
/// action the user may take now. Each form posts to its own handler and binds only its own
/// model (named after the action, so the handlers' field errors land next to its fields);
/// the work is done by the same feature handlers as the API.
/// </summary>
/// <remarks>The attachment form and the resolve form (办结佐证) take a file: only their handlers may send a body larger than Limits:MaxBodyBytes.</remarks>
[UploadEndpoint("AddAttachment", "Resolve")]
public sealed class DetailModel(CaseReader reader, GetCaseWorkspace.Handler workspace, ListAttachments.Handler attachments, OrgDirectory org, Texts texts,
    PageChrome show, AttachmentOptions attachmentOptions, Features.Mediation.MediationSummary mediations) : StaffPage
{
    /// <summary>
    /// Actions done somewhere else than the actions column: attachments beside their list, a meeting's
    /// outcome on the meeting page, the plan and its progress in the plan section, mediation, disclosure and
    /// outcome measures on their own pages.
    /// </summary>
    public static readonly IReadOnlySet<CaseAction> ElsewhereActions = new HashSet<CaseAction>(
    [
        CaseAction.AddAttachment, CaseAction.DeliberationOutcome, CaseAction.PlanProgress, CaseAction.Mediate, CaseAction.Disclose,
        CaseAction.RecordMeasures, CaseAction.Plan,
        // 延期、挂起、催办、督办、联系群众: the deadline section (Pages/Cases/_Deadlines.cshtml).
        .. DeadlineSectionView.Actions,
    ]);

    public CaseDetail Detail { get; private set; } = null!;

    /// <summary>The action whose form was posted and refused: its details are open, its errors shown.</summary>
    public CaseAction? Open { get; private set; }

    /// <summary>The reporters' phones are shown unmasked (this response only; never stored in a URL or TempData).</summary>
    public bool Revealed { get; private set; }

    public bool MayReveal { get; private set; }
    public IReadOnlyList<UnitInfo> HandlingUnits { get; private set; } = [];
    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];
    public IReadOnlyList<(long Id, string Title)> Meetings { get; private set; } = [];
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public string? MeetingTitle { get; private set; }

    /// <summary>The actions column's forms: the reader's actions that are not done elsewhere.</summary>
    public IEnumerable<CaseAction> ColumnActions => Detail.AvailableActions.Where(a => !ElsewhereActions.Contains(a));

    /// <summary>
    /// When the actions column has nothing: the sections of this page that offer the reader something
    /// (their element id and title key, in page order), so the column points there instead of saying
    /// there is nothing to do. Empty: the reader can do nothing on this page.
    /// </summary>
    public IReadOnlyList<(string Id, string Title)> ActionsElsewhere { get; private set; } = [];

    public TriageForm Triage { get; set; } = new();
    public AssignForm Assign { get; set; } = new();
    public ReasonForm Return { get; set; } = new();
    public TransferForm Transfer { get; set; } = new();
    public ResolveForm Resolve { get; set; } = new();
    public FollowUpForm FollowUp { get; set; } = new();
    public ReasonForm Reopen { get; set; } = new();
    public ReasonForm Reject { get; set; } = new();
    public MergeForm Merge { get; set; } = new();
    public DeliberateForm Deliberate { get; set; } = new();
    public AddReporterForm AddReporter { get; set; } = new();
    public AttachForm AddAttachment { get; set; } = new();

    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    /// <summary>Whether the upload form is offered: the case takes attachments now and the user may add one.</summary>
    public bool MayAttach => Detail.AvailableActions.Contains(CaseAction.AddAttachment);

    public string MaxAttachmentSize => AttachmentOptions.Megabytes(attachmentOptions.MaxBytes);

    private CancellationToken Ct => HttpContext.RequestAborted;

    public async Task OnGetAsync(long id) => await ShowAsync(await reader.DetailAsync(id, Ct));

    /// <summary>Renders (never redirects) the unmasked phones; the handler records the viewing.</summary>
    public async Task<IActionResult> OnPostRevealAsync(long id, [FromServices] RevealPersonalData.Handler handler)
    {
        var detail = await handler.HandleAsync(id, Ct);
        Revealed = true;
        Response.Headers.CacheControl = "no-store";
        await ShowAsync(detail);
        return Page();
    }

    public async Task<IActionResult> OnPostTriageAsync(long id, [FromServices] TriageCase.Handler handler)
    {
        var form = await BindAsync(Triage, nameof(Triage));
        return await ActAsync(id, CaseAction.Triage,
            () => handler.HandleAsync(id, form.ToRequest(), Ct),
            d => d.AssigneeUnit is { } unit && d.Status == CaseStatus.Assigned
                ? texts.Format("case-page.done.TriageAssign", show.Of(d.Track), unit.Name)
                : texts.Format("case-page.done.Triage", show.Of(d.Track)));
    }

    public async Task<IActionResult> OnPostAssignAsync(long id, [FromServices] AssignCase.Handler handler)
    {
        var form = await BindAsync(Assign, nameof(Assign));
        return await ActAsync(id, CaseAction.Assign,
            () => handler.HandleAsync(id, form.ToRequest(), Ct),
            d => texts.Format("case-page.done.Assign", d.AssigneeUnit?.Name));
    }

    public Task<IActionResult> OnPostStartAsync(long id, [FromServices] StartCase.Handler handler) =>
        ActAsync(id, CaseAction.Start, () => handler.HandleAsync(id, Ct), _ => texts["case-page.done.Start"]);

    public async Task<IActionResult> OnPostReturnAsync(long id, [FromServices] ReturnCase.Handler handler)
    {
        var form = await BindAsync(Return, nameof(Return));
        return await ActAsync(id, CaseAction.Return,
            () => handler.HandleAsync(id, new ReturnCase.Request(form.Reason), Ct),
            _ => texts["case-page.done.Return"]);
    }

    public async Task<IActionResult> OnPostTransferAsync(long id, [FromServices] TransferCase.Handler handler)
    {
        var form = await BindAsync(Transfer, nameof(Transfer));
        return await ActAsync(id, CaseAction.Transfer,
            () => handler.HandleAsync(id, form.ToRequest(), Ct),
            d => texts.Format("case-page.done.Transfer", d.AssigneeUnit?.Name));
    }

    /// <summary>办结, with 办结佐证 in the same submit when a file is chosen: both are saved, or neither.</summary>
    public async Task<IActionResult> OnPostResolveAsync(long id, [FromServices] ResolveCase.Handler handler,
        [FromServices] Features.Attachments.AddAttachment.Handler attach, [FromServices] AttachmentIntake intake)
    {
        if (await ReadFormAsync() is not { } posted)
        {
            return await RefusedAsync(id, CaseAction.Resolve, "Resolve.Evidence", texts["attachments.error.unreadable"]);
        }
        var form = await BindAsync(Resolve, nameof(Resolve));
        string Notice(CaseDetail d) => texts.Format("case-page.done.Resolve", show.Of(d.Outcome));
        var file = posted.Files.GetFile("Resolve.Evidence");
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            return await ActAsync(id, CaseAction.Resolve, () => handler.HandleAsync(id, form.ToRequest(), Ct), Notice);
        }
        PreparedAttachment? evidence = null;
        try
        {
            if (!await TryAsync(async () => evidence = await intake.PrepareAsync(file, "evidence", Ct), "Resolve."))
            {
                Open = CaseAction.Resolve;
                await ShowAsync(await reader.DetailAsync(id, Ct));
                return Page();
            }
            return await ActAsync(id, CaseAction.Resolve, () => attach.ResolveWithEvidenceAsync(id, form.ToRequest(), evidence!, Ct), Notice);
        }
        finally
        {
            evidence?.Dispose();
        }
    }

    public async Task<IActionResult> OnPostFollowUpAsync(long id, [FromServices] FollowUpCase.Handler handler)
    {
        var form = await BindAsync(FollowUp, nameof(FollowUp));
        return await ActAsync(id, CaseAction.FollowUp,
            () => handler.HandleAsync(id, form.ToRequest(), Ct),
            d => texts.Format(d.Status == CaseStatus.Reopened ? "case-page.done.FollowUpReopened" : "case-page.done.FollowUp", show.Of(d.Satisfaction)));
    }

    public async Task<IActionResult> OnPostReopenAsync(long id, [FromServices] ReopenCase.Handler handler)
    {
        var form = await BindAsync(Reopen, nameof(Reopen));
        return await ActAsync(id, CaseAction.Reopen,
            () => handler.HandleAsync(id, new ReopenCase.Request(form.Reason), Ct),
            _ => texts["case-page.done.Reopen"]);
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, [FromServices] RejectCase.Handler handler)
    {
        var form = await BindAsync(Reject, nameof(Reject));
        return await ActAsync(id, CaseAction.Reject,
            () => handler.HandleAsync(id, new RejectCase.Request(form.Reason), Ct),
            _ => texts["case-page.done.Reject"]);
    }

    /// <summary>People know the other case by its tracking code.</summary>
    public async Task<IActionResult> OnPostMergeAsync(long id, [FromServices] MergeCase.Handler handler)
    {
        var form = await BindAsync(Merge, nameof(Merge));
        return await ActAsync(id, CaseAction.Merge,
            () => handler.HandleByCodeAsync(id, form.Into, form.Reason, Ct),
            d => texts.Format("case-page.done.Merge", d.MergedInto?.TrackingCode ?? TrackingCodes.Normalize(form.Into)));
    }

    public async Task<IActionResult> OnPostDeliberateAsync(long id, [FromServices] DeliberateCase.Handler handler)
    {
        var form = await BindAsync(Deliberate, nameof(Deliberate));
        long? meeting = null;
        if (!string.IsNullOrWhiteSpace(form.MeetingId))
        {
            if (!long.TryParse(form.MeetingId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m))
            {
                return await RefusedAsync(id, CaseAction.Deliberate, "Deliberate.MeetingId", texts["case-page.unknown-meeting"]);
            }
            meeting = m;
        }
        return await ActAsync(id, CaseAction.Deliberate,
            () => handler.HandleAsync(id, new DeliberateCase.Request(meeting), Ct),
            _ => texts["case-page.done.Deliberate"]);
    }

    public async Task<IActionResult> OnPostAddReporterAsync(long id, [FromServices] Features.Cases.AddReporter.Handler handler)
    {
        var form = await BindAsync(AddReporter, nameof(AddReporter));
        return await ActAsync(id, CaseAction.AddReporter,
            () => handler.HandleAsync(id, form.ToRequest(), Ct),
            _ => texts["case-page.done.AddReporter"]);
    }

    /// <summary>添加附件: the file form of the attachments section (multipart; works without JavaScript).</summary>
    public async Task<IActionResult> OnPostAddAttachmentAsync(long id, [FromServices] Features.Attachments.AddAttachment.Handler handler)
    {
        if (await ReadFormAsync() is not { } posted)
        {
            return await RefusedAsync(id, CaseAction.AddAttachment, "AddAttachment.File", texts["attachments.error.unreadable"]);
        }
        var form = await BindAsync(AddAttachment, nameof(AddAttachment));
        AttachmentView? added = null;
        if (await TryAsync(async () => added = await handler.HandleAsync(id, posted.Files.GetFile("AddAttachment.File"), form.Kind, Ct), "AddAttachment."))
        {
            return Done(texts.Format("attachments.done", CaseTimeline.Mask(added!.FileName)), $"/cases/{id}#attachments");
        }
        Open = CaseAction.AddAttachment;
        await ShowAsync(await reader.DetailAsync(id, Ct));
        return Page();
    }

    /// <summary>Where the case page links a file (the same download as the API's, with the error page for browsers).</summary>
    public string FileUrl(AttachmentView a, bool thumbnail = false) =>
        $"/cases/{a.CaseId}/attachments/{a.Id}" + (thumbnail ? "?thumbnail=true" : "");

    /// <summary>"图片 JPEG", "PDF", "Word 文档" …</summary>
    public string TypeOf(AttachmentView a) => a.ContentType switch
    {
        "image/jpeg" => texts["attachments.type.image"] + " JPEG",
        "image/png" => texts["attachments.type.image"] + " PNG",
        "image/webp" => texts["attachments.type.image"] + " WebP",
        "application/pdf" => texts["attachments.type.pdf"],
        var t when t.Contains("wordprocessingml", StringComparison.Ordinal) => texts["attachments.type.word"],
        var t when t.Contains("spreadsheetml", StringComparison.Ordinal) => texts["attachments.type.excel"],
        var t when t.Contains("presentationml", StringComparison.Ordinal) => texts["attachments.type.powerpoint"],
        var t => t,
    };

    public static string SizeOf(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024.0 / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB",
    };

    public FieldRef Field(string key) => new(key, ErrorsOf(key).ToList());

    public IEnumerable<string> ErrorsOf(string key) =>
        ModelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

    /// <summary>Errors that belong to no field (an illegal transition, a concurrent change), for the open form.</summary>
    public IEnumerable<string> GeneralErrors => ErrorsOf(string.Empty);

    /// <summary>Every message, for an action whose form is no longer on the page.</summary>
    public IEnumerable<string> AllErrors => ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).Distinct();

    /// <summary>The id of a field's message element: "Assign.Unit" → "Assign_Unit-error".</summary>
    public static string ErrorId(string key) => key.Replace('.', '_') + "-error";

    public bool DueSoon => show.DueSoon(Detail.Status, Detail.DueAt);

    /// <summary>Only the posted form is bound, so another form's fields never count (or fail) here.</summary>
    private async Task<TForm> BindAsync<TForm>(TForm form, string prefix) where TForm : class
    {
        await TryUpdateModelAsync(form, prefix);
        return form;
    }

    /// <summary>The posted form with its files; null when the body is not a form that can be read (refused next to the file field).</summary>
    private async Task<IFormCollection?> ReadFormAsync()
    {
        if (!Request.HasFormContentType)
        {
            return null;
        }
        try
        {
            return await Request.ReadFormAsync(Ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    private async Task<IActionResult> ActAsync(long id, CaseAction action, Func<Task<CaseDetail>> call, Func<CaseDetail, string> notice)
    {
        CaseDetail? after = null;
        if (await TryAsync(async () => after = await call(), action + "."))
        {
            // An agency that returns a case, say, no longer sees it: back to the ledger, not to a 404.
            return await workspace.VisibleAsync(id, Ct)
                ? Done(notice(after!), $"/cases/{id}")
                : Done(notice(after!) + " " + texts["case-page.done.left-scope"], "/cases");
        }
        Open = action;
        await ShowAsync(await reader.DetailAsync(id, Ct));
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(long id, CaseAction action, string key, string message)
    {
        ModelState.AddModelError(key, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Open = action;
        await ShowAsync(await reader.DetailAsync(id, Ct));
        return Page();
    }

    private async Task ShowAsync(CaseDetail detail)
    {
        Detail = detail;
        var meetingIds = CaseTimeline.MeetingIds(detail.Events).ToList();
        if (detail.MeetingId is { } source)
        {
            meetingIds.Add(source);
        }
        var work = await workspace.HandleAsync(detail, meetingIds, Ct);
        Attachments = await attachments.HandleAsync(detail.Id, Ct);
        MayReveal = work.MayReveal;
        HandlingUnits = work.HandlingUnits;
        Categories = work.Categories;
        Meetings = work.Meetings.Select(m => (m.Id, m.Title)).ToList();
        MeetingTitle = detail.MeetingId is { } mid && work.MeetingTitles.TryGetValue(mid, out var t) ? t : null;
        Timeline = CaseTimeline.Describe(detail.Events, await org.GetAsync(Ct), work.MeetingTitles, texts, show, at => show.Date(reader.DueDate(at)));

        // Sensible starting values for forms that were not just posted.
        if (Open != CaseAction.Triage)
        {
            Triage = new TriageForm { Track = detail.Track?.ToString(), Urgency = detail.Urgency.ToString(), Category = detail.Category?.Code };
        }
        else if (string.IsNullOrWhiteSpace(Triage.Urgency))
        {
            // Left out of the post, the handler keeps the case's urgency; so does the form.
            Triage.Urgency = detail.Urgency.ToString();
        }
        if (Open != CaseAction.Assign)
        {
            Assign = new AssignForm { Unit = detail.AssigneeUnit?.Code };
        }
        ActionsElsewhere = ColumnActions.Any() ? [] : await SectionsWithActionsAsync(detail);
    }

    /// <summary>The same conditions as each section's own (Pages/Cases/_*.cshtml, Pages/Mediation/_CaseMediation.cshtml).</summary>
    private async Task<IReadOnlyList<(string Id, string Title)>> SectionsWithActionsAsync(CaseDetail detail)
    {
        var may = detail.AvailableActions;
        var sections = new List<(string, string)>();
        if (DeadlineSectionView.Quiet(detail).Offered.Any())
        {
            sections.Add(("deadlines", "deadline-page.title"));
        }
        if (may.Contains(CaseAction.Plan) || (may.Contains(CaseAction.PlanProgress) && detail.Track == Track.Topic))
        {
            sections.Add(("plan", "plans.title"));
        }
        if (MayAttach)
        {
            sections.Add(("attachments", "attachments.title"));
        }
        if (may.Contains(CaseAction.Disclose))
        {
            sections.Add(("disclose", "action.Disclose"));
        }
        if (may.Contains(CaseAction.Mediate) && await mediations.ForAsync(detail.Id, detail.Category?.Code, Ct) is not null)
        {
            sections.Add(("mediation", "mediation-page.heading"));
        }
        if (may.Contains(CaseAction.RecordMeasures))
        {
            sections.Add(("measures", "consultation.case.measures.title"));
        }
        return sections;
    }
}

