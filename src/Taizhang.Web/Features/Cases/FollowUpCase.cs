using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>回访: the resident's verdict on the result; unsatisfied reopens the case.</summary>
public static class FollowUpCase
{
    /// <param name="Method">How staff reached the verdict (Phone, Visit, Other); Phone when not given. A
    /// self-service rating is the resident's own (<c>Features/Residents/RateCase</c>), never staff's.</param>
    /// <param name="ResolvedByResident">是否已解决: the resident's own answer whether the matter is solved (the 12345 resolution rate); null when not asked.</param>
    public sealed record Request(string? Satisfaction, string? Note, string? Method = null, bool? ResolvedByResident = null);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.FollowUp, c =>
            {
                var satisfaction = RequestParsing.Enum<Satisfaction>(c.Errors, c.Texts, "satisfaction", request.Satisfaction, required: true);
                var method = RequestParsing.Enum<FollowUpMethod>(c.Errors, c.Texts, "method", request.Method) ?? FollowUpMethod.Phone;
                if (method == FollowUpMethod.SelfService)
                {
                    c.Errors.Add("method", c.Texts["track.field.method-self-service"]);
                }
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.FollowUp(satisfaction!.Value, string.IsNullOrWhiteSpace(request.Note) ? null : request.Note, c.Due, c.By, c.At, method,
                    request.ResolvedByResident);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
