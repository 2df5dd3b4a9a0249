using Taizhang.Domain;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>Field checks the deadline actions share (the domain checks lengths and the rules).</summary>
internal static class DeadlineRequests
{
    /// <summary>Free text that the action needs: a field error when blank or not printable.</summary>
    public static void Required(CaseChange c, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return;
        }
        c.CheckText(field, value);
    }

    /// <summary>
    /// The caller works in the case's responsible unit (a post there: the town office handling a matter itself) and is not a
    /// leader for the case: their unit's own extension or suspension is approved above them, by a leader (they may refuse it).
    /// Without this a colleague at the next desk approved the office's own request.
    /// </summary>
    public static bool OwnUnitNeedsLeader(Accounts.CaseAccess access, Domain.Cases.Case c) =>
        c.AssigneeUnitId is { } assignee && access.Principal.Posts.Any(p => p.Unit.Id == assignee)
        && !access.Can(Domain.Access.Permission.Supervise, c.OrgUnitId, c.AssigneeUnitId);

    /// <summary>Refuses an approval by <see cref="OwnUnitNeedsLeader"/> (a refusal goes on to the domain's rules).</summary>
    public static void RequireAboveOwnUnit(Accounts.CaseAccess access, Domain.Cases.Case c, bool approve)
    {
        if (approve && OwnUnitNeedsLeader(access, c))
        {
            throw new DomainRuleException("deadline.own-unit-needs-leader", "A request of the decider's own unit is approved by a leader.");
        }
    }

    /// <summary>A yes/no the decision needs.</summary>
    public static bool RequiredChoice(CaseChange c, string field, bool? value)
    {
        if (value is null)
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return false;
        }
        return value.Value;
    }

    /// <summary>A date the action needs (yyyy-MM-dd).</summary>
    public static DateOnly? RequiredDate(CaseChange c, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return null;
        }
        return RequestParsing.Date(c.Errors, c.Texts, field, value);
    }

    /// <summary>Optional text: null when blank.</summary>
    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Runs a domain call whose rule names <paramref name="domainField"/>, answering under the request's <paramref name="requestField"/>.</summary>
    public static void Renamed(string domainField, string requestField, Action call)
    {
        try
        {
            call();
        }
        catch (DomainRuleException e) when (e.Field == domainField)
        {
            throw new DomainRuleException(e.Code, e.Message, e.Args, requestField);
        }
    }
}
