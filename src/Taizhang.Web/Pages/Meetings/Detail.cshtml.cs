using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Meetings;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Meetings;

/// <summary>
/// A meeting's workspace, as a village cadre uses it at and after the meeting: details, participants
/// and attendance, the agenda (topics from the ledger, matters raised at the meeting), each item's
/// outcome, the minutes, confirmation with signatures, amendments, publication, attachments. Every
/// form posts to the same handler as the API; a refusal is shown next to its field with what was typed.
/// </summary>
[UploadEndpoint("Attachment")]
public sealed class DetailModel(MeetingReader reader, GetMeetingChoices.Handler choices, DuePolicy due, Texts texts) : StaffPage
{
    public MeetingDetail Meeting { get; private set; } = null!;
    public IReadOnlyList<GetMeetingChoices.TopicOption> Topics { get; private set; } = [];
    public IReadOnlyList<GetMeetingChoices.UnitOption> PartnerUnits { get; private set; } = [];
    /// <summary>The agenda items already disclosed, by item (confirmed or published minutes only).</summary>
    public IReadOnlyDictionary<int, ItemDisclosure> Disclosed { get; private set; } = new Dictionary<int, ItemDisclosure>();

    /// <summary>The form that was refused (its typed values are in the form properties below).</summary>
    public string? Failed { get; private set; }
    public EditForm Edit { get; private set; } = new();
    public ParticipantForm Participant { get; private set; } = new();
    public AgendaForm Agenda { get; private set; } = new();
    public RaisedForm Raised { get; private set; } = new();
    public HoldForm Hold { get; private set; } = new();
    public OutcomeForm Outcome { get; private set; } = new();
    public MinutesForm Minutes { get; private set; } = new();
    public MinutesForm Amend { get; private set; } = new();
    public string? CancelReason { get; private set; }

    /// <summary>The case just registered from the meeting (会议点), to read its code back to the resident.</summary>
    [TempData] public string? RaisedCode { get; set; }

    public string LocalTime(DateTime utc) => MeetingTimes.Local(utc, due);

    public bool Open => Meeting.Status is MeetingStatus.Planned or MeetingStatus.Held;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        Raised.Key = Guid.NewGuid().ToString("N");
        return Page();
    }

    public Task<IActionResult> OnPostEditAsync(long id, [Bind(Prefix = "Edit")] EditForm form, [FromServices] EditMeeting.Handler handler, CancellationToken ct) =>
        RunAsync(id, "Edit", () => handler.HandleAsync(id, form.ToRequest(due), ct, form.Version), () => Edit = form, "meetings.done.edited");

    public Task<IActionResult> OnPostParticipantAsync(long id, [Bind(Prefix = "Participant")] ParticipantForm form,
        [FromServices] AddParticipant.Handler handler, CancellationToken ct) =>
        RunAsync(id, "Participant", () => handler.HandleAsync(id, form.ToRequest(), ct), () => Participant = form, "meetings.done.participant", "#participants");

    public Task<IActionResult> OnPostRemoveParticipantAsync(long id, int seq, [FromServices] RemoveParticipant.Handler handler, CancellationToken ct) =>
        RunAsync(id, "Participants", () => handler.HandleAsync(id, seq, ct), () => { }, "meetings.done.participant-removed", "#participants");

    public Task<IActionResult> OnPostAgendaAsync(long id, [Bind(Prefix = "Agenda")] AgendaForm form, [FromServices] AddAgendaItem.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Agenda", () => handler.HandleAsync(id, form.ToRequest(), ct), () => Agenda = form, "meetings.done.agenda", "#agenda");

    public async Task<IActionResult> OnPostRaisedAsync(long id, [Bind(Prefix = "Raised")] RaisedForm form, [FromServices] RegisterRaisedMatter.Handler handler,
        CancellationToken ct)
    {
        RegisterRaisedMatter.Response? done = null;
        var reused = false;
        var ok = await TryAsync(async () =>
        {
            try
            {
                done = await handler.HandleAsync(id, form.ToRequest(), form.Key, ct);
            }
            catch (DomainRuleException e) when (e.Code == "intake.idempotency-key-reused")
            {
                reused = true;
                throw;
            }
        }, "Raised.");
        if (ok)
        {
            RaisedCode = done!.Case.TrackingCode;
            return Done(texts.Format("meetings.done.raised", done.Case.TrackingCode), $"/meetings/{id}#raised");
        }
        if (reused)
        {
            ModelState.Remove(string.Empty);
            ModelState.AddModelError(string.Empty, texts["desk.key-reused"]);
            form.Key = Guid.NewGuid().ToString("N");
        }
        Raised = form;
        Failed = "Raised";
        await LoadAsync(id, ct);
        return Page();
    }

    public Task<IActionResult> OnPostHoldAsync(long id, [Bind(Prefix = "Hold")] HoldForm form, [FromServices] HoldMeeting.Handler handler, CancellationToken ct) =>
        RunAsync(id, "Hold", () => handler.HandleAsync(id, form.ToRequest(due), ct), () => Hold = form, "meetings.done.held", "#participants");

    public Task<IActionResult> OnPostOutcomeAsync(long id, [Bind(Prefix = "Outcome")] OutcomeForm form, [FromServices] RecordOutcome.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Outcome", () => handler.HandleAsync(id, form.Seq, form.ToRequest(), ct), () => Outcome = form, "meetings.done.outcome",
            $"#item-{form.Seq}");

    public Task<IActionResult> OnPostMinutesAsync(long id, [Bind(Prefix = "Minutes")] MinutesForm form, [FromServices] SaveMinutes.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Minutes", () => handler.HandleAsync(id, new SaveMinutes.Request(form.Minutes), ct, form.Version), () => Minutes = form,
            "meetings.done.minutes", "#minutes");

    public Task<IActionResult> OnPostConfirmAsync(long id, [FromForm(Name = "Signed")] List<int>? signed, [FromServices] ConfirmMinutes.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Confirm", () => handler.HandleAsync(id, new ConfirmMinutes.Request(signed ?? []), ct), () => { }, "meetings.done.confirmed", "#minutes");

    public Task<IActionResult> OnPostAmendAsync(long id, [Bind(Prefix = "Amend")] MinutesForm form, [FromServices] AmendMinutes.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Amend", () => handler.HandleAsync(id, new AmendMinutes.Request(form.Minutes, form.Reason), ct), () => Amend = form,
            "meetings.done.amended", "#minutes");

    public Task<IActionResult> OnPostPublishAsync(long id, [FromServices] PublishMeeting.Handler handler, CancellationToken ct) =>
        RunAsync(id, "Publish", () => handler.HandleAsync(id, ct), () => { }, "meetings.done.published");

    public Task<IActionResult> OnPostCancelAsync(long id, [FromForm(Name = "Reason")] string? reason, [FromServices] CancelMeeting.Handler handler,
        CancellationToken ct) =>
        RunAsync(id, "Cancel", () => handler.HandleAsync(id, new CancelMeeting.Request(reason), ct), () => CancelReason = reason, "meetings.done.cancelled");

    public async Task<IActionResult> OnPostAttachmentAsync(long id, IFormFile? file, [FromServices] AddMeetingAttachment.Handler handler, CancellationToken ct) =>
        await RunAsync(id, "Attachment", () => handler.HandleAsync(id, file, ct), () => { }, "meetings.done.attachment", "#attachments");

    private async Task<IActionResult> RunAsync<T>(long id, string form, Func<Task<T>> action, Action keep, string notice, string anchor = "")
    {
        T? result = default;
        if (await TryAsync(async () => result = await action(), form + "."))
        {
            return Done(texts[notice], $"/meetings/{id}{anchor}");
        }
        keep();
        Failed = form;
        await LoadAsync(id, HttpContext.RequestAborted);
        Raised.Key ??= Guid.NewGuid().ToString("N");
        return Page();
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        Meeting = await reader.DetailAsync(id, ct);
        if (Meeting.Status is MeetingStatus.MinutesConfirmed or MeetingStatus.Published)
        {
            Disclosed = await reader.DisclosuresAsync(id, ct);
        }
        if (Meeting.CanRun && Open)
        {
            Topics = await choices.TopicsAsync(await reader.TownIdAsync(id, ct), ct);
            PartnerUnits = (await choices.HandleAsync(ct)).PartnerUnits;
        }
        if (Failed != "Minutes")
        {
            Minutes = new MinutesForm { Minutes = Meeting.Minutes, Version = Meeting.Version };
        }
        if (Failed != "Amend")
        {
            Amend = new MinutesForm { Minutes = Meeting.Minutes };
        }
        if (Failed != "Edit")
        {
            Edit = new EditForm
            {
                Title = Meeting.Title, At = LocalTime(Meeting.HeldAt), Place = Meeting.Place, Host = Meeting.Host, Expected = Meeting.Expected,
                Version = Meeting.Version,
            };
        }
        if (Failed != "Hold")
        {
            Hold = new HoldForm { Present = Meeting.Participants.Where(p => p.Present).Select(p => p.Seq).ToList(), HeldAt = LocalTime(Meeting.HeldAt) };
        }
    }
}
