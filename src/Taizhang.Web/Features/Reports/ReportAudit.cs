using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// A report taken out of the app (its .xlsx, its printable monthly report) goes into the audit trail as the ledger's
/// export and print do: they carry case titles and tracking codes. Filed under the reader's area (their town's
/// administrators see it), with the report's query (period and scope), never a case's content.
/// </summary>
public sealed class ReportAudit(TaizhangDb db, CurrentUser user, TimeProvider clock)
{
    public const string ExportAction = "reports.export";

    public const string PrintAction = "reports.print";

    public async Task RecordAsync(string action, string target, ReportData.Query query, CancellationToken ct)
    {
        var principal = await user.GetAsync(ct);
        var details = query.ToQueryString().TrimStart('?');
        db.Record(principal.Actor, clock.GetUtcNow().UtcDateTime, action, target,
            details.Length <= 2000 ? details : details[..1999] + "…", AdminAudit.AreaOf(principal));
        await db.SaveChangesAsync(ct);
    }
}
