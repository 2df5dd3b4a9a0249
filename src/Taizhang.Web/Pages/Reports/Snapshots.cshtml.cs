using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Reports.Snapshots;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Pages.Shared;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// 月报封存 (/reports/snapshots): the frozen months of the towns the reader sees whole, each with its seal's state; a
/// form that freezes a closed month of a town (for who may: <see cref="SnapshotAccess"/>, town staff and leaders);
/// and a check of one frozen month on a POST (it recomputes the month from the event log, so never on a GET). The
/// same handlers as /api/v1/reports/snapshots, under the same per-account limit as the reports (a check replays a month).
/// </summary>
[Requires(Permission.ReadCases)]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Features.Reports.ReportRateLimit.Policy)]
public sealed class SnapshotsModel(ListSnapshots.Handler list, FreezeSnapshot.Handler freeze, VerifySnapshot.Handler verify,
    OrgDirectory org, CurrentUser user, PageChrome show, Texts texts) : StaffPage
{
    public IReadOnlyList<ListSnapshots.Item> Items { get; private set; } = [];

    /// <summary>The towns the reader may freeze a month of (none: no form).</summary>
    public IReadOnlyList<UnitInfo> FreezableTowns { get; private set; } = [];

    [BindProperty]
    public FreezeForm Freeze { get; set; } = new();

    public VerifySnapshot.Response? Verified { get; private set; }

    /// <summary>A town's name by its code (as listed), else the code.</summary>
    public string TownName(string code) => Items.FirstOrDefault(i => i.Town == code)?.TownName ?? code;

    public sealed class FreezeForm
    {
        public string? Town { get; set; }

        public string? Month { get; set; }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Freeze.Town ??= FreezableTowns.FirstOrDefault()?.Code;
        Freeze.Month ??= new DateOnly(show.Today.Year, show.Today.Month, 1).AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostFreezeAsync(CancellationToken ct)
    {
        FreezeSnapshot.Response? frozen = null;
        var ok = await TryAsync(async () =>
        {
            try
            {
                frozen = await freeze.HandleAsync(new FreezeSnapshot.Request(Freeze.Month, Freeze.Town), ct);
            }
            catch (FreezeSnapshot.AlreadyFrozenException)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["month"] = [texts["snapshot.exists"]] });
            }
        }, "Freeze.");
        if (ok)
        {
            var name = (await org.GetAsync(ct)).UnitsByCode.TryGetValue(frozen!.Town, out var t) ? t.Name : frozen.Town;
            return Done(texts.Format("snapshots-page.frozen", name, frozen.Month, frozen.CaseCount, frozen.EventCount), "/reports/snapshots");
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(string? town, string? month, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(town) || string.IsNullOrWhiteSpace(month))
        {
            return BadRequest();
        }
        Verified = await verify.HandleAsync(town.Trim(), month.Trim(), ct);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = (await list.HandleAsync(null, ct)).Items;
        var units = await org.GetAsync(ct);
        var principal = await user.GetAsync(ct);
        FreezableTowns = units.Units.Where(u => u.Kind == OrgUnitKind.Town && SnapshotAccess.Allows(principal, u, Permission.DecideDeadlineChange)).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
    }
}
