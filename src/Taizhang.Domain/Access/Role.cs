namespace Taizhang.Domain.Access;

/// <summary>A post's role. Every post is a role at an org unit; a person may hold several.</summary>
public enum Role
{
    /// <summary>管理员: accounts, organisation, reference data. Reads cases, does not handle them.</summary>
    Administrator,
    /// <summary>镇办受理/调度: registers, triages, assigns, follows up: runs the ledger.</summary>
    TownStaff,
    /// <summary>村干部: handles the matters of their village and records its deliberation.</summary>
    VillageCadre,
    /// <summary>Partner unit (司法所, 派出所 …): handles the cases given to their unit.</summary>
    AgencyHandler,
    /// <summary>接线员: types in hotline calls.</summary>
    Operator,
    /// <summary>领导: reads everything in scope, supervises, may reopen.</summary>
    Leader,
    /// <summary>议事会成员 / 政协委员: raises matters, reads the ledger of their area.</summary>
    Member,
}

/// <summary>What a request may do. Case actions map one-to-one; the rest are reading and administration.</summary>
public enum Permission
{
    ReadCases,
    Register,
    Triage,
    Assign,
    Start,
    Return,
    Transfer,
    Resolve,
    FollowUp,
    Reopen,
    Reject,
    Merge,
    Deliberate,
    Plan,
    AddReporter,
    /// <summary>
    /// Add a photo or document to a case. Beside the table: whoever registered a case may add to it
    /// while it waits for triage (<see cref="Permissions.RegistrarMayAttach"/>).
    /// </summary>
    AddAttachment,
    /// <summary>See a reporter's full phone number (recorded as an event every time).</summary>
    RevealPersonalData,
    /// <summary>
    /// Look up a caller's earlier cases by their phone number while taking a call (recorded, limited
    /// per person): for those whose job is taking calls, not for everyone who may register.
    /// </summary>
    LookUpCallers,
    /// <summary>
    /// 批量导入: bring a sheet (or a JSON batch) of matters forwarded by the higher level, the petition
    /// office or the livelihood platform into the ledger, and keep the import sources' column mappings:
    /// for the town office that registers and dispatches, not for everyone who may register one matter.
    /// </summary>
    Import,
    /// <summary>
    /// 组织会议: plan meetings of the post's area, record attendance, outcomes and votes, confirm and
    /// publish the minutes. A village cadre runs the village's; the town office runs the town's and the
    /// concentrated-handling meetings (scope decides which).
    /// </summary>
    RunMeetings,
    /// <summary>Report a handling plan step's progress (the responsible unit's work).</summary>
    ReportProgress,
    /// <summary>人民调解: keep a dispute's mediation record.</summary>
    Mediate,
    /// <summary>公示: put a decision or an implementation result on the village's public page.</summary>
    Disclose,
    /// <summary>延期 / 挂起: the responsible unit asks for a later due date or a stopped clock.</summary>
    RequestDeadlineChange,
    /// <summary>Approve or refuse an extension or a suspension, and resume a suspended case (a second one of a kind needs <see cref="Supervise"/>).</summary>
    DecideDeadlineChange,
    /// <summary>催办 and 通报 to the responsible unit.</summary>
    Remind,
    /// <summary>督办: supervise a case with a level; approve a second extension or suspension of a case.</summary>
    Supervise,
    /// <summary>Record a contact with the reporter (the response rate).</summary>
    Contact,
    Administer,
}

/// <summary>How far a post reaches.</summary>
public enum ScopeKind
{
    /// <summary>Cases registered against the post's unit or anything under it.</summary>
    Area,
    /// <summary>Cases registered in the unit's area, or given to the unit to handle.</summary>
    AreaOrAssigned,
    /// <summary>Cases given to the unit (or a unit under it) to handle.</summary>
    Assigned,
}
