using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>
/// 联系群众: the reporter was contacted. The first contact counts for the response rate, in time when
/// within <see cref="DeadlineOptions.ResponseHours"/> of registration.
/// </summary>
public static class ContactReporter
{
    public sealed record Request(string? Note);

    public sealed class Handler(CaseWorkbench work, DeadlineOptions options)
    {
        public Task<CaseDetail> HandleAsync(long id, Request request, CancellationToken ct) =>
            work.ChangeAsync(id, CaseAction.Contact, c =>
            {
                c.CheckText("note", request.Note);
                c.Errors.ThrowIfAny();
                c.Case.Contact(DeadlineRequests.Optional(request.Note), options.ResponseWindow, c.By, c.At);
            }, ct);
    }

    public static async Task<Ok<CaseDetail>> Endpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request ?? new Request(null), ct));
}
