using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>督办: a leader supervises an open case with a level (Ordinary, Yellow, Red), a deadline (yyyy-MM-dd) and a note; again to change them.</summary>
public static class SuperviseCase
{
    public sealed record Request(string? Level, string? Deadline, string? Note);

    public sealed class Handler(CaseWorkbench work)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Supervise, c =>
            {
                var level = RequestParsing.Enum<SupervisionLevel>(c.Errors, c.Texts, "level", request.Level, required: true);
                var deadline = DeadlineRequests.RequiredDate(c, "deadline", request.Deadline);
                DeadlineRequests.Required(c, "note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.Supervise(level!.Value, deadline!.Value, request.Note!, c.Due, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null, null, null), ct));
}
