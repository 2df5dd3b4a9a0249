using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Tasks;

namespace Taizhang.Web.Pages.Tasks;

/// <summary>
/// 我的待办: the start page of those who have work to do (<see cref="GetMyTasks"/>). Each section's
/// count is the ledger's total for its "all" link; each row opens the case, where its actions are.
/// </summary>
public sealed class IndexModel(GetMyTasks.Handler tasks, Resources.Texts texts) : StaffPage
{
    public GetMyTasks.MyTasks Tasks { get; private set; } = null!;

    /// <summary>What the header's number counts (also its tooltip).</summary>
    public string Summary => GetMyTasks.Summary(Tasks.Counts, texts);

    public async Task OnGetAsync() => Tasks = await tasks.HandleAsync(HttpContext.RequestAborted);

    /// <summary>The time a row shows: what the section waits on (the due date, or since when it waits).</summary>
    public static (string Key, DateTime? At, DateOnly? Day) When(string section, CaseSummary c) => section switch
    {
        "awaiting-triage" or "awaiting-assignment" or "topics" => ("tasks.when.registered", c.RegisteredAt, null),
        "returned" => ("tasks.when.returned", c.UpdatedAt, null),
        "follow-up" => ("tasks.when.resolved", c.ResolvedAt, null),
        // 督办 rows wait on the supervision's own deadline (the leader's), not the case's.
        "supervised" when c.SupervisionDate is { } by => ("tasks.when.supervision-due", null, by),
        _ => ("tasks.when.due", null, c.DueDate),
    };
}
