using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>Creates or changes a body of a unit whose meetings the caller runs.</summary>
public static class SaveBody
{
    public sealed record Request(string? Unit, string? Kind, string? Name, int? AdultCount, int? HouseholdCount);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, TimeProvider clock, MeetingScope scope, MeetingWorkbench work, Texts texts)
    {
        public async Task<BodyView> CreateAsync(Request? request, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            if (!access.Cases.HasAnywhere(Permission.RunMeetings))
            {
                throw new ForbiddenException();
            }
            var r = request ?? new Request(null, null, null, null, null);
            var units = await org.GetAsync(ct);
            var errors = new FieldErrors();
            var unit = PlanMeeting.Handler.RunUnit(errors, texts, units, access, "unit", r.Unit);
            var kind = RequestParsing.Enum<BodyKind>(errors, texts, "kind", r.Kind, required: true);
            var name = RequestParsing.Text(errors, texts, "name", r.Name, Body.NameMaxLength, required: true);
            errors.ThrowIfAny();
            var body = new Body(unit!.TownId ?? unit.Id, unit.Id, kind!.Value, name!, r.AdultCount, r.HouseholdCount, clock.GetUtcNow().UtcDateTime);
            db.Add(body);
            await work.SaveAsync(ct);
            return BodyView.Of(body, units);
        }

        public Task<BodyView> UpdateAsync(long id, Request? request, CancellationToken ct) => ChangeAsync(id, (body, errors) =>
        {
            var r = request ?? new Request(null, null, null, null, null);
            var kind = RequestParsing.Enum<BodyKind>(errors, texts, "kind", r.Kind, required: true);
            var name = RequestParsing.Text(errors, texts, "name", r.Name, Body.NameMaxLength, required: true);
            errors.ThrowIfAny();
            body.Edit(kind!.Value, name!, r.AdultCount, r.HouseholdCount, clock.GetUtcNow().UtcDateTime);
            return Task.CompletedTask;
        }, ct);

        /// <summary>Loads a body the caller may change (404 out of sight, 403 without RunMeetings there), changes it, saves.</summary>
        public async Task<BodyView> ChangeAsync(long id, Func<Body, FieldErrors, Task> change, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            var body = await db.Set<Body>().Include(b => b.Members).FirstOrDefaultAsync(b => b.Id == id, ct);
            if (body is null || !access.Cases.CanSee(body.OrgUnitId, null))
            {
                throw new NotFoundException("body");
            }
            if (!access.CanRun(body.OrgUnitId))
            {
                throw new ForbiddenException();
            }
            await change(body, new FieldErrors());
            await work.SaveAsync(ct);
            return BodyView.Of(body, await org.GetAsync(ct));
        }
    }

    public static async Task<Created<BodyView>> CreateEndpoint(Request? request, Handler handler, CancellationToken ct)
    {
        var view = await handler.CreateAsync(request, ct);
        return TypedResults.Created($"/api/v1/meetings/bodies/{view.Id}", view);
    }

    public static async Task<Ok<BodyView>> UpdateEndpoint(long id, Request? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.UpdateAsync(id, request, ct));
}
