using Taizhang.Web.Features.Topics;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages.Topics;

/// <summary>议题台账: every topic in the reader's scope with its stage, meetings, plan progress and next date (<see cref="ListTopics"/>).</summary>
public sealed class IndexModel(ListTopics.Handler topics) : StaffPage
{
    public TopicPage? Result { get; private set; }
    public IReadOnlyList<UnitInfo> Villages { get; private set; } = [];
    public ListTopics.Query Query { get; private set; } = new();

    public static readonly Domain.Cases.CaseStatus[] Stages =
    [
        Domain.Cases.CaseStatus.Ledgered, Domain.Cases.CaseStatus.Deliberating, Domain.Cases.CaseStatus.Planned, Domain.Cases.CaseStatus.Assigned,
        Domain.Cases.CaseStatus.InProgress, Domain.Cases.CaseStatus.Resolved, Domain.Cases.CaseStatus.FollowedUp, Domain.Cases.CaseStatus.Reopened,
        Domain.Cases.CaseStatus.Rejected, Domain.Cases.CaseStatus.Merged,
    ];

    public async Task OnGetAsync()
    {
        string? Get(string name) => Request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        Query = new ListTopics.Query(Get("village"), Get("stage"), Get("overdue"), Get("q"), Get("sort"), Get("page"), Get("pageSize"));
        Villages = await topics.VillagesAsync(HttpContext.RequestAborted);
        if (!await TryAsync(async () => Result = await topics.HandleAsync(Query, HttpContext.RequestAborted)))
        {
            Result = null;
        }
    }

    /// <summary>The same filters, another page (or the download's query).</summary>
    public string Link(int? page = null)
    {
        var q = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                q.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("village", Query.Village);
        Add("stage", Query.Stage);
        Add("overdue", Query.Overdue);
        Add("q", Query.Q);
        Add("sort", Query.Sort);
        Add("pageSize", Query.PageSize);
        if (page is { } p)
        {
            Add("page", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return string.Join("&", q);
    }
}
