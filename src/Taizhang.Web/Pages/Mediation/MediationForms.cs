using Taizhang.Web.Features.Mediation;

namespace Taizhang.Web.Pages.Mediation;

// The mediation page's forms: one per post, each bound under its own prefix (Intake., Session. …)
// so a handler's field error ("summary") lands next to its field ("Intake.Summary").

public sealed class PartyForm
{
    public string? Role { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public string? IdType { get; set; }
    public string? IdNumber { get; set; }
    public string? Address { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(IdNumber) && string.IsNullOrWhiteSpace(Address);

    public AcceptMediation.PartyRequest ToRequest() => new(Role, Name, Phone, IdType, IdNumber, Address);
}

public sealed class IntakeForm
{
    public string? DisputeType { get; set; }
    public string? Source { get; set; }
    public string? Summary { get; set; }
    public string? Amount { get; set; }
    public string? PeopleInvolved { get; set; }
    public string? RiskGrade { get; set; }
    public string? LeaderName { get; set; }
    public string? LeaderPost { get; set; }
    public string? AcceptedOn { get; set; }
    public string? Mediators { get; set; }

    /// <summary>The applicant and the respondent (a third party is added afterwards).</summary>
    public List<PartyForm> Parties { get; set; } = [new() { Role = "Applicant" }, new() { Role = "Respondent" }];
}

public sealed class NoticeForm
{
    public string? GivenOn { get; set; }
    public string? Form { get; set; } = "Written";
}

public sealed class SessionForm
{
    public string? HeldOn { get; set; }
    public string? Mediators { get; set; }
    public List<string> Units { get; set; } = [];
    public string? PartiesPresent { get; set; }
    public string? Record { get; set; }
    public string? Outcome { get; set; }
}

public sealed class AgreementForm
{
    public string? Form { get; set; } = "Written";
    public string? Facts { get; set; }
    public string? Disputes { get; set; }
    public string? Responsibilities { get; set; }
    public string? Terms { get; set; }
    public string? PerformanceManner { get; set; }
    public string? PerformancePlace { get; set; }
    public string? PerformanceDeadline { get; set; }
    public string? SignedOn { get; set; }
}

public sealed class ExtensionForm
{
    public string? NewDeadline { get; set; }
    public string? Reason { get; set; }
    public bool PartiesConsent { get; set; }
}

public sealed class PerformanceForm
{
    public string? On { get; set; }
    public string? Performance { get; set; }
    public string? Party { get; set; }
    public string? Note { get; set; }
    public bool ResolveCase { get; set; }
}

public sealed class JudicialForm
{
    public string? AppliedOn { get; set; }
    public string? Court { get; set; }
    public string? Result { get; set; }
}

public sealed class OutcomeForm
{
    public string? Outcome { get; set; }
    public string? ReferredTo { get; set; }
    public string? Note { get; set; }
    public string? On { get; set; }
    public bool ResolveCase { get; set; }
}
