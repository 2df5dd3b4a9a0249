using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Hotline;

/// <summary>
/// 来电登记: an operator registers a call in seconds, keyboard only, and sees the caller's earlier
/// cases while typing the number. The form's field names are short (phone, name …) so that the
/// no-JavaScript lookup, a GET of the same form, keeps what was typed.
/// </summary>
public sealed class IndexModel(CurrentUser user, OrgDirectory org, TaizhangDb db, Texts texts) : StaffPage
{
    public const int HistoryLimit = 20;

    [BindProperty(SupportsGet = true)]
    public string? Phone { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Name { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? OrgUnit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Urgency { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Title { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Description { get; set; }

    /// <summary>The Idempotency-Key of this form: made when the empty form is shown, so a resubmit replays the same case.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Key { get; set; }

    /// <summary>The case just registered, shown once after the redirect.</summary>
    public string? RegisteredCode { get; private set; }

    public string? RegisteredCaseId { get; private set; }

    // Set through the dictionary, not [TempData] properties: a replayed post (double submit) sets
    // the same value the request loaded, which a property would treat as unchanged and drop.
    private const string CodeKey = "hotline.registered-code";
    private const string CaseIdKey = "hotline.registered-id";

    public IReadOnlyList<UnitOption> Units { get; private set; } = [];

    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];

    public CallerHistory? History { get; private set; }

    public sealed record UnitOption(string Code, string Name, string? Group);

    public sealed record HistoryItem(long Id, string TrackingCode, DateTime RegisteredAt, string Title, CaseStatus Status);

    /// <summary>The caller's earlier cases; <see cref="BadPhone"/> when the number cannot be a phone number yet.</summary>
    public sealed record CallerHistory(IReadOnlyList<HistoryItem> Items, int Total, bool BadPhone);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        RegisteredCode = TempData[CodeKey] as string;
        RegisteredCaseId = TempData[CaseIdKey] as string;
        Urgency ??= nameof(Domain.Cases.Urgency.Normal);
        Key ??= Guid.NewGuid().ToString("N");
        if (Units.Count == 1)
        {
            OrgUnit ??= Units[0].Code;
        }
        if (!string.IsNullOrWhiteSpace(Phone))
        {
            History = await FindHistoryAsync(Phone, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] RegisterCase.Handler register, CancellationToken ct)
    {
        await PrepareAsync(ct);
        Key = string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString("N") : Key;
        var request = new RegisterCase.Request(
            nameof(Channel.Hotline), Title, Description,
            string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Phone) ? null : new RegisterCase.ReporterBody(Name, Phone),
            OrgUnit, Category, Urgency, Location: null, ExternalRef: null, MeetingId: null);
        RegisterCase.Outcome? outcome = null;
        var keyReused = false;
        if (!await TryAsync(async () =>
            {
                try
                {
                    outcome = await register.HandleAsync(request, Key, ct);
                }
                catch (Domain.DomainRuleException e) when (e.Code == "intake.idempotency-key-reused")
                {
                    keyReused = true;
                    throw;
                }
            }))
        {
            if (keyReused)
            {
                // The form was sent again with different content (Back, edit, submit): that is
                // another call only if the operator says so by submitting once more, with a new key.
                ModelState.Remove(string.Empty);
                ModelState.AddModelError(string.Empty, texts["hotline.key-reused"]);
                Key = Guid.NewGuid().ToString("N");
            }
            if (!string.IsNullOrWhiteSpace(Phone))
            {
                History = await FindHistoryAsync(Phone, ct);
            }
            return Page();
        }
        TempData[CodeKey] = outcome!.Case.TrackingCode;
        TempData[CaseIdKey] = outcome.Case.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LocalRedirect("/hotline");
    }

    /// <summary>GET /hotline/callers?phone=: the caller's history as an HTML fragment for the live lookup.</summary>
    public async Task<IActionResult> OnGetCallersAsync(CancellationToken ct)
    {
        await EnsureMayRegisterAsync(ct);
        History = await FindHistoryAsync(Phone, ct);
        return Partial("_CallerHistory", History);
    }

    /// <summary>Messages that belong to no field on the form (a reused key, the intake queue being full …).</summary>
    public IEnumerable<string> OtherErrors() => ModelState
        .Where(kv => !FormFields.Contains(kv.Key))
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    private static readonly HashSet<string> FormFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Reporter.Phone", "Reporter.Name", "Reporter", "OrgUnit", "Category", "Urgency", "Title", "Description",
        "Phone", "Name", "Key",
    };

    private async Task<CaseAccess> EnsureMayRegisterAsync(CancellationToken ct)
    {
        var access = await user.AccessAsync(ct);
        if (!access.HasAnywhere(Permission.Register))
        {
            throw new ForbiddenException();
        }
        return access;
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        var access = await EnsureMayRegisterAsync(ct);
        var units = await org.GetAsync(ct);
        var mine = units.Units
            .Where(u => u.CanOwnCases && u.TownId is not null && access.CanRegisterAt(u))
            .Order(OrgDirectory.Snapshot.TreeOrder)
            .ToList();
        // Villages and communities head a group with their 组; the town itself stands alone.
        Units = mine.Select(u => new UnitOption(u.Code, u.Name, VillageOf(u, units)?.Name)).ToList();
        Categories = units.Categories.OrderBy(c => c.Id).ToList();
    }

    private static UnitInfo? VillageOf(UnitInfo unit, OrgDirectory.Snapshot units)
    {
        for (var u = unit; u is not null; u = u.ParentId is { } p && units.UnitsById.TryGetValue(p, out var parent) ? parent : null)
        {
            if (u.Kind is OrgUnitKind.Village or OrgUnitKind.Community)
            {
                return u;
            }
        }
        return null;
    }

    /// <summary>
    /// Exact match on the number as registration stores it, within what the user may see. The
    /// reporters' (town, phone) index answers it: the towns of the user's scope are named.
    /// </summary>
    private async Task<CallerHistory> FindHistoryAsync(string? raw, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var phone = RequestParsing.Phone(errors, texts, "phone", raw);
        if (phone is null)
        {
            return new CallerHistory([], 0, BadPhone: true);
        }
        var access = await user.AccessAsync(ct);
        var towns = access.TownIds;
        var reporters = db.CaseReporters.AsNoTracking().Where(r => r.Phone == phone);
        if (towns is not null)
        {
            reporters = reporters.Where(r => towns.Contains(r.TownId));
        }
        var caseIds = reporters.Select(r => r.CaseId);
        var cases = access.Visible(db.Cases.AsNoTracking()).Where(c => caseIds.Contains(c.Id));
        var total = await cases.CountAsync(ct);
        var items = total == 0
            ? []
            : await cases.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Take(HistoryLimit)
                .Select(c => new HistoryItem(c.Id, c.TrackingCode, c.RegisteredAt, c.Title, c.Status))
                .ToListAsync(ct);
        return new CallerHistory(items, total, BadPhone: false);
    }
}
