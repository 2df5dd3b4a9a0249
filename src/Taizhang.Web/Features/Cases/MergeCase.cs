using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;

namespace Taizhang.Web.Features.Cases;

/// <summary>归纳整理: merge this case into another case about the same matter; its reporters move over.</summary>
public static class MergeCase
{
    public sealed record Request(long? Into, string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Merge, async c =>
            {
                if (request.Into is not { } intoId)
                {
                    c.Errors.Add("into", c.Texts["field.required"]);
                    c.Errors.ThrowIfAny();
                    return;
                }
                var survivor = intoId == id ? c.Case : await work.LoadAsync(intoId, ct);
                // A case the caller may not merge into is, to them, a case that does not exist.
                if (survivor is not null && survivor != c.Case && !await work.MayAsync(survivor, CaseAction.Merge, ct))
                {
                    survivor = null;
                }
                if (survivor is null)
                {
                    c.Errors.Add("into", c.Texts.Format("field.unknown-case", intoId));
                    c.Errors.ThrowIfAny();
                    return;
                }
                c.CheckText("reason", request.Reason);
                c.Errors.ThrowIfAny();
                c.Case.MergeInto(survivor, string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
