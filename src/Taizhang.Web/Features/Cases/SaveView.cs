using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>Saves the ledger's current filters under a name (the same name again replaces it).</summary>
public static class SaveView
{
    public sealed record Request(string? Name, string? Query);

    public sealed record ViewItem(long Id, string Name, string Query);

    public sealed class Handler(TaizhangDb db, CurrentUser user, ListCases.Handler list, TimeProvider clock, Texts texts)
    {
        public async Task<ViewItem> HandleAsync(Request request, CancellationToken ct)
        {
            var userId = (await user.GetAsync(ct)).UserId ?? throw new ForbiddenException();
            var errors = new FieldErrors();
            // A blank name says what is missing, not just "required": the ledger page shows it next to the field.
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                errors.Add("name", texts["ledger-export.view-name-required"]);
            }
            var name = RequestParsing.Text(errors, texts, "name", request.Name, SavedView.NameMaxLength, required: false);
            // Checked as the ledger would read it, and stored in the ledger's own spelling, without a page number.
            var raw = request.Query?.Trim() ?? "";
            var query = ListCases.Query.Parse(QueryHelpers.ParseQuery(raw.StartsWith('?') ? raw : "?" + raw)) with { Page = null };
            var filterErrors = new FieldErrors();
            await list.FilterAsync(query, filterErrors, ct);
            var canonical = query.ToQueryString();
            if (filterErrors.Any || canonical.Length > SavedView.QueryMaxLength)
            {
                errors.Add("query", texts["saved-view.invalid-query"]);
            }
            errors.ThrowIfAny();

            var now = clock.GetUtcNow().UtcDateTime;
            var existing = await db.SavedViews.FirstOrDefaultAsync(v => v.UserId == userId && v.Name == name, ct);
            if (existing is not null)
            {
                existing.Replace(canonical, now);
            }
            else
            {
                if (await db.SavedViews.CountAsync(v => v.UserId == userId, ct) >= SavedView.MaxPerUser)
                {
                    errors.Add("name", texts.Format("saved-view.too-many", SavedView.MaxPerUser));
                    errors.ThrowIfAny();
                }
                existing = new SavedView(userId, name!, canonical, now);
                db.SavedViews.Add(existing);
            }
            await db.SaveChangesAsync(ct);
            return new ViewItem(existing.Id, existing.Name, existing.Query);
        }
    }

    public static async Task<Ok<ViewItem>> Endpoint(Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(request ?? new Request(null, null), ct));
}
