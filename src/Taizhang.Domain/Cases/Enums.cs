namespace Taizhang.Domain.Cases;

/// <summary>渠道: where a matter came from.</summary>
public enum Channel
{
    Meeting,
    WalkIn,
    CadreVisit,
    HigherLevel,
    Petition,
    LivelihoodPlatform,
    Hotline,
    WeChat,
    Web,
    Open311,
}

public static class Channels
{
    /// <summary>
    /// The channels a person registers by hand (登记事项 at the desk, and a person's POST to the API), in
    /// the order the desk offers them. WeChat, Web and Open311 arrive from the public and from
    /// integrations, which register on the channels their API client allows.
    /// </summary>
    public static readonly IReadOnlyList<Channel> EnteredByStaff =
        [Channel.WalkIn, Channel.CadreVisit, Channel.Meeting, Channel.Petition, Channel.HigherLevel, Channel.LivelihoodPlatform, Channel.Hotline];
}

/// <summary>轻重缓急.</summary>
public enum Urgency
{
    Urgent,
    High,
    Normal,
    Low,
}

/// <summary>小事项即办 (Direct) or 议题台账 (Topic).</summary>
public enum Track
{
    Direct,
    Topic,
}

public enum CaseStatus
{
    /// <summary>登记, waiting for triage.</summary>
    Registered,
    /// <summary>Triaged to the direct track, waiting for a responsible unit.</summary>
    Triaged,
    /// <summary>退回: handed back by the responsible unit, waiting for triage again.</summary>
    Returned,
    Assigned,
    InProgress,
    /// <summary>办结: a result and an outcome are recorded; waiting for the return visit.</summary>
    Resolved,
    /// <summary>回访 done and the resident satisfied or basically satisfied: closed.</summary>
    FollowedUp,
    Reopened,
    /// <summary>不予受理.</summary>
    Rejected,
    /// <summary>Merged into another case; its reporters now belong to that case.</summary>
    Merged,
    /// <summary>议题台账: a topic waiting for deliberation.</summary>
    Ledgered,
    Deliberating,
    /// <summary>办理计划 made; waiting for the unit to start.</summary>
    Planned,
}

/// <summary>What a resolution achieved, so that "closed" is never mistaken for "fixed".</summary>
public enum Outcome
{
    Solved,
    PartlySolved,
    /// <summary>已解释说明: cannot be solved; explained to the resident.</summary>
    Explained,
}

public enum Satisfaction
{
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

/// <summary>How a return visit (回访) reached the resident's verdict; recorded in the follow-up's event.</summary>
public enum FollowUpMethod
{
    /// <summary>电话回访: staff called the resident (what a follow-up without a method is).</summary>
    Phone,
    /// <summary>上门回访: staff visited.</summary>
    Visit,
    /// <summary>群众自评: the resident rated on the public tracking page, proved by their 评价码.</summary>
    SelfService,
    Other,
}

/// <summary>Every kind of entry in a case's timeline.</summary>
public enum CaseAction
{
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
    /// <summary>Recorded on the surviving case when another case is merged into it.</summary>
    AbsorbMerged,
    /// <summary>A further reporter raised the same matter.</summary>
    AddReporter,
    Deliberate,
    Plan,
    /// <summary>Someone saw a reporter's unmasked personal data. Not a transition: the state stays.</summary>
    ViewPersonalData,
    /// <summary>A photo or document was added to the case (登记材料, 办理材料 or 办结佐证). The state stays.</summary>
    AddAttachment,
    /// <summary>
    /// 议定: what a meeting did with the topic on its agenda (an opinion, a vote, reported to the town,
    /// deferred, resolved at the meeting). Deferred sends a topic in deliberation back to the ledger.
    /// </summary>
    DeliberationOutcome,
    /// <summary>A step of the handling plan moved on (progress, completed). The state stays.</summary>
    PlanProgress,
    /// <summary>人民调解: a mediation record on a dispute (intake, notice, session, agreement, performance, outcome). The state stays.</summary>
    Mediate,
    /// <summary>公示: the decision or the implementation result went on the village's public page. The state stays.</summary>
    Disclose,
    /// <summary>成效: outcome measures (jobs found, clean-ups held …) recorded for what the case achieved. The state stays.</summary>
    RecordMeasures,
    /// <summary>延期申请: the responsible unit asks for a later due date, before the current one.</summary>
    RequestExtension,
    /// <summary>延期审批: approved (the due date moves) or refused.</summary>
    DecideExtension,
    /// <summary>挂起申请: the unit asks to stop the clock for a stated reason.</summary>
    RequestSuspension,
    /// <summary>挂起审批: approved (the clock stops) or refused.</summary>
    DecideSuspension,
    /// <summary>恢复: a suspended case's clock runs again; the due date moves by the time suspended.</summary>
    Resume,
    /// <summary>催办: a reminder to the responsible unit (by staff, or automatically the day after the due date).</summary>
    Remind,
    /// <summary>通报: a formal notice to the unit's leader when a reminder went unanswered.</summary>
    Notify,
    /// <summary>督办: a leader supervises the case, with a level, a deadline and a note.</summary>
    Supervise,
    /// <summary>联系群众: the reporter was contacted (the response rate counts the first contact).</summary>
    Contact,
}

/// <summary>督办 levels; each carries points against the responsible unit in its assessment (configurable).</summary>
public enum SupervisionLevel
{
    /// <summary>普通</summary>
    Ordinary,
    /// <summary>黄牌</summary>
    Yellow,
    /// <summary>红牌</summary>
    Red,
}

/// <summary>What a meeting's outcome for a topic was, as the case's event records it.</summary>
public enum DeliberationOutcomeKind
{
    Opinion,
    Vote,
    ReportedToTown,
    Deferred,
    ResolvedAtMeeting,
}

/// <summary>What is made public (两公开): the decision, then the result of carrying it out.</summary>
public enum DisclosureKind
{
    Decision,
    Result,
}

/// <summary>What is recorded on a dispute's mediation (人民调解); the case's event says which.</summary>
public enum MediationStep
{
    Intake,
    /// <summary>A party joined the file after the intake (a respondent found later).</summary>
    PartyAdded,
    NoticeGiven,
    Session,
    Agreement,
    Extension,
    Performance,
    JudicialConfirmation,
    Outcome,
}

/// <summary>What an attachment is on the case for.</summary>
public enum AttachmentKind
{
    /// <summary>登记材料: brought in with the matter (a resident's photo, a letter).</summary>
    Registration,
    /// <summary>办理材料: gathered while the matter is worked (site photos, minutes, a plan).</summary>
    Handling,
    /// <summary>办结佐证: proof of the result, added at or after resolution.</summary>
    Evidence,
}

public enum ActorKind
{
    /// <summary>Until accounts exist: the name a caller put in the development actor header.</summary>
    Development,
    User,
    ApiClient,
    System,
}
