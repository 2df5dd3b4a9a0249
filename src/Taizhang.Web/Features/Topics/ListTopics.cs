using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Topics;

/// <summary>A meeting a topic went to: from its agenda item.</summary>
public sealed record TopicMeeting(long Id, string Title, DateTime At, MeetingKind Kind, MeetingStatus Status, AgendaOutcomeKind? Outcome);

/// <summary>The plan's figures on a row of the topic ledger.</summary>
public sealed record TopicPlan(int StepsDone, int StepCount, int OverallProgress, DateOnly? NextTargetDate, bool OverdueStep);

/// <summary>A row of the topic ledger (议题台账).</summary>
public sealed record TopicRow(long Id, string TrackingCode, string Title, UnitRef? Village, CaseStatus Stage, DateTime LedgeredAt,
    int DaysSinceLedgered, TopicPlan? Plan, IReadOnlyList<TopicMeeting> Meetings);

public sealed record TopicPage(int Total, int Page, int PageSize, IReadOnlyList<TopicRow> Items);

/// <summary>
/// 议题台账: every topic (a case on the topic track, or in the ledger's states) the caller can see,
/// with its stage, the meetings it went to, its plan's progress and next date. One query for the
/// page of rows (the plan is joined; the ledgered time is the topic's last triage to the ledger, read
/// through the events' (case, sequence) index), one count, and one query for the meetings of the rows.
/// </summary>
public static class ListTopics
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    public static readonly string[] Sorts = ["-ledgered", "ledgered", "next", "-progress", "progress"];

    public sealed record Query(string? Village = null, string? Stage = null, string? Overdue = null, string? Q = null, string? Sort = null,
        string? Page = null, string? PageSize = null);

    private sealed record Filter(long[]? Units, CaseStatus? Stage, bool? Overdue, string? Text, string Sort, int Page, int PageSize);

    public sealed class Handler(TaizhangDb db, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock, Texts texts)
    {
        public async Task<TopicPage> HandleAsync(Query query, CancellationToken ct, int? maxPageSize = null)
        {
            var units = await org.GetAsync(ct);
            var filter = Parse(query, units, maxPageSize ?? MaxPageSize);
            var access = await user.AccessAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var today = due.LocalDate(now);

            var topics = Topics(access.Visible(db.Cases.AsNoTracking()));
            if (filter.Units is { } ids)
            {
                topics = topics.Where(c => ids.Contains(c.OrgUnitId));
            }
            if (filter.Stage is { } stage)
            {
                topics = topics.Where(c => c.Status == stage);
            }
            if (filter.Text is { } text)
            {
                var byCode = await db.CaseIdOfAsync(text, ct) ?? -1;
                topics = topics.Where(c => c.Title.Contains(text) || c.Id == byCode);
            }
            var plans = db.Set<HandlingPlan>().AsNoTracking();
            var rows =
                from c in topics
                join p in plans on c.Id equals p.CaseId into joined
                from p in joined.DefaultIfEmpty()
                select new { Case = c, Plan = p };
            if (filter.Overdue is { } overdue)
            {
                rows = overdue
                    ? rows.Where(r => r.Plan != null && r.Plan.NextTargetDate < today && OpenStatuses.Contains(r.Case.Status))
                    : rows.Where(r => r.Plan == null || !(r.Plan.NextTargetDate < today) || !OpenStatuses.Contains(r.Case.Status));
            }
            rows = filter.Sort switch
            {
                "ledgered" => rows.OrderBy(r => r.Case.RegisteredAt).ThenBy(r => r.Case.Id),
                "next" => rows.OrderBy(r => r.Plan == null || r.Plan.NextTargetDate == null).ThenBy(r => r.Plan!.NextTargetDate).ThenByDescending(r => r.Case.Id),
                "-progress" => rows.OrderByDescending(r => r.Plan == null ? -1 : r.Plan.OverallProgress).ThenByDescending(r => r.Case.Id),
                "progress" => rows.OrderBy(r => r.Plan == null ? -1 : r.Plan.OverallProgress).ThenByDescending(r => r.Case.Id),
                _ => rows.OrderByDescending(r => r.Case.RegisteredAt).ThenByDescending(r => r.Case.Id),
            };
            var total = await rows.CountAsync(ct);
            var events = db.CaseEvents.AsNoTracking();
            var page = await rows.Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
                .Select(r => new
                {
                    r.Case.Id,
                    r.Case.TrackingCode,
                    r.Case.Title,
                    r.Case.OrgUnitId,
                    r.Case.Status,
                    r.Case.RegisteredAt,
                    LedgeredAt = events.Where(e => e.CaseId == r.Case.Id && e.Action == CaseAction.Triage && e.ToStatus == CaseStatus.Ledgered)
                        .Max(e => (DateTime?)e.At),
                    HasPlan = r.Plan != null,
                    StepsDone = r.Plan == null ? 0 : r.Plan.StepsDone,
                    StepCount = r.Plan == null ? 0 : r.Plan.StepCount,
                    Progress = r.Plan == null ? 0 : r.Plan.OverallProgress,
                    Next = r.Plan == null ? null : r.Plan.NextTargetDate,
                })
                .ToListAsync(ct);
            var meetings = await MeetingsOfAsync(db, page.Select(r => r.Id).ToArray(), ct);
            var items = page.Select(r =>
            {
                var ledgered = r.LedgeredAt ?? r.RegisteredAt;
                var open = OpenStatuses.Contains(r.Status);
                return new TopicRow(r.Id, r.TrackingCode, r.Title, units.Ref(r.OrgUnitId), r.Status, ledgered,
                    today.DayNumber - due.LocalDate(ledgered).DayNumber,
                    r.HasPlan ? new TopicPlan(r.StepsDone, r.StepCount, r.Progress, r.Next, open && r.Next is { } n && n < today) : null,
                    meetings.TryGetValue(r.Id, out var m) ? m : []);
            }).ToList();
            return new TopicPage(total, filter.Page, filter.PageSize, items);
        }

        /// <summary>The villages and communities whose topics the caller reads: the ledger's village filter.</summary>
        public async Task<IReadOnlyList<UnitInfo>> VillagesAsync(CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var reach = access.ReachOf(Domain.Access.Permission.ReadCases);
            return reach.Area.Concat(reach.Assigned).Distinct().Select(id => units.UnitsById[id])
                .Where(u => u.Kind is Domain.Organization.OrgUnitKind.Village or Domain.Organization.OrgUnitKind.Community)
                .Order(OrgDirectory.Snapshot.TreeOrder).ToList();
        }

        private Filter Parse(Query q, OrgDirectory.Snapshot units, int maxPageSize)
        {
            var errors = new FieldErrors();
            long[]? ids = null;
            if (!string.IsNullOrWhiteSpace(q.Village))
            {
                if (units.UnitsByCode.TryGetValue(q.Village.Trim(), out var unit))
                {
                    ids = units.SelfAndDescendants(unit);
                }
                else
                {
                    errors.Add("village", texts.Format("field.unknown-org-unit", q.Village.Trim()));
                }
            }
            CaseStatus? stage = null;
            if (!string.IsNullOrWhiteSpace(q.Stage))
            {
                if (Enum.TryParse<CaseStatus>(q.Stage.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(q.Stage, out _))
                {
                    stage = s;
                }
                else
                {
                    errors.Add("stage", texts["topics.error.stage"]);
                }
            }
            bool? overdue = null;
            if (!string.IsNullOrWhiteSpace(q.Overdue))
            {
                if (bool.TryParse(q.Overdue.Trim(), out var o))
                {
                    overdue = o;
                }
                else
                {
                    errors.Add("overdue", texts["topics.error.bool"]);
                }
            }
            var sort = string.IsNullOrWhiteSpace(q.Sort) ? "-ledgered" : q.Sort.Trim();
            if (!Sorts.Contains(sort))
            {
                errors.Add("sort", texts.Format("topics.error.sort", string.Join(", ", Sorts)));
            }
            var page = Number(errors, "page", q.Page, 1, MaxPage, 1);
            var size = Number(errors, "pageSize", q.PageSize, 1, maxPageSize, DefaultPageSize);
            var text = string.IsNullOrWhiteSpace(q.Q) ? null : q.Q.Trim();
            if (text is not null)
            {
                Cases.RequestParsing.Printable(errors, texts, "q", text);
                if (text.Length > 100)
                {
                    errors.Add("q", texts.Format("field.too-long", 100));
                }
            }
            errors.ThrowIfAny();
            return new Filter(ids, stage, overdue, text, sort, page, size);
        }

        private int Number(FieldErrors errors, string field, string? value, int min, int max, int fallback)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }
            if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }
            errors.Add(field, texts.Format("topics.error.range", min, max));
            return fallback;
        }
    }

    /// <summary>
    /// Topics: the topic track. The ledger's states (待议, 协商中) are reached only by triage to the topic
    /// track, which sets it, so one equality is the whole condition, and the (town, track, registered)
    /// index serves the list, its order and its count.
    /// </summary>
    public static IQueryable<Case> Topics(IQueryable<Case> cases) => cases.Where(c => c.Track == Track.Topic);

    /// <summary>Where a plan's steps still run: a step past its date there is overdue.</summary>
    public static readonly CaseStatus[] OpenStatuses = [CaseStatus.Planned, CaseStatus.Assigned, CaseStatus.InProgress, CaseStatus.Reopened];

    /// <summary>The meetings each case went to (one query for all of them), oldest first.</summary>
    public static async Task<Dictionary<long, IReadOnlyList<TopicMeeting>>> MeetingsOfAsync(TaizhangDb db, long[] caseIds, CancellationToken ct)
    {
        if (caseIds.Length == 0)
        {
            return [];
        }
        var list = await (
            from a in db.Set<AgendaItem>().AsNoTracking()
            join m in db.Meetings.AsNoTracking() on a.MeetingId equals m.Id
            where a.CaseId != null && caseIds.Contains(a.CaseId.Value)
            select new { CaseId = a.CaseId!.Value, m.Id, m.Title, m.HeldAt, m.Kind, m.Status, a.OutcomeKind })
            .ToListAsync(ct);
        return list.GroupBy(x => x.CaseId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<TopicMeeting>)g.OrderBy(x => x.HeldAt).ThenBy(x => x.Id)
                .Select(x => new TopicMeeting(x.Id, x.Title, x.HeldAt, x.Kind, x.Status, x.OutcomeKind)).ToList());
    }

    public static async Task<Ok<TopicPage>> Endpoint(HttpRequest http, Handler handler, CancellationToken ct)
    {
        string? Get(string name) => http.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        return TypedResults.Ok(await handler.HandleAsync(
            new Query(Get("village"), Get("stage"), Get("overdue"), Get("q"), Get("sort"), Get("page"), Get("pageSize")), ct));
    }
}
