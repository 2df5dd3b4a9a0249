using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Features.Cases;

/// <summary>The signed-in person's saved ledger views, by name.</summary>
public static class ListViews
{
    public sealed class Handler(TaizhangDb db, CurrentUser user)
    {
        public async Task<IReadOnlyList<SaveView.ViewItem>> HandleAsync(CancellationToken ct)
        {
            if ((await user.GetAsync(ct)).UserId is not { } userId)
            {
                return [];
            }
            return await db.SavedViews.AsNoTracking().Where(v => v.UserId == userId).OrderBy(v => v.Name)
                .Select(v => new SaveView.ViewItem(v.Id, v.Name, v.Query)).ToListAsync(ct);
        }
    }

    public static async Task<Ok<IReadOnlyList<SaveView.ViewItem>>> Endpoint(Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(ct));
}
