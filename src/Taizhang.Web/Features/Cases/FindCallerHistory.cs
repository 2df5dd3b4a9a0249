using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// A caller's earlier cases, while the operator types the number: an exact match on the number as
/// registration stores it, within what the caller may see, newest first.
/// </summary>
public static class FindCallerHistory
{
    public const int Limit = 20;

    public sealed record Item(long Id, string TrackingCode, DateTime RegisteredAt, string Title, CaseStatus Status);

    /// <summary>The caller's earlier cases; <see cref="BadPhone"/> when the number cannot be a phone number yet.</summary>
    public sealed record History(IReadOnlyList<Item> Items, int Total, bool BadPhone);

    public sealed class Handler(TaizhangDb db, CurrentUser user, Texts texts)
    {
        /// <summary>The reporters' (town, phone) index answers it: the towns of the caller's scope are named.</summary>
        public async Task<History> HandleAsync(string? raw, CancellationToken ct)
        {
            var phone = RequestParsing.Phone(new Infrastructure.FieldErrors(), texts, "phone", raw);
            if (phone is null)
            {
                return new History([], 0, BadPhone: true);
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
                : await cases.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Take(Limit)
                    .Select(c => new Item(c.Id, c.TrackingCode, c.RegisteredAt, c.Title, c.Status))
                    .ToListAsync(ct);
            return new History(items, total, BadPhone: false);
        }
    }
}
