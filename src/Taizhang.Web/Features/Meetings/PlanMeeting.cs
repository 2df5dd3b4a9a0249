using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>筹备会议: a meeting of a unit, with its body's members (应到) and invited guests.</summary>
public static class PlanMeeting
{
    public sealed record GuestBody(string? Role, string? Name, string? Post, string? Unit, long? UserId);

    /// <param name="Expected">应到 for a meeting without a body (otherwise the body's).</param>
    public sealed record Request(string? Kind, string? Unit, string? Title, DateTimeOffset? At, string? Place, string? Host, long? BodyId,
        IReadOnlyList<GuestBody>? Guests, int? Expected = null, int? Households = null);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, TimeProvider clock, CurrentUser user, MeetingScope scope, MeetingReader reader,
        MeetingWorkbench work, Texts texts)
    {
        public async Task<MeetingDetail> HandleAsync(Request? request, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            if (!access.Cases.HasAnywhere(Permission.RunMeetings))
            {
                throw new ForbiddenException();
            }
            if (request is null)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["field.required"]] });
            }
            var units = await org.GetAsync(ct);
            var errors = new FieldErrors();
            var kind = RequestParsing.Enum<MeetingKind>(errors, texts, "kind", request.Kind, required: true);
            var title = RequestParsing.Text(errors, texts, "title", request.Title, Meeting.TitleMaxLength, required: true);
            var place = RequestParsing.Text(errors, texts, "place", request.Place, Meeting.PlaceMaxLength, required: false);
            var host = RequestParsing.Text(errors, texts, "host", request.Host, Meeting.NameMaxLength, required: false);
            if (request.At is null)
            {
                errors.Add("at", texts["field.required"]);
            }
            var unit = RunUnit(errors, texts, units, access, "unit", request.Unit);
            Body? body = null;
            if (request.BodyId is { } bodyId && unit is not null)
            {
                body = await db.Set<Body>().Include(b => b.Members).FirstOrDefaultAsync(b => b.Id == bodyId, ct);
                if (body is null || body.OrgUnitId != unit.Id)
                {
                    errors.Add("bodyId", texts.Format("meetings.error.body-unknown", bodyId));
                    body = null;
                }
            }
            var guests = await Guests.ParseAsync(db, units, texts, errors, request.Guests ?? [], unit?.TownId, ct);
            errors.ThrowIfAny();
            var by = await user.ActorAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var at = request.At!.Value.UtcDateTime;
            var meeting = body is not null
                ? Meeting.Plan(unit!.TownId ?? unit.Id, unit.Id, kind!.Value, title!, at, place, host, body, by.Id, now)
                : Meeting.Plan(unit!.TownId ?? unit.Id, unit.Id, kind!.Value, title!, at, place, host, null,
                    request.Expected ?? 0, request.Households, by.Id, now);
            foreach (var g in guests)
            {
                meeting.AddParticipant(g.Role, g.Name, g.Post, g.UnitId, g.UserId, now);
            }
            db.Meetings.Add(meeting);
            await work.SaveAsync(ct);
            return await reader.DetailAsync(meeting.Id, ct);
        }

        /// <summary>A unit whose meetings the caller runs, by code; a field error otherwise.</summary>
        public static UnitInfo? RunUnit(FieldErrors errors, Texts texts, OrgDirectory.Snapshot units, MeetingAccess access, string field, string? code)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                errors.Add(field, texts["field.required"]);
                return null;
            }
            if (!units.UnitsByCode.TryGetValue(code.Trim(), out var unit) || !unit.CanOwnCases)
            {
                errors.Add(field, texts.Format("field.unknown-org-unit", code.Trim()));
                return null;
            }
            if (!access.CanRun(unit.Id))
            {
                errors.Add(field, texts.Format("meetings.error.unit-not-yours", unit.Name));
                return null;
            }
            return unit;
        }
    }

    public static async Task<Created<MeetingDetail>> Endpoint(Request? request, Handler handler, CancellationToken ct)
    {
        var detail = await handler.HandleAsync(request, ct);
        return TypedResults.Created($"/api/v1/meetings/{detail.Id}", detail);
    }
}

/// <summary>Guests and participants as a request names them: checked before anything changes.</summary>
public static class Guests
{
    public sealed record Parsed(ParticipantRole Role, string Name, string? Post, long? UnitId, long? UserId);

    public static async Task<List<Parsed>> ParseAsync(TaizhangDb db, OrgDirectory.Snapshot units, Texts texts, FieldErrors errors,
        IReadOnlyList<PlanMeeting.GuestBody> guests, long? townId, CancellationToken ct, string prefix = "guests")
    {
        var parsed = new List<Parsed>();
        for (var i = 0; i < guests.Count; i++)
        {
            var g = guests[i];
            var at = prefix.Length == 0 ? "" : $"{prefix}[{i}].";
            var role = RequestParsing.Enum<ParticipantRole>(errors, texts, at + "role", g.Role, required: true);
            var name = RequestParsing.Text(errors, texts, at + "name", g.Name, Meeting.NameMaxLength, required: true);
            var post = RequestParsing.Text(errors, texts, at + "post", g.Post, Meeting.PostMaxLength, required: false);
            long? unitId = null;
            if (!string.IsNullOrWhiteSpace(g.Unit))
            {
                if (!units.UnitsByCode.TryGetValue(g.Unit.Trim(), out var unit) || !unit.CanHandleCases
                    || (townId is not null && !OrgDirectory.Snapshot.CanHandle(unit, townId)))
                {
                    errors.Add(at + "unit", texts.Format("field.unknown-org-unit", g.Unit.Trim()));
                }
                else
                {
                    unitId = unit.Id;
                }
            }
            else if (role == ParticipantRole.PartnerUnit)
            {
                errors.Add(at + "unit", texts["rule.meeting.partner-unit-required"]);
            }
            if (g.UserId is { } userId && !await db.Users.AnyAsync(u => u.Id == userId, ct))
            {
                errors.Add(at + "userId", texts.Format("meetings.error.user-unknown", userId));
            }
            if (role is not null && name is not null)
            {
                parsed.Add(new Parsed(role.Value, name, post, unitId, g.UserId));
            }
        }
        return parsed;
    }
}
