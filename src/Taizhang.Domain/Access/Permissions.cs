using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Access;

/// <summary>
/// Who may do what: the one table. The README prints it, the endpoints enforce it, and the
/// permission-matrix tests are generated from it, so the three cannot drift apart.
/// </summary>
public static class Permissions
{
    private static readonly Permission[] Handling =
        [Permission.Start, Permission.Return, Permission.Resolve, Permission.AddReporter, Permission.RevealPersonalData, Permission.AddAttachment,
         Permission.ReportProgress, Permission.Mediate, Permission.RequestDeadlineChange, Permission.Contact];

    public static IReadOnlySet<Permission> Of(Role role) => Table[role];

    public static bool Allows(Role role, Permission permission) => Table[role].Contains(permission);

    public static ScopeKind Scope(Role role) => role switch
    {
        Role.Administrator or Role.TownStaff or Role.Operator or Role.Leader or Role.Member => ScopeKind.Area,
        Role.VillageCadre => ScopeKind.AreaOrAssigned,
        Role.AgencyHandler => ScopeKind.Assigned,
    };

    /// <summary>The permission a case action needs.</summary>
    public static Permission For(CaseAction action) => action switch
    {
        CaseAction.Register => Permission.Register,
        CaseAction.Triage => Permission.Triage,
        CaseAction.Assign => Permission.Assign,
        CaseAction.Start => Permission.Start,
        CaseAction.Return => Permission.Return,
        CaseAction.Transfer => Permission.Transfer,
        CaseAction.Resolve => Permission.Resolve,
        CaseAction.FollowUp => Permission.FollowUp,
        CaseAction.Reopen => Permission.Reopen,
        CaseAction.Reject => Permission.Reject,
        CaseAction.Merge or CaseAction.AbsorbMerged => Permission.Merge,
        CaseAction.AddReporter => Permission.AddReporter,
        CaseAction.Deliberate => Permission.Deliberate,
        CaseAction.Plan => Permission.Plan,
        CaseAction.ViewPersonalData => Permission.RevealPersonalData,
        CaseAction.AddAttachment => Permission.AddAttachment,
        CaseAction.DeliberationOutcome => Permission.RunMeetings,
        CaseAction.PlanProgress => Permission.ReportProgress,
        CaseAction.Mediate => Permission.Mediate,
        CaseAction.Disclose => Permission.Disclose,
        CaseAction.RecordMeasures => Permission.Resolve,
        CaseAction.RequestExtension or CaseAction.RequestSuspension => Permission.RequestDeadlineChange,
        CaseAction.DecideExtension or CaseAction.DecideSuspension or CaseAction.Resume => Permission.DecideDeadlineChange,
        CaseAction.Remind or CaseAction.Notify => Permission.Remind,
        CaseAction.Supervise => Permission.Supervise,
        CaseAction.Contact => Permission.Contact,
    };

    /// <summary>
    /// The registrar's rule, beside the table: whoever registered a case (the same person or
    /// integration) may add attachments to it while it still waits for triage — the photo a resident
    /// brought to the desk, the file a platform forwards with its ticket — even in a role that adds
    /// none otherwise (operators, members, integrations). After triage the case is the office's and
    /// the handling unit's, and only the table decides.
    /// </summary>
    public static bool RegistrarMayAttach(Role role, CaseStatus status) =>
        Allows(role, Permission.Register) && status == CaseStatus.Registered;

    private static readonly IReadOnlyDictionary<Role, IReadOnlySet<Permission>> Table = new Dictionary<Role, IReadOnlySet<Permission>>
    {
        [Role.Administrator] = new HashSet<Permission> { Permission.ReadCases, Permission.Administer },
        // 督办 (and approving a second extension or suspension) is a leader's.
        [Role.TownStaff] = new HashSet<Permission>(Enum.GetValues<Permission>().Where(p => p is not (Permission.Administer or Permission.Supervise))),
        [Role.VillageCadre] = new HashSet<Permission>(
            [Permission.ReadCases, Permission.Register, Permission.FollowUp, Permission.Deliberate, Permission.Plan,
             Permission.RunMeetings, Permission.Disclose, .. Handling]),
        [Role.AgencyHandler] = new HashSet<Permission>([Permission.ReadCases, .. Handling]),
        // No AddReporter: whether a name and number are already on a case is an answer about a phone
        // number; only roles that may reveal the reporters (and are recorded doing so) may add one.
        [Role.Operator] = new HashSet<Permission> { Permission.ReadCases, Permission.Register, Permission.LookUpCallers },
        [Role.Leader] = new HashSet<Permission>
            { Permission.ReadCases, Permission.Reopen, Permission.Supervise, Permission.DecideDeadlineChange, Permission.Remind },
        [Role.Member] = new HashSet<Permission> { Permission.ReadCases, Permission.Register },
    };
}
