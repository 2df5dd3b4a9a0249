using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>Adds a member to a body or changes one (name, post, account, active); members leave by becoming inactive.</summary>
public static class SaveBodyMember
{
    public sealed record Request(string? Name, string? Post, long? UserId, bool? Active);

    public sealed class Handler(SaveBody.Handler bodies, TaizhangDb db, TimeProvider clock, Texts texts)
    {
        public Task<BodyView> AddAsync(long bodyId, Request? request, CancellationToken ct) => bodies.ChangeAsync(bodyId, async (body, errors) =>
        {
            var (name, post) = await CheckAsync(request, errors, ct);
            body.AddMember(name!, post, request!.UserId, clock.GetUtcNow().UtcDateTime);
        }, ct);

        public Task<BodyView> UpdateAsync(long bodyId, int seq, Request? request, CancellationToken ct) => bodies.ChangeAsync(bodyId, async (body, errors) =>
        {
            var (name, post) = await CheckAsync(request, errors, ct);
            body.EditMember(seq, name!, post, request!.UserId, request.Active ?? true, clock.GetUtcNow().UtcDateTime);
        }, ct);

        private async Task<(string? Name, string? Post)> CheckAsync(Request? request, Infrastructure.FieldErrors errors, CancellationToken ct)
        {
            var name = RequestParsing.Text(errors, texts, "name", request?.Name, Meeting.NameMaxLength, required: true);
            var post = RequestParsing.Text(errors, texts, "post", request?.Post, Meeting.PostMaxLength, required: false);
            if (request?.UserId is { } userId && !await db.Users.AnyAsync(u => u.Id == userId, ct))
            {
                errors.Add("userId", texts.Format("meetings.error.user-unknown", userId));
            }
            errors.ThrowIfAny();
            return (name, post);
        }
    }

    public static async Task<Ok<BodyView>> AddEndpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.AddAsync(id, request, ct));

    public static async Task<Ok<BodyView>> UpdateEndpoint(long id, int seq, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.UpdateAsync(id, seq, request, ct));
}
