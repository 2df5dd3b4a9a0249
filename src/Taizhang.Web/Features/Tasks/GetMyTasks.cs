using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Tasks;

/// <summary>
/// 我的待办: what waits for the caller or their unit, one section per kind of work. A section is a
/// ledger query (<see cref="ListCases.Query"/>, built from the lifecycle's stages and
/// <see cref="Case.AllowedActions"/>) and the permission whose holders have that work; its count is
/// the ledger's total for its link by construction (it is counted through the same filters), and
/// its first rows are the ledger's first page of it. Which sections a person gets follows their
/// permissions (<see cref="Permissions"/>); the upcoming meetings of their units come last.
/// </summary>
public static class GetMyTasks
{
    /// <summary>How many cases (and meetings) a section lists; the rest are a link away.</summary>
    public const int Rows = 5;

    /// <summary>"Meetings coming": held from now until this far ahead.</summary>
    public static readonly TimeSpan MeetingsAhead = TimeSpan.FromDays(14);

    /// <summary>One kind of work.</summary>
    /// <param name="Key">Its name: the API's key and the text key tasks.section.{Key}.</param>
    /// <param name="Permission">Those whose posts allow this somewhere have this section.</param>
    /// <param name="Query">The cases it holds (the ledger query, in the caller's scope like every ledger query).</param>
    /// <param name="Act">Where this work is done for many cases at once (the triage queues); otherwise on each case's page.</param>
    /// <param name="InHeader">Counts in the header's number (things needing action); cases being worked on do not.</param>
    /// <param name="Starts">Whether having it makes the task list the person's start page (a leader's approvals do not: they start on the board).</param>
    public sealed record Section(string Key, Permission Permission, Func<CaseAccess, ListCases.Query> Query, string? Act, bool InHeader, bool Starts = true);

    /// <summary>The statuses in which a unit can start its case (Assigned; Planned when the plan named it).</summary>
    private static readonly string Startable = string.Join(',',
        Enum.GetValues<CaseStatus>().Where(s => Case.AllowedActions(s).Contains(CaseAction.Start)));

    /// <summary>
    /// Deadlines a person watches: the town office (who triages) every open case of its area, a
    /// handler the cases assigned to their units.
    /// </summary>
    private static ListCases.Query Watched(CaseAccess access) =>
        access.HasAnywhere(Permission.Triage) ? new() : new() { AssignedToMe = "true" };

    /// <summary>The sections, in the order the page shows them: the late first, then each turn of the lifecycle.</summary>
    public static readonly IReadOnlyList<Section> Sections =
    [
        new("overdue", Permission.Resolve, a => Watched(a) with { Overdue = "true", Sort = "dueAt" }, null, true),
        new("due-soon", Permission.Resolve, a => Watched(a) with { DueSoon = "true", Sort = "dueAt" }, null, true),
        new("awaiting-triage", Permission.Triage, _ => ListCases.Query.OfStage(CaseStage.AwaitingTriage), "/triage", true),
        new("returned", Permission.Triage, _ => new() { Status = nameof(CaseStatus.Returned), Sort = "updatedAt" }, "/triage", true),
        new("awaiting-assignment", Permission.Assign, _ => ListCases.Query.OfStage(CaseStage.AwaitingAssignment),
            "/triage?queue=" + nameof(CaseStage.AwaitingAssignment), true),
        // 待审批: 延期 and 挂起 requests waiting for the office's (or a leader's) decision.
        new("pending-decision", Permission.DecideDeadlineChange, _ => new() { PendingRequest = "true", Sort = "dueAt" }, null, true, Starts: false),
        new("to-start", Permission.Start, _ => new() { Status = Startable, AssignedToMe = "true", Sort = "dueAt" }, null, true),
        new("in-hand", Permission.Resolve, _ => new() { Status = nameof(CaseStatus.InProgress), AssignedToMe = "true", Sort = "dueAt" }, null, false),
        // 被催办: the unit's own cases that had a 催办 or 通报; 督办 and 挂起 in the cases watched.
        new("reminded", Permission.Resolve, _ => new() { Reminded = "true", AssignedToMe = "true", Sort = "dueAt" }, null, true),
        new("supervised", Permission.Resolve, a => Watched(a) with { Supervised = "true", Sort = "supervisionDueAt" }, null, false),
        new("suspended", Permission.Resolve, a => Watched(a) with { Suspended = "true", Sort = "dueAt" }, null, false),
        new("follow-up", Permission.FollowUp, _ => ListCases.Query.OfStage(CaseStage.AwaitingFollowUp), null, true),
        new("topics", Permission.Deliberate, _ => ListCases.Query.OfStage(CaseStage.Deliberation), null, true),
    ];

    /// <summary>Meetings coming are for those who deliberate (village cadres, the town office).</summary>
    public const Permission MeetingsPermission = Permission.Deliberate;

    /// <summary>The sections a person has.</summary>
    public static IEnumerable<Section> SectionsOf(CaseAccess access) => Sections.Where(s => access.HasAnywhere(s.Permission));

    /// <summary>Whether anything on the task list is the person's at all.</summary>
    public static bool HasTasks(CaseAccess access) => SectionsOf(access).Any() || access.HasAnywhere(MeetingsPermission);

    /// <summary>
    /// Where a person starts (the home page): their task list when any of it is theirs; the hotline
    /// for those who only take calls (operators); the board for those who watch (leaders, council
    /// members, administrators).
    /// </summary>
    public static string StartPage(CaseAccess access) =>
        SectionsOf(access).Any(s => s.Starts) || access.HasAnywhere(MeetingsPermission) ? "/tasks" : access.HasAnywhere(Permission.LookUpCallers) ? "/hotline" : "/board";

    /// <param name="Link">The ledger page listing exactly the cases counted.</param>
    /// <param name="ApiLink">The same list from the API.</param>
    public sealed record SectionResult(
        string Key, int Count, string Link, string ApiLink, string? Act, bool InHeader, IReadOnlyList<CaseSummary> Items);

    public sealed record MeetingRow(long Id, string Title, MeetingKind Kind, DateTime HeldAt, UnitRef? OrgUnit);

    public sealed record Meetings(int Count, IReadOnlyList<MeetingRow> Items, DateTime From, DateTime Until);

    public sealed record Part(string Key, int Count);

    /// <summary>The header's number: the cases in at least one section that counts (each case once), and each section's count.</summary>
    public sealed record Counts(int Total, IReadOnlyList<Part> Parts);

    /// <param name="Meetings">Null for those without the meetings section.</param>
    public sealed record MyTasks(IReadOnlyList<SectionResult> Sections, Meetings? Meetings, Counts Counts);

    public sealed class Handler(ListCases.Handler list, TaizhangDb db, CurrentUser user, OrgDirectory org, TimeProvider clock, Reports.CaseCounters counters,
        Deadlines.DeadlineInstructions instructions)
    {
        public async Task<MyTasks> HandleAsync(CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var size = Rows.ToString(CultureInfo.InvariantCulture);
            var sections = new List<SectionResult>();
            foreach (var s in SectionsOf(access))
            {
                var query = s.Query(access);
                // The ledger's own first page of it: the count is that page's total (a queue named by statuses alone
                // counted from the status counters when the caller reads by area, as CountsAsync does: the same number).
                var counted = Reports.CaseCounters.StatusesOnly(query) is { } statuses ? await counters.StatusCountAsync(statuses, ct) : null;
                var page = await list.HandleAsync(query with { PageSize = size }, ct, counted);
                // 被催办 and 督办 rows say what the unit was told (the note, and the supervision's level and deadline), not only how often.
                var items = s.Key is "reminded" or "supervised" ? await instructions.WithInstructionsAsync(page.Items, ct) : page.Items;
                sections.Add(new SectionResult(s.Key, page.Total, query.Link, "/api/v1/cases" + query.ToQueryString(), s.Act, s.InHeader, items));
            }
            var parts = sections.Where(s => s.InHeader).Select(s => new Part(s.Key, s.Count)).ToList();
            var counts = new Counts(await TotalAsync(access, parts, ct), parts);
            return new MyTasks(sections, access.HasAnywhere(MeetingsPermission) ? await MeetingsAsync(access, ct) : null, counts);
        }

        /// <summary>The header's number, or null for those whom no section concerns.</summary>
        public async Task<Counts?> HeaderAsync(CancellationToken ct) =>
            HasTasks(await user.AccessAsync(ct)) ? await CountsAsync(ct) : null;

        /// <summary>Only the header's number and its parts: one COUNT per section that counts, and one for the total.</summary>
        public async Task<Counts> CountsAsync(CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var parts = new List<Part>();
            foreach (var s in SectionsOf(access).Where(s => s.InHeader))
            {
                // A queue named by statuses alone (awaiting triage, returned, follow-up …) from the status counters
                // when the caller reads by area (Reports.CaseCounters); the rest counted through the ledger's filters.
                var query = s.Query(access);
                var counted = Reports.CaseCounters.StatusesOnly(query) is { } statuses ? await counters.StatusCountAsync(statuses, ct) : null;
                parts.Add(new Part(s.Key, counted ?? await (await FilterAsync(query, ct)).CountAsync(ct)));
            }
            return new Counts(await TotalAsync(access, parts, ct), parts);
        }

        /// <summary>
        /// The cases in at least one of the counted sections: the union of their ids, counted once
        /// (a case overdue and waiting to be started is one thing to do). Sections with nothing in them
        /// are left out of the query; with one left, its count is the total.
        /// </summary>
        private async Task<int> TotalAsync(CaseAccess access, IReadOnlyList<Part> parts, CancellationToken ct)
        {
            var busy = parts.Where(p => p.Count > 0).ToList();
            if (busy.Count <= 1)
            {
                return busy.Sum(p => p.Count);
            }
            // The queues named by statuses alone are disjoint by status from one another's complement: the cases
            // in any of them are counted from the status counters (the union of their statuses), and the other
            // sections (overdue, due soon, requests waiting, to start …) add only their cases in other statuses.
            var queues = busy.Select(p => Reports.CaseCounters.StatusesOnly(Sections.Single(s => s.Key == p.Key).Query(access))).ToList();
            var inQueues = queues.Where(q => q is not null).SelectMany(q => q!).Distinct().ToArray();
            var fromCounters = inQueues.Length > 0 ? await counters.StatusCountAsync(inQueues, ct) : null;
            IQueryable<long>? ids = null;
            for (var i = 0; i < busy.Count; i++)
            {
                if (fromCounters is not null && queues[i] is not null)
                {
                    continue;
                }
                var these = (await FilterAsync(Sections.Single(s => s.Key == busy[i].Key).Query(access), ct));
                if (fromCounters is not null)
                {
                    these = these.Where(c => !inQueues.Contains(c.Status));
                }
                ids = ids is null ? these.Select(c => c.Id) : ids.Union(these.Select(c => c.Id));
            }
            return (fromCounters ?? 0) + (ids is null ? 0 : await ids.CountAsync(ct));
        }

        private async Task<IQueryable<Case>> FilterAsync(ListCases.Query query, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var cases = await list.FilterAsync(query, errors, ct);
            errors.ThrowIfAny();
            return cases;
        }

        /// <summary>
        /// The meetings of the person's units (those they deliberate in, and the units under them) and
        /// of their towns, from now for <see cref="MeetingsAhead"/>, soonest first.
        /// </summary>
        private async Task<Meetings> MeetingsAsync(CaseAccess access, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var ids = access.ReachOf(MeetingsPermission).Area
                .Concat(access.Principal.Posts.Where(p => Permissions.Allows(p.Role, MeetingsPermission) && p.Unit.TownId is not null)
                    .Select(p => p.Unit.TownId!.Value))
                .Distinct().ToArray();
            var towns = ids.Select(id => units.UnitsById[id].TownId).OfType<long>().Distinct().ToArray();
            var from = clock.GetUtcNow().UtcDateTime;
            var until = from + MeetingsAhead;
            var meetings = db.Meetings.AsNoTracking()
                .Where(m => towns.Contains(m.TownId) && ids.Contains(m.OrgUnitId) && m.HeldAt >= from && m.HeldAt < until);
            var count = await meetings.CountAsync(ct);
            var rows = count == 0 ? [] : await meetings.OrderBy(m => m.HeldAt).ThenBy(m => m.Id).Take(Rows)
                .Select(m => new { m.Id, m.Title, m.Kind, m.HeldAt, m.OrgUnitId })
                .ToListAsync(ct);
            return new Meetings(count, rows.Select(m => new MeetingRow(m.Id, m.Title, m.Kind, m.HeldAt, units.Ref(m.OrgUnitId))).ToList(), from, until);
        }
    }

    /// <summary>The header's number as the API answers it, with its parts and a sentence saying what it counts.</summary>
    public sealed record CountsResponse(int Total, IReadOnlyList<Part> Parts, string Summary);

    /// <summary>What the number counts, in the caller's language: "需要处理 3 件（…）：已超期 1 · 待启动 2".</summary>
    public static string Summary(Counts counts, Texts texts) =>
        texts.Format("tasks.count.summary", counts.Total,
            string.Join(" · ", counts.Parts.Select(p => texts["tasks.section." + p.Key] + " " + p.Count.ToString(CultureInfo.InvariantCulture))));

    public static async Task<Ok<MyTasks>> Endpoint(Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(ct));

    public static async Task<Ok<CountsResponse>> CountsEndpoint(Handler handler, Texts texts, CancellationToken ct)
    {
        var counts = await handler.CountsAsync(ct);
        return TypedResults.Ok(new CountsResponse(counts.Total, counts.Parts, Summary(counts, texts)));
    }

    public static IServiceCollection AddTasks(this IServiceCollection services) => services.AddScoped<Handler>();

    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/v1/tasks").RequireAuthorization(Policies.SignedIn).WithTags("Tasks");
        tasks.MapGet("/", Endpoint).WithName("GetMyTasks");
        tasks.MapGet("/counts", CountsEndpoint).WithName("GetMyTaskCounts");
        return app;
    }
}
