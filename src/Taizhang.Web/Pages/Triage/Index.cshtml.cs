using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Triage;

/// <summary>
/// 分流: the cases waiting for triage, oldest first, each with one form to triage it and the open
/// cases it may duplicate (归纳整理). Every action goes through the same handler as the API.
/// </summary>
public sealed class IndexModel(CurrentUser user, OrgDirectory org, TaizhangDb db, DuePolicy due, TimeProvider clock, Texts texts) : StaffPage
{
    public const int PageSize = 20;

    /// <summary>Bounds the one query that feeds the duplicate suggestions of a page.</summary>
    public const int MaxCandidates = 3000;

    public const int SuggestionWindowDays = 90;
    public const int MaxSuggestions = 3;
    public const int ExcerptLength = 80;

    /// <summary>States whose cases wait for triage (Triaged cases may be re-triaged, but they are not waiting).</summary>
    public static readonly CaseStatus[] Waiting = [CaseStatus.Registered, CaseStatus.Returned, CaseStatus.Reopened];

    /// <summary>The page number ("p": Razor Pages keeps "page" for itself).</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public int Total { get; private set; }
    public int LastPage { get; private set; } = 1;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];

    /// <summary>The units that may handle cases of each town on the page.</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<UnitInfo>> HandlingUnits { get; private set; } = new Dictionary<long, IReadOnlyList<UnitInfo>>();

    public string Today { get; private set; } = "";

    /// <summary>After a refusal: which case and which of its forms, with what was posted.</summary>
    public long? FailedCaseId { get; private set; }
    public string? FailedForm { get; private set; }
    public TriageForm? PostedTriage { get; private set; }
    public RejectForm? PostedReject { get; private set; }

    public sealed record Row(
        long Id, long TownId, string TrackingCode, DateTime RegisteredAt, Channel Channel, string Village, string Title,
        string Excerpt, Urgency Urgency, string? CategoryCode, string? CategoryName, CaseStatus Status, DateTime DueAt,
        bool MayMerge, bool MayReject, IReadOnlyList<Suggestion> Suggestions);

    public sealed record Suggestion(long Id, string TrackingCode, string Title, CaseStatus Status, int Percent);

    public sealed class TriageForm
    {
        public long CaseId { get; set; }
        public string? Track { get; set; }
        public string? Urgency { get; set; }
        public string? Category { get; set; }
        public string? AssigneeUnit { get; set; }
        public string? DueDate { get; set; }
    }

    public sealed class MergeForm
    {
        public long CaseId { get; set; }
        public long? Into { get; set; }
    }

    public sealed class RejectForm
    {
        public long CaseId { get; set; }
        public string? Reason { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTriageAsync([Bind(Prefix = "Triage")] TriageForm form, [FromServices] TriageCase.Handler triage, CancellationToken ct)
    {
        await EnsureMayTriageAsync(ct);
        CaseDetail? done = null;
        var request = new TriageCase.Request(form.Track, form.Urgency, form.Category, form.AssigneeUnit, form.DueDate);
        if (await TryAsync(async () => done = await triage.HandleAsync(form.CaseId, request, ct), "Triage."))
        {
            return Done(texts.Format("triage.done", done!.TrackingCode), Here());
        }
        (FailedCaseId, FailedForm, PostedTriage) = (form.CaseId, "Triage", form);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMergeAsync([Bind(Prefix = "Merge")] MergeForm form, [FromServices] MergeCase.Handler merge, CancellationToken ct)
    {
        var access = await EnsureMayTriageAsync(ct);
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await merge.HandleAsync(form.CaseId, new MergeCase.Request(form.Into, null), ct), "Merge."))
        {
            var into = await access.Visible(db.Cases.AsNoTracking()).Where(c => c.Id == form.Into)
                .Select(c => c.TrackingCode).FirstOrDefaultAsync(ct);
            return Done(texts.Format("triage.merged", done!.TrackingCode, into ?? ""), Here());
        }
        (FailedCaseId, FailedForm) = (form.CaseId, "Merge");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync([Bind(Prefix = "Reject")] RejectForm form, [FromServices] RejectCase.Handler reject, CancellationToken ct)
    {
        await EnsureMayTriageAsync(ct);
        CaseDetail? done = null;
        if (await TryAsync(async () => done = await reject.HandleAsync(form.CaseId, new RejectCase.Request(form.Reason), ct), "Reject."))
        {
            return Done(texts.Format("triage.rejected", done!.TrackingCode), Here());
        }
        (FailedCaseId, FailedForm, PostedReject) = (form.CaseId, "Reject", form);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The first message for a field of the refused form ("AssigneeUnit" → "Triage.AssigneeUnit"), when <paramref name="caseId"/> is the refused case.</summary>
    public string? ErrorFor(long caseId, string form, string field) =>
        FailedCaseId == caseId && FailedForm == form && ModelState.TryGetValue(form + "." + field, out var entry) && entry.Errors.Count > 0
            ? entry.Errors[0].ErrorMessage
            : null;

    /// <summary>Messages of the refusal that no field shows (a state conflict, a merge target that closed …).</summary>
    public IReadOnlyList<string> OtherErrors(long? caseId)
    {
        if (FailedCaseId is null || (caseId is not null && caseId != FailedCaseId))
        {
            return [];
        }
        var shown = FailedForm switch
        {
            "Triage" => new[] { "Triage.Track", "Triage.Urgency", "Triage.Category", "Triage.AssigneeUnit", "Triage.DueDate" },
            "Reject" => ["Reject.Reason"],
            _ => [],
        };
        return ModelState
            .Where(kv => !shown.Contains(kv.Key, StringComparer.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
            .Where(m => !string.IsNullOrEmpty(m))
            .ToList();
    }

    /// <summary>Whether the refused case is on this page; if not, its messages are shown above the queue.</summary>
    public bool FailedRowShown => FailedCaseId is { } id && Rows.Any(r => r.Id == id);

    public string PageUrl(int page) => page <= 1 ? "/triage" : "/triage?p=" + page.ToString(CultureInfo.InvariantCulture);

    public string HandlerUrl(string handler) => $"/triage?handler={handler}&p={PageNumber.ToString(CultureInfo.InvariantCulture)}";

    private string Here() => PageUrl(PageNumber);

    private async Task<CaseAccess> EnsureMayTriageAsync(CancellationToken ct)
    {
        var access = await user.AccessAsync(ct);
        if (!access.HasAnywhere(Permission.Triage))
        {
            throw new ForbiddenException();
        }
        return access;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var access = await EnsureMayTriageAsync(ct);
        var units = await org.GetAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        Today = due.LocalDate(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Categories = units.Categories.OrderBy(c => c.Id).ToList();

        var queue = Triageable(access, units, access.Visible(db.Cases.AsNoTracking())).Where(c => Waiting.Contains(c.Status));
        Total = await queue.CountAsync(ct);
        LastPage = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, LastPage);
        var rows = Total == 0
            ? []
            : await queue.OrderBy(c => c.RegisteredAt).ThenBy(c => c.Id)
                .Skip((PageNumber - 1) * PageSize).Take(PageSize)
                .Select(c => new
                {
                    c.Id, c.TownId, c.TrackingCode, c.RegisteredAt, c.Channel, c.OrgUnitId, c.AssigneeUnitId, c.Title,
                    Description = c.Description.Substring(0, TextSimilarity.DescriptionPrefix),
                    c.Urgency, c.CategoryId, c.Status, c.DueAt,
                })
                .ToListAsync(ct);

        var mayMerge = rows.ToDictionary(r => r.Id, r =>
            Case.AllowedActions(r.Status).Contains(CaseAction.Merge) && access.Can(Permission.Merge, r.OrgUnitId, r.AssigneeUnitId));
        var suggestions = await SuggestAsync(access, now,
            rows.Where(r => mayMerge[r.Id]).Select(r => (r.Id, r.TownId, r.Title, r.Description)).ToList(), ct);

        Rows = rows.Select(r => new Row(
            r.Id, r.TownId, r.TrackingCode, r.RegisteredAt, r.Channel, units.Ref(r.OrgUnitId)?.Name ?? "", r.Title,
            Excerpt(r.Description), r.Urgency, units.CategoryRef(r.CategoryId)?.Code, units.CategoryRef(r.CategoryId)?.Name,
            r.Status, r.DueAt, mayMerge[r.Id],
            Case.AllowedActions(r.Status).Contains(CaseAction.Reject) && access.Can(Permission.Reject, r.OrgUnitId, r.AssigneeUnitId),
            suggestions.TryGetValue(r.Id, out var s) ? s : [])).ToList();

        HandlingUnits = Rows.Select(r => r.TownId).Distinct().ToDictionary(town => town, town => units.HandlersFor(town));
    }

    private static string Excerpt(string description)
    {
        var flat = string.Join(' ', description.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return flat.Length <= ExcerptLength ? flat : flat[..ExcerptLength] + "…";
    }

    /// <summary>The cases a post may triage: where its Triage permission reaches.</summary>
    private static IQueryable<Case> Triageable(CaseAccess access, OrgDirectory.Snapshot units, IQueryable<Case> cases)
    {
        var posts = access.Principal.Posts.Where(p => Permissions.Allows(p.Role, Permission.Triage)).ToList();
        var area = posts.Where(p => Permissions.Scope(p.Role) is ScopeKind.Area or ScopeKind.AreaOrAssigned)
            .SelectMany(p => units.SelfAndDescendants(p.Unit)).Distinct().ToArray();
        var assigned = posts.Where(p => Permissions.Scope(p.Role) is ScopeKind.Assigned or ScopeKind.AreaOrAssigned)
            .SelectMany(p => units.SelfAndDescendants(p.Unit)).Distinct().Select(i => (long?)i).ToArray();
        return cases.Where(c => area.Contains(c.OrgUnitId) || assigned.Contains(c.AssigneeUnitId));
    }

    /// <summary>
    /// Up to three open cases of the same town, registered in the last 90 days, that read like
    /// each queued case: one bounded query for the whole page, compared in memory.
    /// </summary>
    private async Task<Dictionary<long, IReadOnlyList<Suggestion>>> SuggestAsync(
        CaseAccess access, DateTime now, IReadOnlyList<(long Id, long TownId, string Title, string Description)> queued, CancellationToken ct)
    {
        var result = new Dictionary<long, IReadOnlyList<Suggestion>>();
        if (queued.Count == 0)
        {
            return result;
        }
        var towns = queued.Select(q => q.TownId).Distinct().ToArray();
        var since = now.AddDays(-SuggestionWindowDays);
        var open = Case.OpenStatuses.ToArray();
        var candidates = await access.Visible(db.Cases.AsNoTracking())
            .Where(c => towns.Contains(c.TownId) && open.Contains(c.Status) && c.RegisteredAt >= since)
            .OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id)
            .Take(MaxCandidates)
            .Select(c => new
            {
                c.Id, c.TownId, c.TrackingCode, c.Title, Description = c.Description.Substring(0, TextSimilarity.DescriptionPrefix),
                c.Status, c.OrgUnitId, c.AssigneeUnitId,
            })
            .ToListAsync(ct);
        // Only cases the user may merge into are offered: the merge would refuse the others.
        var profiled = candidates
            .Where(c => access.Can(Permission.Merge, c.OrgUnitId, c.AssigneeUnitId))
            .Select(c => (c.Id, c.TownId, c.TrackingCode, c.Title, c.Status, Matter: TextSimilarity.Matter.Of(c.Title, c.Description)))
            .ToList();
        foreach (var q in queued)
        {
            var matter = TextSimilarity.Matter.Of(q.Title, q.Description);
            var best = profiled
                .Where(c => c.TownId == q.TownId && c.Id != q.Id)
                .Select(c => (c.Id, c.TrackingCode, c.Title, c.Status, Score: TextSimilarity.Score(matter, c.Matter)))
                .Where(c => c.Score >= TextSimilarity.SuggestThreshold)
                .OrderByDescending(c => c.Score).ThenBy(c => c.Id)
                .Take(MaxSuggestions)
                .Select(c => new Suggestion(c.Id, c.TrackingCode, c.Title, c.Status, (int)Math.Round(c.Score * 100)))
                .ToList();
            if (best.Count > 0)
            {
                result[q.Id] = best;
            }
        }
        return result;
    }
}
