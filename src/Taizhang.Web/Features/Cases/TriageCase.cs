using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>分流: put the case on the direct track (small matter, handled at once) or into the topic ledger.</summary>
public static class TriageCase
{
    /// <param name="DueDate">Optional yyyy-MM-dd (local date): overrides the service-level due date; not before today.</param>
    public sealed record Request(string? Track, string? Urgency, string? Category, string? AssigneeUnit, string? DueDate = null);

    public sealed class Handler(CaseWorkbench work, Accounts.CurrentUser user)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Triage, async c =>
            {
                var track = RequestParsing.Enum<Track>(c.Errors, c.Texts, "track", request.Track, required: true);
                var urgency = RequestParsing.Enum<Urgency>(c.Errors, c.Texts, "urgency", request.Urgency) ?? c.Case.Urgency;
                long? categoryId = null;
                if (!string.IsNullOrWhiteSpace(request.Category))
                {
                    if (c.Units.CategoriesByCode.TryGetValue(request.Category.Trim(), out var category))
                    {
                        categoryId = category.Id;
                    }
                    else
                    {
                        c.Errors.Add("category", c.Texts.Format("field.unknown-category", request.Category.Trim()));
                    }
                }
                var unit = c.HandlingUnit("assigneeUnit", request.AssigneeUnit, required: false);
                var dueDate = RequestParsing.Date(c.Errors, c.Texts, "dueDate", request.DueDate);
                c.Errors.ThrowIfAny();
                var access = await user.AccessAsync(ct);
                c.Case.Triage(track!.Value, urgency, categoryId, unit, c.Due, c.By, c.At, dueDate,
                    mayPostpone: access.Can(Domain.Access.Permission.Supervise, c.Case.OrgUnitId, c.Case.AssigneeUnitId));
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null, null), ct));
}
