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
    SupervisionLevel? Supervision);

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
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            if (e.At > asOfUtc)
            {
                break;
            }
            any = true;
            status = e.To;
            var p = Parse(e.Payload);
            switch (e.Action)
            {
                case CaseAction.Register:
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
        return new CaseAsOf(facts, assignee, track, urgency, category, suspended, supervision);
    }

    private static JsonElement Parse(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return default;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.Clone();
    }

    private static bool Has(JsonElement p, string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out _);

    private static long? Long(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static bool? Bool(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static T? Enum<T>(JsonElement p, string name) where T : struct, System.Enum =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && System.Enum.TryParse<T>(v.GetString(), out var e) ? e : null;
}
