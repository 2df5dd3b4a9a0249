using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>Removes one of the signed-in person's saved views; another person's view does not exist for them.</summary>
public static class DeleteView
{
    public sealed class Handler(TaizhangDb db, CurrentUser user)
    {
        public async Task<string> HandleAsync(long id, CancellationToken ct)
        {
            var userId = (await user.GetAsync(ct)).UserId ?? throw new ForbiddenException();
            var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id && v.UserId == userId, ct)
                ?? throw new NotFoundException("savedView");
            db.SavedViews.Remove(view);
            await db.SaveChangesAsync(ct);
            return view.Name;
        }
    }

    public static async Task<NoContent> Endpoint(long id, Handler handler, CancellationToken ct)
    {
        await handler.HandleAsync(id, ct);
        return TypedResults.NoContent();
    }
}
