using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>归纳整理: merge this case into another case about the same matter; its reporters move over.</summary>
public static class MergeCase
{
    public sealed record Request(long? Into, string? Reason);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            MergeAsync(id, request.Into, request.Reason, (c, into) => c.Texts.Format("field.unknown-case", into), ct);

        /// <summary>
        /// The same, with the other case named as people know it: by its tracking code (the pages).
        /// An unknown code, or a case out of the caller's reach, is "no case with this code".
        /// </summary>
        public async Task<CaseDetail> HandleByCodeAsync(long id, string? intoCode, string? reason, CancellationToken ct)
        {
            long? into = null;
            if (!string.IsNullOrWhiteSpace(intoCode))
            {
                // An unknown code becomes an id no case has, so that the caller's right to merge this
                // case is still checked first, and the answer is the same as for a case out of reach.
                into = TrackingCodes.Normalize(intoCode) is { } code ? await work.IdOfAsync(code, ct) ?? 0 : 0;
            }
            return await MergeAsync(id, into, reason, (c, _) => c.Texts.Format("field.unknown-case-code", intoCode!.Trim()), ct);
        }

        private Task<CaseDetail> MergeAsync(long id, long? into, string? reason, Func<CaseChange, long, string> unknown, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Merge, async c =>
            {
                if (into is not { } intoId)
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
                    c.Errors.Add("into", unknown(c, intoId));
                    c.Errors.ThrowIfAny();
                    return;
                }
                c.CheckText("reason", reason);
                c.Errors.ThrowIfAny();
                c.Case.MergeInto(survivor, string.IsNullOrWhiteSpace(reason) ? null : reason, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null), ct));
}
