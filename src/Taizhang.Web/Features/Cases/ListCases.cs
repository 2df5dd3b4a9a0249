using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The ledger: filter, sort and page cases. Every filter maps to an indexed column; counts
/// are one COUNT query, never cases loaded into memory.
/// </summary>
public static class ListCases
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 20;

    /// <summary>Far beyond any real ledger, and keeps the row offset (at most 2×10^8) an int on every provider.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Ledger settings ("Ledger" section).</summary>
    /// <param name="SearchIdsInline">Text search passes up to this many matching case ids to the database as a list; more stay a subquery.</param>
    /// <param name="SearchCountLimit">A text search answered from the full-text index counts its matches up to this many; past it the
    /// total says "more than" (<see cref="CasePage.MoreThanTotal"/>). 0: always exact.</param>
    public sealed record Options(int SearchIdsInline = 10_000, int SearchCountLimit = 2_000);

    private static readonly IReadOnlyList<CaseStatus> Handled = CaseFigures.Handled.Statuses!;

    private static readonly string[] SortFields = ["registeredAt", "dueAt", "updatedAt", "urgency", "id", "supervisionDueAt"];

    /// <summary>Query-string filters. Lists (status, channel …) take comma-separated values.</summary>
    public sealed record Query
    {
        public string? Status { get; init; }
        public string? OrgUnit { get; init; }
        /// <summary>The responsible unit (and the units under it).</summary>
        public string? AssigneeUnit { get; init; }
        /// <summary>true: assigned to the caller's own units (<see cref="CaseAccess.AssignedToMeUnitIds"/>); false: not.</summary>
        public string? AssignedToMe { get; init; }
        public string? Channel { get; init; }
        public string? Category { get; init; }
        public string? Urgency { get; init; }
        public string? Track { get; init; }
        public string? Overdue { get; init; }

        /// <summary>挂起: true lists the cases whose clock is stopped.</summary>
        public string? Suspended { get; init; }

        /// <summary>督办: true (any level) or levels (Ordinary,Yellow,Red): open cases under supervision.</summary>
        public string? Supervised { get; init; }
        /// <summary>待审批: true lists the cases with a 延期 or 挂起 request waiting for a decision (Extension or Suspension: that kind only).</summary>
        public string? PendingRequest { get; init; }

        /// <summary>被催办: true lists the open cases that had a 催办 or 通报.</summary>
        public string? Reminded { get; init; }
        /// <summary>true: open and due within the next 24 hours (not yet overdue).</summary>
        public string? DueSoon { get; init; }
        public string? Satisfaction { get; init; }
        public string? Outcome { get; init; }
        /// <summary>true/false: resolved before / after the due date (cases with a resolution only).</summary>
        public string? OnTime { get; init; }
        /// <summary>true: resolved now, or reopened after a result (<see cref="CaseFigures.ResolvedOnce"/>); false: never resolved.</summary>
        public string? ResolvedOnce { get; init; }
        /// <summary>true: at least one return visit recorded (<see cref="CaseFigures.FollowedUp"/>); false: none.</summary>
        public string? FollowedUp { get; init; }
        public string? Q { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Page { get; init; }
        public string? PageSize { get; init; }
        public string? Sort { get; init; }

        /// <summary>
        /// Filters from a query string. Lists come as "status=A,B" (links, the API's form) or
        /// "status=A&amp;status=B" (a form's multiple select); both are read as one list.
        /// </summary>
        public static Query Parse(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query)
        {
            var map = query.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
            string? Get(string name) => map.TryGetValue(name, out var v)
                && string.Join(',', v.Where(x => !string.IsNullOrWhiteSpace(x))) is { Length: > 0 } joined ? joined : null;
            return new Query
            {
                Status = Get("status"),
                OrgUnit = Get("orgUnit"),
                AssigneeUnit = Get("assigneeUnit"),
                AssignedToMe = Get("assignedToMe"),
                Channel = Get("channel"),
                Category = Get("category"),
                Urgency = Get("urgency"),
                Track = Get("track"),
                Overdue = Get("overdue"),
                DueSoon = Get("dueSoon"),
                Suspended = Get("suspended"),
                Supervised = Get("supervised"),
                PendingRequest = Get("pendingRequest"),
                Reminded = Get("reminded"),
                Satisfaction = Get("satisfaction"),
                Outcome = Get("outcome"),
                OnTime = Get("onTime"),
                ResolvedOnce = Get("resolvedOnce"),
                FollowedUp = Get("followedUp"),
                Q = Get("q"),
                From = Get("from"),
                To = Get("to"),
                Page = Get("page"),
                PageSize = Get("pageSize"),
                Sort = Get("sort"),
            };
        }

        /// <summary>
        /// The cases of one stage of the lifecycle (<see cref="Lifecycle.StatusesOf"/>), in the order
        /// its work goes: oldest first where cases wait their turn, by due date where a unit works
        /// them, longest unchanged first where they wait for the return visit.
        /// </summary>
        public static Query OfStage(CaseStage stage) => new()
        {
            Status = List(Lifecycle.StatusesOf(stage)),
            Sort = stage switch
            {
                CaseStage.AwaitingTriage or CaseStage.AwaitingAssignment or CaseStage.Deliberation => "registeredAt",
                CaseStage.InHandling => "dueAt",
                CaseStage.AwaitingFollowUp => "updatedAt",
                CaseStage.Closed => "-updatedAt",
            },
        };

        /// <summary>These filters narrowed to the cases a figure counts: the ledger's link for a number on the board.</summary>
        public Query Where(CaseFigure figure) => this with
        {
            Status = figure.Statuses is { } statuses ? List(statuses) : Status,
            Outcome = figure.Outcomes is { } outcomes ? List(outcomes) : Outcome,
            Satisfaction = figure.Satisfactions is { } verdicts ? List(verdicts) : Satisfaction,
            OnTime = figure.OnTime is { } onTime ? (onTime ? "true" : "false") : OnTime,
            ResolvedOnce = figure.ResolvedOnce is { } once ? (once ? "true" : "false") : ResolvedOnce,
            FollowedUp = figure.FollowedUp is { } visited ? (visited ? "true" : "false") : FollowedUp,
        };

        private static string List<T>(IEnumerable<T> values) where T : struct, Enum => string.Join(',', values);

        /// <summary>The ledger page listing exactly these cases (board figures, ready-made views, sort and page links).</summary>
        public string Link => "/cases" + ToQueryString();

        /// <summary>The query string of these filters (paging and sort included), for links to the ledger.</summary>
        public string ToQueryString()
        {
            var parts = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    // Commas separate list values and need no escaping: the URL stays readable.
                    parts.Add(name + "=" + Uri.EscapeDataString(value).Replace("%2C", ",", StringComparison.Ordinal));
                }
            }
            Add("status", Status);
            Add("orgUnit", OrgUnit);
            Add("assigneeUnit", AssigneeUnit);
            Add("assignedToMe", AssignedToMe);
            Add("channel", Channel);
            Add("category", Category);
            Add("urgency", Urgency);
            Add("track", Track);
            Add("overdue", Overdue);
            Add("dueSoon", DueSoon);
            Add("suspended", Suspended);
            Add("supervised", Supervised);
            Add("pendingRequest", PendingRequest);
            Add("reminded", Reminded);
            Add("satisfaction", Satisfaction);
            Add("outcome", Outcome);
            Add("onTime", OnTime);
            Add("resolvedOnce", ResolvedOnce);
            Add("followedUp", FollowedUp);
            Add("q", Q);
            Add("from", From);
            Add("to", To);
            Add("sort", Sort);
            Add("pageSize", PageSize);
            Add("page", Page);
            return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
        }
    }

    public sealed record CasePage(IReadOnlyList<CaseSummary> Items, int Total, int Page, int PageSize)
    {
        /// <summary>
        /// More cases match than <see cref="Total"/> (a common word at county scope: the full-text index counts up to
        /// <see cref="Options.SearchCountLimit"/>, not the 200,000 cases holding 水); the page itself is exact.
        /// </summary>
        public bool MoreThanTotal { get; init; }
    }

    public sealed class Handler(
        TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CaseReader reader, Texts texts, CurrentUser user, Options options,
        SearchIndexBackfill backfill, LedgerCounts counts, Reports.CaseCounters counters)
    {
        /// <summary>
        /// The cases the filters select, in the caller's scope; field errors for filters that make no
        /// sense. The ledger pages and the board count through this, so a number on the board is
        /// exactly the rows its link shows.
        /// </summary>
        public Task<IQueryable<Case>> FilterAsync(Query q, FieldErrors errors, CancellationToken ct) => FilterAsync(q, errors, ct, source: null);

        /// <summary>
        /// Free texts of cases (suspension reasons) as the ledger shows them: phone numbers typed into them masked and
        /// the codes of cases the caller may not see hidden (one look-up, only when a text names a code).
        /// </summary>
        public async Task<Func<string?, string?>> TextMaskAsync(IEnumerable<string?> texts, CancellationToken ct)
        {
            var refs = await CaseReferences.ForTextsAsync(db, await user.AccessAsync(ct), texts, ct);
            return refs.MaskText;
        }

        /// <param name="source">The cases to filter (one town's, read through a chosen index: <see cref="ByTownAsync"/>); all by default.</param>
        /// <param name="inScope">The source holds only cases of one whole town of the caller's area scope: the scope's own
        /// condition ("TownId IN (every town)") would add nothing but forty parameters to each of forty merged queries.</param>
        private async Task<IQueryable<Case>> FilterAsync(Query q, FieldErrors errors, CancellationToken ct, IQueryable<Case>? source, bool inScope = false)
        {
            var units = await org.GetAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            // Scope first: every filter below narrows what the caller's posts already reach.
            var access = await user.AccessAsync(ct);
            IQueryable<Case> cases = inScope && source is not null ? source : access.Visible(source ?? db.Cases.AsNoTracking());

            // One value is "=", not "= ANY(list)": PostgreSQL (before 17) reads an index in order only for "=", so a town's
            // newest matches from (TownId, Urgency, CategoryId, RegisteredAt) came sorted from every match (3 ms a town, not 0.05).
            // Nullable columns: not null first, then the plain values (a list of nullables is "= ANY(…) OR (IS NULL AND …)").
            if (Many<CaseStatus>(errors, "status", q.Status) is { } statuses)
            {
                var one = statuses[0];
                cases = statuses.Length == 1 ? cases.Where(c => c.Status == one) : cases.Where(c => statuses.Contains(c.Status));
            }
            if (Many<Channel>(errors, "channel", q.Channel) is { } channels)
            {
                var one = channels[0];
                cases = channels.Length == 1 ? cases.Where(c => c.Channel == one) : cases.Where(c => channels.Contains(c.Channel));
            }
            if (Many<Urgency>(errors, "urgency", q.Urgency) is { } urgencies)
            {
                var one = urgencies[0];
                cases = urgencies.Length == 1 ? cases.Where(c => c.Urgency == one) : cases.Where(c => urgencies.Contains(c.Urgency));
            }
            if (Many<Track>(errors, "track", q.Track) is { } tracks)
            {
                var one = tracks[0];
                cases = tracks.Length == 1 ? cases.Where(c => c.Track == one) : cases.Where(c => c.Track != null && tracks.Contains(c.Track.Value));
            }
            if (!string.IsNullOrWhiteSpace(q.OrgUnit))
            {
                if (units.UnitsByCode.TryGetValue(q.OrgUnit.Trim(), out var unit))
                {
                    var ids = units.SelfAndDescendants(unit);
                    cases = cases.Where(c => ids.Contains(c.OrgUnitId));
                }
                else
                {
                    errors.Add("orgUnit", texts.Format("field.unknown-org-unit", q.OrgUnit.Trim()));
                }
            }
            if (!string.IsNullOrWhiteSpace(q.AssigneeUnit))
            {
                if (units.UnitsByCode.TryGetValue(q.AssigneeUnit.Trim(), out var assignee))
                {
                    // Not null first, then the plain ids: a list of nullable ids is "= ANY(…) OR (IS NULL AND the list holds
                    // a null)" on PostgreSQL, which no index serves (a county bureau's cases counted from every case: 160 ms).
                    var ids = units.SelfAndDescendants(assignee);
                    cases = cases.Where(c => c.AssigneeUnitId != null && ids.Contains(c.AssigneeUnitId.Value));
                }
                else
                {
                    errors.Add("assigneeUnit", texts.Format("field.unknown-org-unit", q.AssigneeUnit.Trim()));
                }
            }
            switch (q.AssignedToMe?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    var mine = access.AssignedToMeUnitIds.Select(i => (long?)i).ToArray();
                    cases = cases.Where(c => mine.Contains(c.AssigneeUnitId));
                    break;
                case "false":
                    var mineNot = access.AssignedToMeUnitIds.Select(i => (long?)i).ToArray();
                    cases = cases.Where(c => c.AssigneeUnitId == null || !mineNot.Contains(c.AssigneeUnitId));
                    break;
                default:
                    errors.Add("assignedToMe", texts.Format("field.one-of", "true, false"));
                    break;
            }
            if (Many<Satisfaction>(errors, "satisfaction", q.Satisfaction) is { } verdicts)
            {
                var one = verdicts[0];
                cases = verdicts.Length == 1 ? cases.Where(c => c.Satisfaction == one)
                    : cases.Where(c => c.Satisfaction != null && verdicts.Contains(c.Satisfaction.Value));
            }
            switch (q.DueSoon?.Trim().ToLowerInvariant())
            {
                case null or "" or "false":
                    break;
                case "true":
                    var soon = now + Lifecycle.DueSoonWindow;
                    cases = cases.Where(c => Lifecycle.ClockedStatuses.Contains(c.Status) && c.SuspendedAt == null && c.DueAt > now && c.DueAt <= soon);
                    break;
                default:
                    errors.Add("dueSoon", texts.Format("field.one-of", "true, false"));
                    break;
            }
            if (Many<Outcome>(errors, "outcome", q.Outcome) is { } outcomes)
            {
                var one = outcomes[0];
                cases = outcomes.Length == 1 ? cases.Where(c => c.Outcome == one)
                    : cases.Where(c => c.Outcome != null && outcomes.Contains(c.Outcome.Value));
            }
            switch (q.ResolvedOnce?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => c.ReopenCount > 0 || Handled.Contains(c.Status));
                    break;
                case "false":
                    cases = cases.Where(c => c.ReopenCount == 0 && !Handled.Contains(c.Status));
                    break;
                default:
                    errors.Add("resolvedOnce", texts.Format("field.one-of", "true, false"));
                    break;
            }
            switch (q.FollowedUp?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => c.FollowUpCount > 0);
                    break;
                case "false":
                    cases = cases.Where(c => c.FollowUpCount == 0);
                    break;
                default:
                    errors.Add("followedUp", texts.Format("field.one-of", "true, false"));
                    break;
            }
            switch (q.OnTime?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => c.ResolvedAt != null && c.ResolvedAt < c.DueAt);
                    break;
                case "false":
                    cases = cases.Where(c => c.ResolvedAt != null && c.ResolvedAt >= c.DueAt);
                    break;
                default:
                    errors.Add("onTime", texts.Format("field.one-of", "true, false"));
                    break;
            }
            if (Split(q.Category) is { Length: > 0 } categoryCodes)
            {
                var ids = new List<long>();
                foreach (var code in categoryCodes)
                {
                    if (units.CategoriesByCode.TryGetValue(code, out var cat))
                    {
                        ids.Add(cat.Id);
                    }
                    else
                    {
                        errors.Add("category", texts.Format("field.unknown-category", code));
                    }
                }
                if (ids.Count == 1)
                {
                    var one = ids[0];
                    cases = cases.Where(c => c.CategoryId == one);
                }
                else
                {
                    cases = cases.Where(c => c.CategoryId != null && ids.Contains(c.CategoryId.Value));
                }
            }
            switch (q.Overdue?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => Lifecycle.ClockedStatuses.Contains(c.Status) && c.SuspendedAt == null && c.DueAt <= now);
                    break;
                case "false":
                    cases = cases.Where(c => !Lifecycle.ClockedStatuses.Contains(c.Status) || c.SuspendedAt != null || c.DueAt > now);
                    break;
                default:
                    errors.Add("overdue", texts.Format("field.one-of", "true, false"));
                    break;
            }
            switch (q.Suspended?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => c.SuspendedAt != null);
                    break;
                case "false":
                    cases = cases.Where(c => c.SuspendedAt == null);
                    break;
                default:
                    errors.Add("suspended", texts.Format("field.one-of", "true, false"));
                    break;
            }
            // 督办: open cases under supervision (any level, or the levels named).
            switch (q.Supervised?.Trim().ToLowerInvariant())
            {
                case null or "":
                    break;
                case "true":
                    cases = cases.Where(c => c.SupervisionLevel != null && Lifecycle.OpenStatuses.Contains(c.Status));
                    break;
                case "false":
                    cases = cases.Where(c => c.SupervisionLevel == null || !Lifecycle.OpenStatuses.Contains(c.Status));
                    break;
                default:
                    if (Many<SupervisionLevel>(errors, "supervised", q.Supervised) is { } levels)
                    {
                        var nullableLevels = levels.Select(l => (SupervisionLevel?)l).ToArray();
                        cases = cases.Where(c => nullableLevels.Contains(c.SupervisionLevel) && Lifecycle.OpenStatuses.Contains(c.Status));
                    }
                    break;
            }
            cases = Deadlines.DeadlineFilters.Apply(cases, q, errors, texts);
            if (!string.IsNullOrWhiteSpace(q.Q) && RequestParsing.Printable(errors, texts, "q", q.Q))
            {
                var text = q.Q.Trim();
                // A tracking code is looked up first and joins the ids: "or TrackingCode = …" in the list
                // query would read every case row of the town to test it (60 ms warm, a second cold).
                var byCode = TrackingCodes.Normalize(text) is { } code
                    ? await db.CaseIdOfAsync(code, ct) ?? 0
                    : 0;
                IQueryable<long> matching;
                if (backfill.Ready)
                {
                    // The full-text index (Data/SearchIndex.cs): n-gram tokens, a town's scope as one more
                    // token, so the index itself intersects the words with the caller's town.
                    var terms = SearchGrams.Query(text);
                    matching = terms.Count == 0 ? db.Cases.Where(c => false).Select(c => c.Id) : SearchIndex.Matching(db, terms, access.TownIds);
                }
                else
                {
                    // Until the backfill has indexed every case of an older database: the scan of the narrow,
                    // town-clustered text table (CaseText), limited to the caller's towns.
                    var scanned = db.CaseTexts.Where(t => t.Text.Contains(text));
                    if (access.TownIds is { } towns)
                    {
                        scanned = scanned.Where(t => towns.Contains(t.TownId));
                    }
                    matching = scanned.Select(t => t.CaseId);
                }
                // Read once here rather than once by the count and again by the page: the matching
                // ids go to the database as a list. Past Options.SearchIdsInline of them the match stays a subquery.
                var found = await matching.Take(options.SearchIdsInline + 1).ToListAsync(ct);
                if (found.Count <= options.SearchIdsInline)
                {
                    if (byCode != 0)
                    {
                        found.Add(byCode);
                    }
                    if (found.Count == 0)
                    {
                        // Nothing matched: no query that tests every case of the scope against an empty list.
                        cases = cases.Where(c => false);
                    }
                    else if (backfill.Ready)
                    {
                        // Each matching case looked up by its key: at a million cases a county's scope is a million
                        // rows, and testing each against the list (the scan's plan, below) took a second even for
                        // no match; the index's few thousand ids cost a key look-up each (warm: ~2 µs).
                        // One parameter holding the list (SQLite json_each, PostgreSQL an array): EF would otherwise
                        // send one parameter per id, and binding thousands by name costs more than the search.
                        cases = cases.Where(c => EF.Parameter(found).Contains(c.Id));
                    }
                    else
                    {
                        // The scan's plan: "Id + 0", a membership test against the town's own index, not a key
                        // look-up (the scan's match lists of a common word are long, and scattered reads cost more).
                        cases = cases.Where(c => EF.Parameter(found).Contains(c.Id + 0));
                    }
                }
                else if (byCode != 0)
                {
                    cases = cases.Where(c => matching.Contains(c.Id) || c.Id == byCode);
                }
                else
                {
                    cases = cases.Where(c => matching.Contains(c.Id));
                }
            }
            var from = RequestParsing.Date(errors, texts, "from", q.From);
            var to = RequestParsing.Date(errors, texts, "to", q.To);
            if (from is not null && to is not null && from > to)
            {
                errors.Add("from", texts["field.date-range"]);
            }
            if (from is { } f)
            {
                var fromUtc = due.EndOfLocalDay(f.AddDays(-1));
                cases = cases.Where(c => c.RegisteredAt >= fromUtc);
            }
            if (to is { } t)
            {
                var toUtc = due.EndOfLocalDay(t);
                cases = cases.Where(c => c.RegisteredAt < toUtc);
            }
            return cases;
        }

        public Task<CasePage> HandleAsync(Query q, CancellationToken ct) => HandleAsync(q, ct, total: null);

        /// <param name="total">The query's count when the caller already has it from elsewhere (the status counters:
        /// <see cref="Reports.CaseCounters.StatusCountAsync"/>): the page's total, instead of counting through the filters.</param>
        public async Task<CasePage> HandleAsync(Query q, CancellationToken ct, int? total)
        {
            var errors = new FieldErrors();
            var units = await org.GetAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;

            var page = 1;
            if (!string.IsNullOrWhiteSpace(q.Page) && (!int.TryParse(q.Page, out page) || page < 1))
            {
                errors.Add("page", texts["field.page"]);
            }
            else if (page > MaxPage)
            {
                errors.Add("page", texts.Format("field.page-max", MaxPage));
            }
            var pageSize = DefaultPageSize;
            if (!string.IsNullOrWhiteSpace(q.PageSize) && (!int.TryParse(q.PageSize, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                errors.Add("pageSize", texts.Format("field.page-size", MaxPageSize));
            }
            var order = Order(q, errors);
            errors.ThrowIfAny();

            List<long> pageIds;
            int count;
            var more = false;
            if (total is null && await FromIndexAsync(q, page, pageSize, ct) is { } fromIndex)
            {
                count = fromIndex.Total;
                pageIds = fromIndex.Ids;
                more = fromIndex.More;
            }
            else
            {
                var cases = await FilterAsync(q, errors, ct);
                errors.ThrowIfAny();
                // The total from the county counters where they hold it exactly (LedgerCounts), else one COUNT.
                count = total ?? await counts.CountAsync(q, ct) ?? await cases.CountAsync(ct);
                pageIds = count == 0 ? []
                    : await ByTownAsync(q, count, page, pageSize, ct)
                        // The page's ids first, then their rows (below): where an index holds the filters and the order
                        // (overdue by due date: TownId, Status, DueAt, SuspendedAt) the sort reads index entries only,
                        // not every matching row with all its columns (the county's 22,000 overdue cases for a page of 10).
                        ?? await order(cases).Skip(checked((int)((page - 1L) * pageSize))).Take(pageSize).Select(c => c.Id).ToListAsync(ct);
            }
            // The page's cases by key (the scope again, though the query above already applied it).
            var visible = (await user.AccessAsync(ct)).Visible(db.Cases.AsNoTracking());
            var pageCases = pageIds.Count == 0 ? visible.Where(c => false) : visible.Where(c => EF.Parameter(pageIds).Contains(c.Id));
            var rows = await pageCases
                .Select(c => new
                {
                    c.Id, c.TrackingCode, c.Title, c.Channel, c.Status, c.Track, c.Urgency, c.CategoryId, c.OrgUnitId,
                    c.AssigneeUnitId, c.RegisteredAt, c.DueAt, c.ResolvedAt, c.Outcome, c.Satisfaction, c.UpdatedAt,
                    c.SuspendedAt, c.SupervisionLevel, c.SupervisionDueAt, c.SuspensionReason, c.SuspensionRequestedAt, c.ExtensionRequestedDueAt,
                    c.ReminderCount, c.NoticeCount, c.ExtensionCount, c.SuspensionCount,
                })
                .ToListAsync(ct);
            var position = pageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            rows = [.. rows.OrderBy(c => position[c.Id])];
            // A suspension's reason is free text: phone numbers typed into it masked, and the codes of cases the reader may
            // not see hidden, as the timeline shows it (one look-up, only when a reason names a code).
            var mask = await TextMaskAsync(rows.Select(c => c.SuspensionReason), ct);
            var items = rows.Select(c => new CaseSummary(
                c.Id, c.TrackingCode, c.Title, c.Channel, c.Status, c.Track, c.Urgency, units.CategoryRef(c.CategoryId),
                units.Ref(c.OrgUnitId), units.Ref(c.AssigneeUnitId), c.RegisteredAt, c.DueAt, reader.DueDate(c.DueAt),
                Lifecycle.IsOverdue(c.Status, c.DueAt, now, c.SuspendedAt != null), c.ResolvedAt, c.Outcome, c.Satisfaction, c.UpdatedAt)
            {
                Suspended = c.SuspendedAt != null,
                Supervision = Lifecycle.IsOpen(c.Status) ? c.SupervisionLevel : null,
                SupervisionDate = Lifecycle.IsOpen(c.Status) && c.SupervisionLevel is not null && c.SupervisionDueAt is { } by ? reader.DueDate(by) : null,
                SupervisionOverdue = Lifecycle.IsOpen(c.Status) && c.SupervisionLevel is not null && c.SupervisionDueAt < now,
                SuspensionReason = mask(c.SuspensionReason),
                PendingRequest = c.ExtensionRequestedDueAt != null ? Deadlines.DeadlineRequestKind.Extension
                    : c.SuspensionRequestedAt != null ? Deadlines.DeadlineRequestKind.Suspension : null,
                ExtensionRequestedDate = c.ExtensionRequestedDueAt is { } asked ? reader.DueDate(asked) : null,
                // 须领导审批: a second extension or suspension, or an extension longer than the office may grant alone.
                DecisionNeedsLeader = (c.ExtensionRequestedDueAt is not null || c.SuspensionRequestedAt is not null)
                    && Deadlines.DeadlineState.ApprovalNeedsLeader(c.ExtensionRequestedDueAt is not null, c.ExtensionCount, c.SuspensionCount,
                        c.ExtensionRequestedDueAt is { } longAsked && reader.ExtensionNeedsLeader(longAsked, c.DueAt)),
                Reminders = c.ReminderCount,
                Notices = c.NoticeCount,
            }).ToList();
            return new CasePage(items, count, page, pageSize) { MoreThanTotal = more };
        }

        /// <summary>Pages deeper than this many rows are never merged town by town (each town would give this many).</summary>
        public const int MaxMergedRows = 1_000;

        /// <summary>
        /// The page's ids merged from each town's own newest (or oldest) rows, when the caller reads many whole towns,
        /// the order is by registration (the ledger's default) and the filters match many of their cases; null when
        /// the ledger's one query is the cheaper plan.
        /// <para>
        /// Why: every index of "Cases" leads with the town, so "TownId IN (40 towns) … ORDER BY RegisteredAt DESC
        /// LIMIT 20" has no index in that order: the database reads every matching case of the county and sorts them
        /// (the county's 900,000 followed-up cases for a page of 20). Each town's cases are in that order in
        /// (TownId, RegisteredAt): one statement, a UNION ALL of "this town's first <c>page × size</c>", walks each
        /// town's index only until it has them, and the page is the first of those merged. Reads ≈ towns × rows ×
        /// (scope ÷ matches), so it is chosen only when that is less than the matches the one query would sort:
        /// matches² &gt; towns × rows × scope (the scope's size from the status counters). SQLite is told the index
        /// (<c>INDEXED BY</c>): left to itself it takes the filter's own index (a town's 2,500 hotline cases, or its
        /// 22,000 followed-up ones) and sorts them. Same rows in the same order (the ledger's id tie-break:
        /// <c>LedgerCountsTests</c>).
        /// </para>
        /// </summary>
        private async Task<List<long>?> ByTownAsync(Query q, int count, int page, int pageSize, CancellationToken ct)
        {
            var need = page * (long)pageSize;
            var field = SortField(q, out var descending);
            if (need > MaxMergedRows || field != "registeredat" || !string.IsNullOrWhiteSpace(q.Q)
                || (await user.AccessAsync(ct)).AreaScope(Domain.Access.Permission.ReadCases) is not { Units.Length: 0, WholeTowns: { Length: >= 2 } towns })
            {
                return null;
            }
            // A one-value filter whose own index ends with RegisteredAt gives each town's rows in order from that index: the
            // merge reads towns × rows entries, the one query every match (sorted); otherwise the estimate above.
            var splits = OrderedSplits(q, dateRange: !db.Database.IsSqlite());
            if (splits is not null ? count <= (long)towns.Length * splits.Count * need
                : await ScopeSizeAsync(towns, ct) is not { } size || (double)count * count <= (double)towns.Length * need * size)
            {
                return null;
            }
            var order = Order(q, new FieldErrors());
            IQueryable<MergeKey>? keysQuery = null;
            if (!db.Database.IsSqlite())
            {
                // PostgreSQL: one LATERAL subquery per part, "for each of these towns, its first rows": planned once and
                // run per town (a 40-part UNION ALL of the same statement took 7–10 ms to plan and 4–5 to run; this form
                // 0.3 ms and 2 ms, the same rows: docs/BENCHMARKS.md).
                foreach (var part in splits ?? [q])
                {
                    var errors = new FieldErrors();
                    // Each town is one of the caller's whole towns (AreaScope: no units beyond them, nothing reached by
                    // assignment), so its cases are in scope: no second scope condition.
                    var filtered = await FilterAsync(part, errors, ct, db.Cases.AsNoTracking(), inScope: true);
                    errors.ThrowIfAny();
                    var piece = db.OrgUnits.Where(u => towns.Contains(u.Id)).SelectMany(PerTown(order, filtered, (int)need));
                    keysQuery = keysQuery is null ? piece : keysQuery.Concat(piece);
                }
            }
            else
            {
                // SQLite is told the index unless the filter splits into values of a column whose own index ends with
                // RegisteredAt (channel, outcome, satisfaction, track, urgency × category, late: OrderedSplits): then each
                // town's newest matches are that index's last entries, 20 read per town and value, where (TownId,
                // RegisteredAt) reads every newer case's row to test it (the county's 63,000 partly solved cases: 60 ms
                // of row reads for a page of 20).
                var hint = splits is null ? "IX_Cases_TownId_RegisteredAt" : Late(q) ? "IX_Cases_Late_TownId_RegisteredAt" : null;
                foreach (var town in towns.Order())
                {
                    // One part per value of an ordered filter (disjoint: a case has one channel), each read in its index's order.
                    foreach (var part in splits ?? [q])
                    {
                        var source = hint is not null
                            // The town's id is a number from the directory, never the caller's text.
                            ? db.Cases.FromSqlRaw(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                                $"SELECT * FROM \"Cases\" INDEXED BY \"{hint}\" WHERE \"TownId\" = {town}")).AsNoTracking()
                            : db.Cases.AsNoTracking().Where(c => c.TownId == town);
                        var errors = new FieldErrors();
                        // The town is one of the caller's whole towns (AreaScope: no units beyond them, nothing reached by
                        // assignment), so its cases are in scope: no second scope condition.
                        var filtered = await FilterAsync(part, errors, ct, source, inScope: true);
                        errors.ThrowIfAny();
                        var piece = order(filtered.Where(c => c.TownId == town)).Take((int)need).Select(c => new MergeKey { Id = c.Id, RegisteredAt = c.RegisteredAt });
                        keysQuery = keysQuery is null ? piece : keysQuery.Concat(piece);
                    }
                }
            }
            var keys = await keysQuery!.ToListAsync(ct);
            var sorted = descending
                ? keys.OrderByDescending(k => k.RegisteredAt).ThenByDescending(k => k.Id)
                : keys.OrderBy(k => k.RegisteredAt).ThenBy(k => k.Id);
            return [.. sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(k => k.Id)];
        }

        /// <summary>
        /// "This town's first <paramref name="take"/> keys of <paramref name="filtered"/> in the ledger's order", as a
        /// function of the town (a unit) that a SelectMany correlates: EF Core makes it PostgreSQL's
        /// <c>JOIN LATERAL (… WHERE "TownId" = o."Id" + @Zero ORDER BY … LIMIT n) ON TRUE</c>. The order is applied to a
        /// query on a placeholder town, whose id is then replaced by the unit's in the expression.
        /// </summary>
        private static Expression<Func<OrgUnit, IEnumerable<MergeKey>>> PerTown(
            Func<IQueryable<Case>, IQueryable<Case>> order, IQueryable<Case> filtered, int take)
        {
            var placeholder = new TownPlaceholder();
            var query = order(filtered.Where(c => c.TownId == placeholder.Id)).Take(take)
                .Select(c => new MergeKey { Id = c.Id, RegisteredAt = c.RegisteredAt });
            var unit = Expression.Parameter(typeof(OrgUnit), "u");
            // u.Id + @zero, not u.Id: EF Core turns a correlation on a bare column into a join on ROW_NUMBER() over every
            // matching case of the county (1 s), where an expression keeps it a LATERAL subquery run per town.
            var town = Expression.Add(Expression.Property(unit, nameof(OrgUnit.Id)), Expression.Property(Expression.Constant(placeholder), nameof(TownPlaceholder.Zero)));
            var body = new PlaceholderToUnit(town).Visit(query.Expression);
            return Expression.Lambda<Func<OrgUnit, IEnumerable<MergeKey>>>(body, unit);
        }

        /// <summary>The town a per-town query is written for before it is correlated (<see cref="PerTown"/>).</summary>
        private sealed class TownPlaceholder
        {
            public long Id { get; } = -1;

            /// <summary>Added to the unit's id (a parameter to EF Core, so it stays in the statement).</summary>
            public long Zero { get; }
        }

        /// <summary>Replaces the placeholder's town id with the correlated unit's id.</summary>
        private sealed class PlaceholderToUnit(Expression unitId) : ExpressionVisitor
        {
            // The query reads the placeholder's id through the closure that captured it; nothing else in it is a placeholder.
            protected override Expression VisitMember(MemberExpression node) =>
                node.Member.DeclaringType == typeof(TownPlaceholder) && node.Member.Name == nameof(TownPlaceholder.Id) ? unitId : base.VisitMember(node);
        }

        /// <summary>
        /// When the query filters only channel, outcome, satisfaction or track, or only urgency with category, by up to
        /// <see cref="MaxOrderedSplits"/> values (combinations): the query once per value, each one value of a column whose
        /// index (TownId, X[, Y], RegisteredAt) holds each town's matches in the ledger's order; with or without a registration
        /// date range (from, to), which alone is one part read from (TownId, RegisteredAt), where <paramref name="dateRange"/>
        /// (PostgreSQL). Null otherwise.
        /// </summary>
        private static List<Query>? OrderedSplits(Query q, bool dateRange)
        {
            // A registration date range (from, to) keeps any of these in order: each index ends with RegisteredAt. PostgreSQL
            // only: SQLite reads and sorts a county month's 28,000 entries of (TownId, RegisteredAt) in 6 ms, and its
            // 40-town merge of the same page took 30 ms.
            var bare = dateRange ? q with { Page = null, PageSize = null, Sort = null, From = null, To = null }
                : q with { Page = null, PageSize = null, Sort = null };
            static string[] Values(string? value) => [.. Split(value).Distinct(StringComparer.OrdinalIgnoreCase)];
            List<Query>? parts = null;
            if (Values(q.Channel) is { Length: > 0 } channels && bare with { Channel = null } == new Query())
            {
                parts = [.. channels.Select(v => q with { Channel = v })];
            }
            else if (Values(q.Outcome) is { Length: > 0 } outcomes && bare with { Outcome = null } == new Query())
            {
                parts = [.. outcomes.Select(v => q with { Outcome = v })];
            }
            else if (Values(q.Satisfaction) is { Length: > 0 } verdicts && bare with { Satisfaction = null } == new Query())
            {
                parts = [.. verdicts.Select(v => q with { Satisfaction = v })];
            }
            else if (Values(q.Track) is { Length: > 0 } tracks && bare with { Track = null } == new Query())
            {
                parts = [.. tracks.Select(v => q with { Track = v })];
            }
            else if (Values(q.Urgency) is { Length: > 0 } urgencies && Values(q.Category) is { Length: > 0 } categories
                && bare with { Urgency = null, Category = null } == new Query())
            {
                parts = [.. urgencies.SelectMany(u => categories.Select(k => q with { Urgency = u, Category = k }))];
            }
            else if (Late(q) && bare with { OnTime = null } == new Query())
            {
                // Resolved late: (TownId, RegisteredAt) WHERE ResolvedAt >= DueAt holds only them, in the ledger's order.
                parts = [q];
            }
            else if (dateRange && (!string.IsNullOrWhiteSpace(q.From) || !string.IsNullOrWhiteSpace(q.To)) && bare == new Query())
            {
                // A month's cases (the list the town sends upward), from (TownId, RegisteredAt) itself: the county's 28,000 of
                // a month were read and sorted for a page of 100 (PostgreSQL: 36 ms), where each town's newest 100 are its last entries.
                parts = [q];
            }
            return parts is { Count: > 0 and <= MaxOrderedSplits } ? parts : null;
        }

        /// <summary>Whether the query asks for the cases resolved late (on time = no).</summary>
        private static bool Late(Query q) => q.OnTime?.Trim().ToLowerInvariant() == "false";

        /// <summary>The most parts <see cref="OrderedSplits"/> makes (each town reads each part's first rows).</summary>
        private const int MaxOrderedSplits = 4;

        /// <summary>The number of cases in these towns (status counters), remembered a minute: it only chooses a plan.</summary>
        private async Task<int?> ScopeSizeAsync(long[] towns, CancellationToken ct)
        {
            var key = string.Join(',', towns.Order());
            var now = Environment.TickCount64;
            if (ScopeSizes.TryGetValue(key, out var known) && now - known.At < 60_000)
            {
                return known.Size;
            }
            var size = await counters.StatusCountAsync(Enum.GetValues<CaseStatus>(), ct);
            if (size is { } s)
            {
                if (ScopeSizes.Count > 1_000)
                {
                    ScopeSizes.Clear();
                }
                ScopeSizes[key] = (s, now);
            }
            return size;
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Size, long At)> ScopeSizes = new();

        /// <summary>A candidate row of a merged page: its id and registration time.</summary>
        private sealed class MergeKey
        {
            public long Id { get; init; }
            public DateTime RegisteredAt { get; init; }
        }

        /// <summary>
        /// A text search alone (no other filter, the default order or -id) in a scope the index itself holds
        /// (whole towns: up to four as town tokens, or every town): the page's ids and the total straight from
        /// the full-text index, so only the page's rows are read. Null when the ledger's own query must run.
        /// Measured at 1,000,000 cases: docs/BENCHMARKS.md, Findings, "Full-text search".
        /// </summary>
        private async Task<(List<long> Ids, int Total, bool More)?> FromIndexAsync(Query q, int page, int pageSize, CancellationToken ct)
        {
            if (!backfill.Ready || string.IsNullOrWhiteSpace(q.Q)
                || q with { Q = null, Page = null, PageSize = null, Sort = null } != new Query()
                || !(string.IsNullOrWhiteSpace(q.Sort) || q.Sort.Trim() == "-id"))
            {
                return null;
            }
            var text = q.Q.Trim();
            var check = new FieldErrors();
            if (!RequestParsing.Printable(check, texts, "q", text) || TrackingCodes.Normalize(text) is not null)
            {
                return null; // the field error, or a tracking code's look-up, comes from the ledger's own query
            }
            var terms = SearchGrams.Query(text);
            if (terms.Count == 0)
            {
                return null;
            }
            var access = await user.AccessAsync(ct);
            if (access.AreaScope(Domain.Access.Permission.ReadCases) is not { Units.Length: 0, WholeTowns: { Length: > 0 } towns })
            {
                return null;
            }
            long[]? tokens;
            if (SearchIndex.TownsInIndex(towns.Length))
            {
                tokens = towns;
            }
            else
            {
                var units = await org.GetAsync(ct);
                var allTowns = units.UnitsById.Values.Where(u => u.Kind == Domain.Organization.OrgUnitKind.Town).Select(u => u.Id);
                if (!allTowns.All(towns.Contains))
                {
                    return null; // many towns but not all: the ledger's scope filter
                }
                tokens = null; // every case is in one of the county's towns
            }
            // Counted up to the limit: an exact count of a common word at county scope reads every match (PostgreSQL: the
            // heap row of each of 200,000 matches, over a second), and "more than 2,000" is all a reader can use of it.
            var limit = options.SearchCountLimit > 0 ? options.SearchCountLimit : int.MaxValue - 1L;
            var (ids, total) = await SearchIndex.PageAndCountAsync(db, terms, tokens, checked((int)((page - 1L) * pageSize)), pageSize, limit, ct);
            return total > limit ? (ids, (int)limit, true) : (ids, total, false);
        }

        private TEnum[]? Many<TEnum>(FieldErrors errors, string field, string? value) where TEnum : struct, Enum
        {
            // "status=,," names no status: no filter, rather than a filter that matches nothing.
            if (Split(value) is not { Length: > 0 } parts)
            {
                return null;
            }
            var parsed = new List<TEnum>();
            foreach (var part in parts)
            {
                if (RequestParsing.Enum<TEnum>(errors, texts, field, part) is { } v)
                {
                    parsed.Add(v);
                }
            }
            // None valid: the field errors say so (and are thrown before any query); no filter to build.
            return parsed.Count == 0 ? null : [.. parsed];
        }

        private static string[] Split(string? value) =>
            value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        /// <summary>
        /// The order the filters ask for (<c>sort</c>, newest first by default), a field error when it
        /// names no sortable field. The export and the print view list in the ledger's order through this.
        /// </summary>
        public Func<IQueryable<Case>, IQueryable<Case>> Order(Query q, FieldErrors errors)
        {
            var field = SortField(q, out var descending);
            if (!SortFields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add("sort", texts.Format("field.sort", string.Join(", ", SortFields.Select(s => s + ", -" + s))));
            }
            return cases => Sorted(cases, field, descending);
        }

        /// <summary>The field the ledger sorts by (lower case, as <see cref="Sorted"/> reads it) and its direction.</summary>
        private static string SortField(Query q, out bool descending)
        {
            // With a text search the default is the newest registered first by id (the order the full-text
            // index keeps, so a page comes from it alone); imported historical cases stand by their import.
            var sort = string.IsNullOrWhiteSpace(q.Sort) ? (string.IsNullOrWhiteSpace(q.Q) ? "-registeredAt" : "-id") : q.Sort.Trim();
            // One optional leading '-' for descending; nothing else before the field's name.
            descending = sort.StartsWith('-');
            return (descending ? sort[1..] : sort).ToLowerInvariant();
        }

        private static IQueryable<Case> Sorted(IQueryable<Case> cases, string field, bool descending)
        {
            IOrderedQueryable<Case> ordered = (field, descending) switch
            {
                ("dueat", false) => cases.OrderBy(c => c.DueAt),
                ("dueat", true) => cases.OrderByDescending(c => c.DueAt),
                ("updatedat", false) => cases.OrderBy(c => c.UpdatedAt),
                ("updatedat", true) => cases.OrderByDescending(c => c.UpdatedAt),
                ("urgency", false) => cases.OrderBy(c => c.Urgency == Urgency.Urgent ? 0 : c.Urgency == Urgency.High ? 1 : c.Urgency == Urgency.Normal ? 2 : 3),
                ("urgency", true) => cases.OrderByDescending(c => c.Urgency == Urgency.Urgent ? 0 : c.Urgency == Urgency.High ? 1 : c.Urgency == Urgency.Normal ? 2 : 3),
                // 督办期限: the supervision's own deadline; cases without one after those with one, either way.
                ("supervisiondueat", false) => cases.OrderBy(c => c.SupervisionDueAt == null).ThenBy(c => c.SupervisionDueAt),
                ("supervisiondueat", true) => cases.OrderBy(c => c.SupervisionDueAt == null).ThenByDescending(c => c.SupervisionDueAt),
                ("id", false) => cases.OrderBy(c => c.Id),
                ("id", true) => cases.OrderByDescending(c => c.Id),
                (_, false) => cases.OrderBy(c => c.RegisteredAt),
                (_, true) => cases.OrderByDescending(c => c.RegisteredAt),
            };
            // A stable order, so that pages neither repeat nor skip rows.
            return descending ? ordered.ThenByDescending(c => c.Id) : ordered.ThenBy(c => c.Id);
        }
    }

    public static async Task<Ok<CasePage>> Endpoint([AsParameters] Query query, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(query, ct));
}
