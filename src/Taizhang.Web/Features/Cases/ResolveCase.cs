using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// 办结: record the result and whether it solved the matter, partly solved it, or explained why it cannot be.
/// <see cref="Request.PublicReply"/> (答复意见, optional) is what the resident is told on the public tracking
/// page; the result stays internal.
/// </summary>
public static class ResolveCase
{
    public sealed record Request(string? Outcome, string? Result, string? PublicReply = null);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Resolve, c => Apply(c, request), ct);
    }

    /// <summary>The resolution within a change (also with evidence attached in the same save: AddAttachment).</summary>
    public static void Apply(CaseChange c, Request request)
    {
        var outcome = RequestParsing.Enum<Outcome>(c.Errors, c.Texts, "outcome", request.Outcome, required: true);
        if (string.IsNullOrWhiteSpace(request.Result))
        {
            c.Errors.Add("result", c.Texts["field.required"]);
        }
        c.CheckText("result", request.Result);
        c.CheckText("publicReply", request.PublicReply);
        c.Errors.ThrowIfAny();
        c.Case.Resolve(outcome!.Value, request.Result!, c.By, c.At, request.PublicReply);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
