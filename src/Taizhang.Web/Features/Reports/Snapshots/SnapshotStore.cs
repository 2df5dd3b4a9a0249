using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// A frozen month's figures for the reports: a page showing a frozen month may read its rows from
/// here instead of recomputing them. Not a scope check: the caller has decided the reader may see
/// the town's figures (and narrows the rows to the units it shows).
/// </summary>
public sealed class SnapshotStore(TaizhangDb db)
{
    /// <summary>The frozen rows of the town's month (yyyy-MM), or null when the month is not frozen.</summary>
    public async Task<IReadOnlyList<FactRow>?> FindAsync(long townId, string month, CancellationToken ct) =>
        (await FindFiguresAsync(townId, month, ct))?.Rows;

    public Task<IReadOnlyList<FactRow>?> FindAsync(long townId, DateOnly month, CancellationToken ct) =>
        FindAsync(townId, SnapshotAccess.Text(month), ct);

    /// <summary>The frozen rows, their totals and the instant they are as of; null when the month is not frozen.</summary>
    public async Task<SnapshotFigures?> FindFiguresAsync(long townId, string month, CancellationToken ct)
    {
        var json = await db.Set<ReportSnapshot>().AsNoTracking()
            .Where(s => s.TownId == townId && s.Month == month)
            .Select(s => s.FiguresJson)
            .FirstOrDefaultAsync(ct);
        return json is null ? null : SnapshotFigures.TryParse(json);
    }
}
