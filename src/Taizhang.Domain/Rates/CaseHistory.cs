using System.Text.Json;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Rates;

/// <summary>One event of a case's timeline as the figures read it (no actor, no reason).</summary>
public readonly record struct EventFact(int Sequence, DateTime At, CaseAction Action, CaseStatus To, string? Payload, long? UnitId);

/// <summary>
/// A case as it stood at an instant, replayed from its event log: the facts the figures count and
/// the dimensions the reports group by. Figures for a closed period are computed as of the period's
/// end from the events up to then (PRODUCT.md "Rates"), so a past month does not move when its
/// cases change later.
/// </summary>
public sealed record CaseAsOf(CaseFacts Facts, long? AssigneeUnitId, Track? Track, Urgency Urgency, long? CategoryId, bool Suspended,
    SupervisionLevel? Supervision)
{
    /// <summary>
    /// The due date then, as the last event that set or restated it says (triage, reopening, an
    /// extension's decision, a suspension's decision or its end, a reminder, a plan); null when no
    /// event since the registration named it (the registration's own due date applies:
    /// <see cref="RegisteredDueDate"/>, or the service level from the registration).
    /// </summary>
    public DateTime? DueAt { get; init; }

    /// <summary>The due date the registration was given (a forwarded matter's 办理时限), if any.</summary>
    public DateOnly? RegisteredDueDate { get; init; }

    /// <summary>The current status then (the facts' status).</summary>
    public CaseStatus Status => Facts.Status;
}

public static class CaseHistory
{
    /// <summary>
    /// The case as of <paramref name="asOfUtc"/> (inclusive), from its events in sequence order;
    /// null when it had not been registered by then. <paramref name="registeredUrgency"/> and
    /// <paramref name="registeredCategoryId"/> are the registration's (triage changes them later).
    /// </summary>
    public static CaseAsOf? AsOf(IEnumerable<EventFact> events, DateTime asOfUtc, Urgency registeredUrgency, long? registeredCategoryId)
    {
        var any = false;
        var status = CaseStatus.Registered;
        Outcome? outcome = null;
        Satisfaction? satisfaction = null;
        bool onTime = false, reopened = false, followedUp = false, returned = false, assignedOnce = false, responded = false, suspended = false;
        bool? solvedByResident = null;
        long? assignee = null;
        Track? track = null;
        var urgency = registeredUrgency;
        var category = registeredCategoryId;
        SupervisionLevel? supervision = null;
        DateTime? dueAt = null;
        DateOnly? registeredDueDate = null;
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            if (e.At > asOfUtc)
            {
                break;
            }
            any = true;
            status = e.To;
            // Read in place and disposed with the iteration (no copy of the document per event: a closed
            // month's replay reads tens of thousands of payloads).
            using var doc = string.IsNullOrEmpty(e.Payload) ? null : JsonDocument.Parse(e.Payload);
            var p = doc?.RootElement ?? default;
            // The case's due date as the event restates it (a supervision's "dueAt" is its own deadline, not the case's).
            if (e.Action is not (CaseAction.Supervise or CaseAction.Register) && Date(p, "dueAt") is { } restated)
            {
                dueAt = restated;
            }
            switch (e.Action)
            {
                case CaseAction.Register:
                    urgency = Enum<Urgency>(p, "urgency") ?? urgency;
                    category = Has(p, "categoryId") ? Long(p, "categoryId") : category;
                    registeredDueDate = p.ValueKind == JsonValueKind.Object && p.TryGetProperty("dueDate", out var dd) && dd.ValueKind == JsonValueKind.String
                        && DateOnly.TryParseExact(dd.GetString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                            System.Globalization.DateTimeStyles.None, out var d) ? d : null;
                    break;
                case CaseAction.Triage:
                    track = Enum<Track>(p, "track") ?? track;
                    urgency = Enum<Urgency>(p, "urgency") ?? urgency;
                    // The payload says the category, or that there is none (null); older payloads may not say.
                    category = Has(p, "categoryId") ? Long(p, "categoryId") : category;
                    break;
                case CaseAction.Assign:
                    assignee = Long(p, "assigneeUnitId") ?? e.UnitId;
                    assignedOnce |= assignee is not null;
                    break;
                case CaseAction.Transfer:
                    assignee = Long(p, "toUnitId") ?? e.UnitId;
                    assignedOnce |= assignee is not null;
                    break;
                case CaseAction.Plan:
                    assignee = Long(p, "assigneeUnitId") ?? assignee;
                    assignedOnce |= assignee is not null;
                    break;
                case CaseAction.Return:
                    assignee = null;
                    returned = true;
                    suspended = false;
                    break;
                case CaseAction.Resolve:
                    outcome = Enum<Outcome>(p, "outcome");
                    onTime = Bool(p, "onTime") ?? false;
                    satisfaction = null;
                    suspended = false;
                    break;
                case CaseAction.FollowUp:
                    satisfaction = Enum<Satisfaction>(p, "satisfaction");
                    solvedByResident = Bool(p, "resolvedByResident");
                    followedUp = true;
                    if (Bool(p, "reopened") == true)
                    {
                        reopened = true;
                        outcome = null;
                        onTime = false;
                    }
                    break;
                case CaseAction.Reopen:
                    reopened = true;
                    outcome = null;
                    onTime = false;
                    satisfaction = null;
                    solvedByResident = null;
                    break;
                case CaseAction.Merge:
                    suspended = false;
                    break;
                case CaseAction.DecideSuspension:
                    suspended |= Bool(p, "approved") == true;
                    break;
                case CaseAction.Resume:
                    suspended = false;
                    break;
                case CaseAction.Supervise:
                    supervision = Enum<SupervisionLevel>(p, "level") ?? supervision;
                    break;
                case CaseAction.Contact:
                    if (Bool(p, "first") == true)
                    {
                        responded = Bool(p, "inTime") ?? false;
                    }
                    break;
            }
        }
        if (!any)
        {
            return null;
        }
        var facts = new CaseFacts(status, outcome, satisfaction, onTime && CaseFigure.IsHandledNow(status), reopened, followedUp,
            returned, assignedOnce, responded, solvedByResident);
        return new CaseAsOf(facts, assignee, track, urgency, category, suspended, supervision) { DueAt = dueAt, RegisteredDueDate = registeredDueDate };
    }

    private static bool Has(JsonElement p, string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out _);

    private static long? Long(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool? Bool(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static DateTime? Date(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTime(out var d)
            ? DateTime.SpecifyKind(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d, DateTimeKind.Utc)
            : null;

    private static T? Enum<T>(JsonElement p, string name) where T : struct, System.Enum =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && System.Enum.TryParse<T>(v.GetString(), out var e) ? e : null;
}
