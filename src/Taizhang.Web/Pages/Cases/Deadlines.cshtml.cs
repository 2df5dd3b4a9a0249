using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Deadlines;
using Taizhang.Web.Pages.Shared;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// 期限与督办: the deadline forms of the case page's section (Pages/Cases/_Deadlines.cshtml) post here,
/// one handler per action, to the same feature handlers as the API. Done goes back to the case with a
/// notice; a refusal shows this page (the case's section alone) with the messages next to the fields
/// and what was typed kept.
/// </summary>
public sealed class DeadlinesModel(CaseReader reader, Texts texts, PageChrome show) : StaffPage
{
    public CaseDetail Detail { get; private set; } = null!;

    public CaseAction? Open { get; private set; }

    public DeadlineForm Form { get; set; } = new();

    public DeadlineSectionView Section => new(Detail, Open, Form, key => new FieldRef(key, ErrorsOf(key).ToList()),
        ErrorsOf(string.Empty).ToList());

    private CancellationToken Ct => HttpContext.RequestAborted;

    public async Task OnGetAsync(long id) => Detail = await reader.DetailAsync(id, Ct);

    public Task<IActionResult> OnPostRequestExtensionAsync(long id, [FromServices] RequestExtension.Handler handler) =>
        ActAsync(id, CaseAction.RequestExtension, f => handler.HandleAsync(id, new(f.NewDueDate, f.Reason), Ct),
            d => texts.Format("deadline-page.done.RequestExtension", show.Date(d.Deadline?.ExtensionRequestedDate ?? d.DueDate)));

    public Task<IActionResult> OnPostDecideExtensionAsync(long id, [FromServices] DecideExtension.Handler handler) =>
        ActAsync(id, CaseAction.DecideExtension, f => handler.HandleAsync(id, new(f.Approved, f.Note), Ct),
            d => Form.Approved == true
                ? texts.Format("deadline-page.done.DecideExtension.approved", show.Date(d.DueDate))
                : texts["deadline-page.done.DecideExtension.refused"]);

    public Task<IActionResult> OnPostRequestSuspensionAsync(long id, [FromServices] RequestSuspension.Handler handler) =>
        ActAsync(id, CaseAction.RequestSuspension, f => handler.HandleAsync(id, new(f.Reason), Ct),
            _ => texts["deadline-page.done.RequestSuspension"]);

    public Task<IActionResult> OnPostDecideSuspensionAsync(long id, [FromServices] DecideSuspension.Handler handler) =>
        ActAsync(id, CaseAction.DecideSuspension, f => handler.HandleAsync(id, new(f.Approved, f.Note), Ct),
            _ => texts[Form.Approved == true ? "deadline-page.done.DecideSuspension.approved" : "deadline-page.done.DecideSuspension.refused"]);

    public Task<IActionResult> OnPostResumeAsync(long id, [FromServices] ResumeCase.Handler handler) =>
        ActAsync(id, CaseAction.Resume, f => handler.HandleAsync(id, new(f.Note), Ct),
            d => texts.Format(d.Events.LastOrDefault(e => e.Action == CaseAction.Resume) is { } resumed && !CaseTimeline.MovedTheDueDate(resumed)
                ? "deadline-page.done.Resume.unchanged" : "deadline-page.done.Resume", show.Date(d.DueDate)));

    public Task<IActionResult> OnPostRemindAsync(long id, [FromServices] RemindCase.Handler handler) =>
        ActAsync(id, CaseAction.Remind, f => handler.HandleAsync(id, new(f.Note), Ct), _ => texts["deadline-page.done.Remind"]);

    public Task<IActionResult> OnPostNotifyAsync(long id, [FromServices] NotifyCase.Handler handler) =>
        ActAsync(id, CaseAction.Notify, f => handler.HandleAsync(id, new(f.Note), Ct), _ => texts["deadline-page.done.Notify"]);

    public Task<IActionResult> OnPostSuperviseAsync(long id, [FromServices] SuperviseCase.Handler handler) =>
        ActAsync(id, CaseAction.Supervise, f => handler.HandleAsync(id, new(f.Level, f.Deadline, f.Note), Ct),
            d => texts.Format("deadline-page.done.Supervise", show.Of(d.Deadline?.SupervisionLevel)));

    public Task<IActionResult> OnPostContactAsync(long id, [FromServices] ContactReporter.Handler handler) =>
        ActAsync(id, CaseAction.Contact, f => handler.HandleAsync(id, new(f.Note), Ct), _ => texts["deadline-page.done.Contact"]);

    private IEnumerable<string> ErrorsOf(string key) =>
        ModelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

    /// <summary>Binds only the posted action's fields ("Remind.Note"), runs the handler, and goes back to the case or shows the refusal here.</summary>
    private async Task<IActionResult> ActAsync(long id, CaseAction action, Func<DeadlineForm, Task<CaseDetail>> call, Func<CaseDetail, string> notice)
    {
        var form = new DeadlineForm();
        await TryUpdateModelAsync(form, action.ToString());
        Form = form;
        CaseDetail? after = null;
        if (await TryAsync(async () => after = await call(form), action + "."))
        {
            return Done(notice(after!), $"/cases/{id}#deadlines");
        }
        Open = action;
        Detail = await reader.DetailAsync(id, Ct);
        return Page();
    }
}
