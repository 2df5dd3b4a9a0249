using System.Text.Json;
using System.Text.RegularExpressions;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages.Shared;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Cases;

/// <summary>One line of the case page's timeline: when, who, and what they did, as a sentence.</summary>
public sealed record TimelineEntry(int Sequence, string When, string Actor, string Text);

/// <summary>
/// Turns the events of a case into plain sentences in the user's language, from each event's
/// action, reason and payload (see Case.cs for what each transition stores). Unit ids become
/// names. Phone numbers typed into free text are masked: the timeline is read by everyone who
/// sees the case, the unmasked numbers only by those who ask (and are recorded asking).
/// </summary>
public static partial class CaseTimeline
{
    public static IReadOnlyList<TimelineEntry> Describe(
        IEnumerable<CaseEventView> events, OrgDirectory.Snapshot units, IReadOnlyDictionary<long, string> meetings, Texts texts, PageChrome show,
        Func<DateTime, string> dueDate) =>
        events.Select(e => new TimelineEntry(e.Sequence, show.Time(e.At), e.Actor.Name, Mask(Sentence(e, units, meetings, texts, show, dueDate)))).ToList();

    private static string Sentence(CaseEventView e, OrgDirectory.Snapshot units, IReadOnlyDictionary<long, string> meetings, Texts texts, PageChrome show,
        Func<DateTime, string> dueDate)
    {
        var p = e.Payload is { ValueKind: JsonValueKind.Object } payload ? payload : default;
        string T(string key, params object?[] args) => texts.Format("case-page.event." + key, args);
        string Unit(string name) => Long(p, name) is { } id && units.UnitsById.TryGetValue(id, out var u) ? u.Name : texts["case-page.event.unknown-unit"];
        string Due(string name) => Str(p, name) is { } s && DateTime.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? dueDate(at) : "";
        string Verdict() => Enum.TryParse<Satisfaction>(Str(p, "satisfaction"), out var v) ? show.Of(v) : "";
        string Meeting() => Long(p, "meetingId") is { } mid && meetings.TryGetValue(mid, out var mt) ? mt : texts.Format("case-page.meeting-number", Long(p, "meetingId") ?? 0);
        string Outcome()
        {
            var kind = Enum.TryParse<DeliberationOutcomeKind>(Str(p, "kind"), out var k) ? k : DeliberationOutcomeKind.Opinion;
            var text = Str(p, "text") ?? "";
            var verdict = Bool(p, "valid") == false ? texts["case-page.event.vote.invalid"]
                : Bool(p, "passed") == true ? texts["case-page.event.vote.passed"] : texts["case-page.event.vote.failed"];
            return kind is DeliberationOutcomeKind.ReportedToTown or DeliberationOutcomeKind.Deferred
                ? T("DeliberationOutcome." + kind, Meeting(), text.Length > 0 ? show.Paren(text) : "")
                : T("DeliberationOutcome." + kind, Meeting(), text, Long(p, "votesFor") ?? 0, Long(p, "against") ?? 0, Long(p, "abstain") ?? 0, verdict);
        }
        string PlanDue() => Str(p, "dueAt") is null ? "" : texts.Format("plans.event.due", Due("dueAt"));
        var reason = e.Reason ?? "";
        var note = string.IsNullOrWhiteSpace(e.Reason) ? "" : T("note", e.Reason);
        // An approval's note, unless it only repeats what the sentence says ("同意", "同意挂起", the request's reason).
        string Approval(string sentence) =>
            Clause(e.Reason) is { Length: > 0 } said && !sentence.Contains(said, StringComparison.OrdinalIgnoreCase) ? sentence + note : sentence;
        return e.Action switch
        {
            CaseAction.Register => T("Register", Enum.TryParse<Channel>(Str(p, "channel"), out var channel) ? show.Of(channel) : ""),
            CaseAction.Triage => T("Triage",
                Enum.TryParse<Track>(Str(p, "track"), out var track) ? show.Of(track) : "",
                Enum.TryParse<Urgency>(Str(p, "urgency"), out var urgency) ? show.Of(urgency) : "",
                Long(p, "categoryId") is { } cat && units.CategoriesById.TryGetValue(cat, out var category) ? category.Name : texts["case-page.event.uncategorized"],
                Due("dueAt")),
            CaseAction.Assign => T("Assign", Unit("assigneeUnitId")),
            CaseAction.Start => T("Start"),
            CaseAction.Return => T("Return", reason),
            CaseAction.Transfer => T("Transfer", Unit("toUnitId"), reason),
            CaseAction.Resolve => T(Bool(p, "onTime") == false ? "ResolveLate" : "Resolve",
                Enum.TryParse<Outcome>(Str(p, "outcome"), out var outcome) ? show.Of(outcome) : "", Str(p, "result") ?? "")
                // The reply's text starts a sentence of its own: a result written with its full stop keeps only one.
                is var resolved && Str(p, "publicReply") is { } reply
                    ? resolved.TrimEnd('。', '.') + texts.Format("track.event.public-reply", reply)
                    : resolved,
            CaseAction.FollowUp => (Bool(p, "reopened") == true
                ? T("FollowUpReopened", Verdict(), Due("dueAt"))
                : T("FollowUp", Verdict()))
                // A phone call is what a follow-up always was: only another way is said.
                + (Enum.TryParse<FollowUpMethod>(Str(p, "method"), out var method) && method != FollowUpMethod.Phone ? show.Paren(show.Of(method)) : "") + note,
            // The new due date when the event carries it (every reopen since it was recorded).
            CaseAction.Reopen => Str(p, "dueAt") is null ? T("Reopen", reason) : T("Reopen.due", Clause(reason), Due("dueAt")),
            CaseAction.Reject => T("Reject", reason),
            // CaseReader leaves out the other case's code when the reader may not see that case.
            CaseAction.Merge => (Str(p, "intoTrackingCode") is { } into ? T("Merge", into) : T("MergeHidden")) + note,
            CaseAction.AbsorbMerged => (Str(p, "mergedTrackingCode") is { } merged
                ? T("AbsorbMerged", merged, Long(p, "reportersAdded") ?? 0)
                : T("AbsorbMergedHidden", Long(p, "reportersAdded") ?? 0)) + note,
            CaseAction.AddReporter => T(Bool(p, "repeat") == true ? "AddReporterRepeat" : "AddReporter", Long(p, "reporters") ?? 0),
            CaseAction.Deliberate => Long(p, "meetingId") is { } m
                ? T("DeliberateAt", meetings.TryGetValue(m, out var title) ? title : texts.Format("case-page.meeting-number", m))
                : T("Deliberate"),
            // A plan made again on a planned topic is an amendment; with steps, the case's due date follows its last target date.
            CaseAction.Plan => (e.FromStatus is not null and not CaseStatus.Deliberating ? "PlanAmended" : "Plan") is var plan
                && Long(p, "assigneeUnitId") is not null
                    ? T(plan + "Unit", Str(p, "plan") ?? "", Unit("assigneeUnitId")) + PlanDue()
                    : T(plan, Str(p, "plan") ?? "") + PlanDue(),
            CaseAction.DeliberationOutcome => Outcome(),
            CaseAction.PlanProgress => T(Bool(p, "completed") == true ? "PlanProgressDone" : "PlanProgress",
                Long(p, "step") ?? 0, Str(p, "title") ?? "", Long(p, "progress") ?? 0, Str(p, "note") is { } n ? show.Paren(n) : ""),
            // Accepting a dispute moves the due date to the mediation's time limit: said, as a plan's move is.
            CaseAction.Mediate => T("Mediate", MediationStepText(p, texts, show))
                + (Str(p, "dueAt") is null ? "" : texts.Format("mediation-page.timeline.due", Due("dueAt"))),
            CaseAction.Disclose => T("Disclose." + (Enum.TryParse<DisclosureKind>(Str(p, "kind"), out var dk) ? dk : DisclosureKind.Decision),
                Str(p, "from") ?? "", Str(p, "until") ?? ""),
            CaseAction.RecordMeasures => T("RecordMeasures", p.ValueKind == JsonValueKind.Object && p.TryGetProperty("measures", out var ms)
                && ms.ValueKind == JsonValueKind.Object
                    // The default list's names and units (a measure added since reads by its key).
                    ? string.Join(show.ListSeparator, ms.EnumerateObject().Select(m =>
                        Domain.Rates.OutcomeMeasure.Defaults.FirstOrDefault(d => d.Key == m.Name) is { } d ? $"{d.Name} {m.Value} {d.Unit}" : $"{m.Name} {m.Value}"))
                    : ""),
            CaseAction.RequestExtension => T("RequestExtension", Due("requestedDueAt"), reason),
            CaseAction.DecideExtension => Bool(p, "approved") == true
                ? Approval(T("DecideExtension.approved", Due("dueAt"), ""))
                : T("DecideExtension.refused", reason),
            CaseAction.RequestSuspension => T("RequestSuspension", reason),
            // The request's reason in brackets (without its full stop; none when there is no reason).
            CaseAction.DecideSuspension => Bool(p, "approved") == true
                ? Approval(T("DecideSuspension.approved", Clause(Str(p, "reason")) is { Length: > 0 } why ? show.Paren(why) : "", ""))
                : T("DecideSuspension.refused", reason),
            CaseAction.Resume => T(MovedTheDueDate(e) ? "Resume" : "Resume.unchanged", Due("dueAt"), note),
            CaseAction.Remind => T("Remind", Bool(p, "automatic") == true ? T("Remind.auto") : "", note),
            CaseAction.Notify => T("Notify", Bool(p, "automatic") == true ? T("Notify.auto") : "", note),
            CaseAction.Supervise => T("Supervise",
                Enum.TryParse<SupervisionLevel>(Str(p, "level"), out var level) ? show.Of(level) : "", Str(p, "deadline") ?? "", reason),
            CaseAction.Contact => T("Contact", Bool(p, "inTime") == false ? T("Contact.late") : "", note),
            CaseAction.ViewPersonalData => T("ViewPersonalData"),
            CaseAction.AddAttachment => texts.Format("attachments.event", Str(p, "fileName") ?? "",
                Enum.TryParse<AttachmentKind>(Str(p, "kind"), out var kind) ? texts["attachments.kind." + kind] : ""),
        };
    }

    /// <summary>
    /// Whether a resume (恢复计时) moved the due date: by the whole days the clock stood still, so a shorter
    /// suspension leaves it where it was. An event without the length is taken to have moved it.
    /// </summary>
    public static bool MovedTheDueDate(CaseEventView resume) =>
        Long(resume.Payload ?? default, "suspendedSeconds") is not < 86_400;

    /// <summary>Free text set inside a sentence: trimmed, without the full stop it was typed with.</summary>
    private static string Clause(string? text) => (text ?? "").Trim().TrimEnd('。', '.', '；', ';', '，', ',').TrimEnd();

    /// <summary>The meetings an event list refers to (deliberations), so their titles can be looked up at once.</summary>
    public static IEnumerable<long> MeetingIds(IEnumerable<CaseEventView> events) =>
        events.Where(e => e.Action is CaseAction.Deliberate or CaseAction.DeliberationOutcome && e.Payload is { ValueKind: JsonValueKind.Object })
            .Select(e => Long(e.Payload!.Value, "meetingId"))
            .OfType<long>();

    /// <summary>Mobile numbers (11 digits from 1) and landlines (0xxx-xxxxxxx) in free text, masked as everywhere else.</summary>
    public static string Mask(string text) => PersonalData.MaskPhonesIn(text);

    /// <summary>A mediation step in words, with what it decided (never who the parties are: the payload has no names).</summary>
    private static string MediationStepText(JsonElement p, Texts texts, PageChrome show)
    {
        if (!Enum.TryParse<MediationStep>(Str(p, "step"), out var step))
        {
            return "";
        }
        var d = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("detail", out var x) ? x : default;
        var more = step switch
        {
            MediationStep.Session when Long(d, "session") is { } n => texts.Format("mediation-page.timeline.session", n),
            MediationStep.Agreement when Enum.TryParse<Domain.Mediation.RecordForm>(Str(d, "form"), out var f) => show.Of(f),
            MediationStep.Performance when Enum.TryParse<Domain.Mediation.Performance>(Str(d, "performance"), out var pf) => show.Of(pf),
            MediationStep.Extension when Str(d, "to") is { } to => texts.Format("mediation-page.timeline.extension", to),
            MediationStep.Outcome when Enum.TryParse<Domain.Mediation.MediationOutcome>(Str(d, "outcome"), out var o) =>
                show.Of(o) + (Enum.TryParse<Domain.Mediation.ReferralRoute>(Str(d, "referredTo"), out var r) ? show.Paren(show.Of(r)) : ""),
            _ => null,
        };
        var text = texts["mediation.step." + step];
        return more is null ? text : text + show.Paren(more);
    }

    private static string? Str(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool? Bool(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
