using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Web.Features.Mediation;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Mediation;

/// <summary>
/// 人民调解卷宗 of one case, in the order of the file: intake, notice, sessions, agreement, time limit,
/// performance, judicial confirmation, outcome. Each form posts to its own handler (the API's use
/// cases); a refusal shows its messages next to the fields with what was typed kept.
/// </summary>
public sealed class IndexModel(GetMediationPage.Handler page, Texts texts) : StaffPage
{
    public GetMediationPage.Page View { get; private set; } = null!;

    /// <summary>The form that was posted and refused: it stays open.</summary>
    public string? Open { get; private set; }

    [BindProperty] public IntakeForm Intake { get; set; } = new();
    [BindProperty] public PartyForm Party { get; set; } = new() { Role = "Other" };
    [BindProperty] public NoticeForm NoticeGiven { get; set; } = new();
    [BindProperty] public SessionForm Session { get; set; } = new();
    [BindProperty] public AgreementForm Agreement { get; set; } = new();
    [BindProperty] public ExtensionForm Extension { get; set; } = new();
    [BindProperty] public PerformanceForm Performance { get; set; } = new();
    [BindProperty] public JudicialForm Judicial { get; set; } = new();
    [BindProperty] public OutcomeForm Outcome { get; set; } = new();

    private CancellationToken Ct => HttpContext.RequestAborted;

    public async Task OnGetAsync(long id) => View = await page.HandleAsync(id, Ct);

    public Task<IActionResult> OnPostIntakeAsync(long id, [FromServices] AcceptMediation.Handler handler)
    {
        var amount = Number(Intake.Amount, "Intake.Amount");
        var people = Integer(Intake.PeopleInvolved, "Intake.PeopleInvolved");
        return ActAsync(id, nameof(Intake), () => handler.HandleAsync(id, new AcceptMediation.Request(Intake.DisputeType, Intake.Source, Intake.Summary,
            amount, people, Intake.RiskGrade, Intake.LeaderName, Intake.LeaderPost, Intake.AcceptedOn, Intake.Mediators,
            Intake.Parties.Where(p => !p.IsBlank).Select(p => p.ToRequest()).ToList()), Ct), "mediation-page.done.intake");
    }

    public Task<IActionResult> OnPostPartyAsync(long id, [FromServices] AddMediationParty.Handler handler) =>
        ActAsync(id, nameof(Party), () => handler.HandleAsync(id, Party.ToRequest(), Ct), "mediation-page.done.party");

    public Task<IActionResult> OnPostNoticeAsync(long id, [FromServices] GiveMediationNotice.Handler handler) =>
        ActAsync(id, nameof(NoticeGiven), () => handler.HandleAsync(id, new GiveMediationNotice.Request(NoticeGiven.GivenOn, NoticeGiven.Form), Ct), "mediation-page.done.notice");

    public Task<IActionResult> OnPostSessionAsync(long id, [FromServices] RecordMediationSession.Handler handler) =>
        ActAsync(id, nameof(Session), () => handler.HandleAsync(id, new RecordMediationSession.Request(Session.HeldOn, Session.Mediators, Session.Units,
            Session.PartiesPresent, Session.Record, Session.Outcome), Ct), "mediation-page.done.session");

    public Task<IActionResult> OnPostAgreementAsync(long id, [FromServices] MakeMediationAgreement.Handler handler) =>
        ActAsync(id, nameof(Agreement), () => handler.HandleAsync(id, new MakeMediationAgreement.Request(Agreement.Form, Agreement.Facts, Agreement.Disputes,
            Agreement.Responsibilities, Agreement.Terms, Agreement.PerformanceManner, Agreement.PerformancePlace, Agreement.PerformanceDeadline,
            Agreement.SignedOn), Ct), "mediation-page.done.agreement");

    public Task<IActionResult> OnPostExtensionAsync(long id, [FromServices] ExtendMediation.Handler handler) =>
        ActAsync(id, nameof(Extension), () => handler.HandleAsync(id, new ExtendMediation.Request(Extension.NewDeadline, Extension.Reason, Extension.PartiesConsent), Ct),
            "mediation-page.done.extension");

    public Task<IActionResult> OnPostPerformanceAsync(long id, [FromServices] RecordMediationPerformance.Handler handler)
    {
        var party = Integer(Performance.Party, "Performance.Party");
        return ActAsync(id, nameof(Performance), () => handler.HandleAsync(id, new RecordMediationPerformance.Request(Performance.On, Performance.Performance,
            party, Performance.Note, Performance.ResolveCase, null), Ct), "mediation-page.done.performance");
    }

    public Task<IActionResult> OnPostJudicialAsync(long id, [FromServices] ApplyJudicialConfirmation.Handler handler) =>
        ActAsync(id, nameof(Judicial), () => handler.HandleAsync(id, new ApplyJudicialConfirmation.Request(Judicial.AppliedOn, Judicial.Court, Judicial.Result), Ct),
            "mediation-page.done.judicial");

    public Task<IActionResult> OnPostOutcomeAsync(long id, [FromServices] RecordMediationOutcome.Handler handler) =>
        ActAsync(id, nameof(Outcome), () => handler.HandleAsync(id, new RecordMediationOutcome.Request(Outcome.Outcome, Outcome.ReferredTo, Outcome.Note,
            Outcome.On, Outcome.ResolveCase, null), Ct), "mediation-page.done.outcome");

    /// <summary>The party's phones and ID numbers unmasked, this response only; the viewing is recorded on the case.</summary>
    public async Task<IActionResult> OnPostRevealAsync(long id, [FromServices] RevealMediationParties.Handler handler)
    {
        var revealed = await handler.HandleAsync(id, Ct);
        Response.Headers.CacheControl = "no-store";
        View = await page.HandleAsync(id, Ct, revealed);
        return Page();
    }

    private async Task<IActionResult> ActAsync(long id, string form, Func<Task<MediationView>> act, string done)
    {
        // A number the form could not read is a message next to its field, not a silent null.
        if (!ModelState.IsValid || !await TryAsync(act, form + "."))
        {
            Open = form;
            View = await page.HandleAsync(id, Ct);
            if (Response.StatusCode == StatusCodes.Status200OK)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            return Page();
        }
        return Done(texts[done], $"/cases/{id}/mediation");
    }

    private decimal? Number(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (decimal.TryParse(value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d < 1_000_000_000_000m)
        {
            return d;
        }
        ModelState.AddModelError(key, texts["mediation-page.not-a-number"]);
        return null;
    }

    private int? Integer(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        ModelState.AddModelError(key, texts["mediation-page.not-a-number"]);
        return null;
    }
}
