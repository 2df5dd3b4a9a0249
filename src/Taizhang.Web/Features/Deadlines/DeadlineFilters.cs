using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>Which request waits for a decision.</summary>
public enum DeadlineRequestKind
{
    /// <summary>延期</summary>
    Extension,
    /// <summary>挂起</summary>
    Suspension,
}

/// <summary>The ledger's deadline filters (<see cref="ListCases"/>): 待审批 (pendingRequest) and 被催办 (reminded).</summary>
public static class DeadlineFilters
{
    public static IQueryable<Case> Apply(IQueryable<Case> cases, ListCases.Query q, FieldErrors errors, Texts texts)
    {
        switch (q.PendingRequest?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "true":
                cases = cases.Where(c => c.ExtensionRequestedDueAt != null || c.SuspensionRequestedAt != null);
                break;
            case "false":
                cases = cases.Where(c => c.ExtensionRequestedDueAt == null && c.SuspensionRequestedAt == null);
                break;
            case "extension":
                cases = cases.Where(c => c.ExtensionRequestedDueAt != null);
                break;
            case "suspension":
                cases = cases.Where(c => c.SuspensionRequestedAt != null);
                break;
            default:
                errors.Add("pendingRequest", texts.Format("field.one-of", "true, false, Extension, Suspension"));
                break;
        }
        switch (q.Reminded?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "true":
                cases = cases.Where(c => (c.ReminderCount > 0 || c.NoticeCount > 0) && Lifecycle.OpenStatuses.Contains(c.Status));
                break;
            case "false":
                cases = cases.Where(c => (c.ReminderCount == 0 && c.NoticeCount == 0) || !Lifecycle.OpenStatuses.Contains(c.Status));
                break;
            default:
                errors.Add("reminded", texts.Format("field.one-of", "true, false"));
                break;
        }
        return cases;
    }
}
