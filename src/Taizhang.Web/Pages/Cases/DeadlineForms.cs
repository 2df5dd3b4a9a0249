using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Deadlines;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// The fields of the deadline forms (延期、挂起、恢复、催办、通报、督办、联系群众), as typed; each form
/// posts them under its action's name ("RequestExtension.NewDueDate"), so the handler's field errors
/// come back next to them.
/// </summary>
public sealed class DeadlineForm
{
    public string? NewDueDate { get; set; }
    public string? Reason { get; set; }
    /// <summary>"true" (同意) or "false" (不同意).</summary>
    public string? Approve { get; set; }
    public string? Note { get; set; }
    public string? Level { get; set; }
    public string? Deadline { get; set; }

    /// <summary>The decision as typed: null when neither was chosen (the handler says it is required).</summary>
    public bool? Approved => Approve?.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };
}

/// <summary>
/// What the case page's deadline section shows (Pages/Cases/_Deadlines.cshtml): the case, the form
/// that was posted and refused (open, with what was typed and the messages), and which forms the
/// reader gets: the action is in the reader's <see cref="CaseDetail.AvailableActions"/> and the
/// case's state allows it now (a decision only while a request waits, resume only while suspended …).
/// </summary>
public sealed record DeadlineSectionView(
    CaseDetail Detail,
    CaseAction? Open,
    DeadlineForm Typed,
    Func<string, FieldRef> Field,
    IReadOnlyList<string> General)
{
    /// <summary>The deadline actions, in the order the section offers them.</summary>
    public static readonly IReadOnlyList<CaseAction> Actions =
    [
        CaseAction.DecideExtension, CaseAction.DecideSuspension, CaseAction.Resume, CaseAction.RequestExtension, CaseAction.RequestSuspension,
        CaseAction.Remind, CaseAction.Notify, CaseAction.Supervise, CaseAction.Contact,
    ];

    public DeadlineState State => Detail.Deadline!;

    /// <summary>The forms offered now.</summary>
    public IEnumerable<CaseAction> Offered => Actions.Where(Offers);

    public bool Offers(CaseAction action)
    {
        if (!Detail.AvailableActions.Contains(action) || Detail.Deadline is not { } s)
        {
            return false;
        }
        return action switch
        {
            CaseAction.RequestExtension => !s.RequestPending && !s.Suspended && !Detail.Overdue,
            // An overdue case is chased, not stopped: the form the server would refuse is not offered (as for an extension).
            CaseAction.RequestSuspension => !s.RequestPending && !s.Suspended && !Detail.Overdue,
            CaseAction.DecideExtension => s.ExtensionRequestedDate is not null,
            CaseAction.DecideSuspension => s.SuspensionRequested,
            CaseAction.Resume => s.Suspended,
            CaseAction.Remind or CaseAction.Notify => !s.Suspended,
            _ => true,
        };
    }

    /// <summary>
    /// A second approval of the same kind needs a leader (who holds 督办 for the case): a reader
    /// without it is told so above the decision form (refusing stays possible).
    /// </summary>
    public bool NeedsLeader(CaseAction decision) =>
        State.OwnUnitNeedsLeader
        || (!Detail.AvailableActions.Contains(CaseAction.Supervise)
            && DeadlineState.ApprovalNeedsLeader(decision == CaseAction.DecideExtension, State.ExtensionCount,
                State.SuspensionCount, State.ExtensionNeedsLeader));

    /// <summary>A suspension or an extension asked for in time, now past the due date: it may only be refused (approving would erase the delay).</summary>
    public bool OnlyRefusable(CaseAction decision) => NeedsLeader(decision) || (decision is CaseAction.DecideSuspension or CaseAction.DecideExtension && Detail.Overdue);

    /// <summary>Why a leader is needed: a long extension, or a second one.</summary>
    public string NeedsLeaderText(CaseAction decision) =>
        State.OwnUnitNeedsLeader ? "deadline-page.needs-leader.own-unit"
        : decision == CaseAction.DecideExtension && State.ExtensionNeedsLeader && State.ExtensionCount == 0
            ? "deadline-page.needs-leader.long" : "deadline-page.needs-leader";

    /// <summary>
    /// The request a decision form decides: the last request event of its kind (one waits at a time), with who
    /// asked, when and why (the reason as the timeline shows it). Null if the timeline does not have it.
    /// </summary>
    public CaseEventView? RequestOf(CaseAction decision) => Detail.Events.LastOrDefault(e =>
        e.Action == (decision == CaseAction.DecideExtension ? CaseAction.RequestExtension : CaseAction.RequestSuspension));

    /// <summary>What a form shows in a field: what was typed when it was the one posted.</summary>
    public DeadlineForm ValuesOf(CaseAction action) => Open == action ? Typed : new DeadlineForm();

    /// <summary>The form's field "RequestExtension.NewDueDate" with its messages.</summary>
    public FieldRef FieldOf(CaseAction action, string name) => Field(action + "." + name);

    public static DeadlineSectionView Quiet(CaseDetail detail) => new(detail, null, new DeadlineForm(), key => new FieldRef(key, []), []);
}
