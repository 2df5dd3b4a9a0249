using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Pages.Cases;

// One form type per case action, shared by every page that offers the action (the case page, the
// triage queues). A form holds what was typed, as typed; ToRequest hands it to the feature handler,
// whose field errors come back under the form's prefix ("Triage.DueDate"). CaseId is posted by
// pages that list many cases; the case page takes the id from its route.

public sealed class TriageForm
{
    public long CaseId { get; set; }
    public string? Track { get; set; }
    public string? Urgency { get; set; }
    public string? Category { get; set; }
    public string? AssigneeUnit { get; set; }
    public string? DueDate { get; set; }

    public TriageCase.Request ToRequest() => new(Track, Urgency, Category, AssigneeUnit, DueDate);
}

public sealed class AssignForm
{
    public long CaseId { get; set; }
    public string? Unit { get; set; }

    public AssignCase.Request ToRequest() => new(Unit);
}

/// <summary>Return, reopen and reject: a reason is all they take.</summary>
public sealed class ReasonForm
{
    public long CaseId { get; set; }
    public string? Reason { get; set; }
}

public sealed class TransferForm
{
    public string? ToUnit { get; set; }
    public string? Reason { get; set; }

    public TransferCase.Request ToRequest() => new(ToUnit, Reason);
}

public sealed class ResolveForm
{
    public string? Outcome { get; set; }
    public string? Result { get; set; }
    public string? PublicReply { get; set; }

    public ResolveCase.Request ToRequest() => new(Outcome, Result, PublicReply);
}

public sealed class FollowUpForm
{
    public string? Satisfaction { get; set; }
    public string? Note { get; set; }
    public string? Method { get; set; }

    /// <summary>是否已解决: "true", "false", or empty (not asked).</summary>
    public string? ResolvedByResident { get; set; }

    public FollowUpCase.Request ToRequest() => new(Satisfaction, Note, Method, ResolvedByResident?.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    });
}

/// <summary>Into: the other case's tracking code, as people know it.</summary>
public sealed class MergeForm
{
    public long CaseId { get; set; }
    public string? Into { get; set; }
    public string? Reason { get; set; }
}

/// <summary>MeetingId as typed: the page refuses what is not a number before the handler sees it.</summary>
public sealed class DeliberateForm
{
    public string? MeetingId { get; set; }
}

public sealed class AddReporterForm
{
    public string? Name { get; set; }
    public string? Phone { get; set; }

    public AddReporter.Request ToRequest() => new(Name, Phone);
}

/// <summary>The attachment form's fields besides the file ("AddAttachment.File", read from the form's files): the kind, or empty to follow the case's state.</summary>
public sealed class AttachForm
{
    public string? Kind { get; set; }
}

/// <summary>A form field as the page writes it: id, name and, when refused, its messages.</summary>
public sealed record FieldRef(string Key, IReadOnlyList<string> Errors)
{
    public string Id => Key.Replace('.', '_');
    public bool Invalid => Errors.Count > 0;
    public string ErrorId => DetailModel.ErrorId(Key);
    public string? AriaInvalid => Invalid ? "true" : null;
    public string? DescribedBy => Invalid ? ErrorId : null;
}
