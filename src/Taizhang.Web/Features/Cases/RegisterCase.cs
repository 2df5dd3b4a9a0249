using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// 登记: a resident's matter enters the ledger from any channel. The hot write path: the case
/// is built and validated here, then committed by <see cref="IntakeWriter"/> in a batch with
/// other registrations; the answer is sent only after that batch is durable.
/// </summary>
public static class RegisterCase
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public sealed record ReporterBody(string? Name, string? Phone);

    public sealed record LocationBody(double? Lat, double? Lng, string? Address);

    public sealed record Request(
        string? Channel,
        string? Title,
        string? Description,
        ReporterBody? Reporter,
        string? OrgUnit,
        string? Category,
        string? Urgency,
        LocationBody? Location,
        string? ExternalRef,
        long? MeetingId,
        bool? Anonymous = null,
        bool? ContactConsent = null);

    /// <param name="RatingCode">The 评价码 for the resident (<see cref="Residents.RatingCodes"/>): given to whoever
    /// registered, to hand on; on a repeat only when the registration carried an Idempotency-Key (the
    /// same code is derived again), otherwise null.</param>
    public sealed record Response(long Id, string TrackingCode, CaseStatus Status, DateTime DueAt, DateOnly DueDate, DateTime RegisteredAt,
        string? RatingCode = null);

    /// <summary>Created is false when the request repeated an earlier one (same key or external reference). Pending: the
    /// registration is durable in the intake journal and not yet in the ledger's lists (answered 202, asked for).</summary>
    public sealed record Outcome(Response Case, bool Created, bool Pending = false);

    /// <summary>RFC 7240: the client accepts an answer before the processing is complete.</summary>
    public const string RespondAsync = "respond-async";

    public sealed class Handler(
        TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentUser user,
        IntakeWriter writer, CaseReader reader, Texts texts, Residents.RatingCodes ratingCodes, Notifications.NotificationOutbox outbox,
        CaseIds caseIds)
    {
        public Task<Outcome> HandleAsync(Request? request, string? idempotencyKey, CancellationToken ct) =>
            HandleAsync(request, idempotencyKey, weChatOpenId: null, ct);

        public Task<Outcome> HandleAsync(Request? request, string? idempotencyKey, string? weChatOpenId, CancellationToken ct) =>
            HandleAsync(request, idempotencyKey, weChatOpenId, respondAsync: false, ct);

        /// <param name="weChatOpenId">The WeChat channel's sender (never taken from a request body): kept on the
        /// reporter so that customer messages can reach them.</param>
        /// <param name="respondAsync">Answer once the registration is durable in the intake journal (SQLite), before the
        /// ledger's lists have it; without a journal the answer comes after the commit as always.</param>
        public async Task<Outcome> HandleAsync(Request? request, string? idempotencyKey, string? weChatOpenId, bool respondAsync, CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            if (!access.HasAnywhere(Permission.Register))
            {
                throw new ForbiddenException();
            }
            if (request is null)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["field.required"]] });
            }
            var errors = new FieldErrors();
            var channel = RequestParsing.Enum<Channel>(errors, texts, "channel", request.Channel, required: true);
            var title = RequestParsing.Text(errors, texts, "title", request.Title, Case.TitleMaxLength, required: true);
            var description = RequestParsing.Text(errors, texts, "description", request.Description, Case.DescriptionMaxLength, required: true);
            var urgency = RequestParsing.Enum<Urgency>(errors, texts, "urgency", request.Urgency) ?? Urgency.Normal;
            var externalRef = RequestParsing.Text(errors, texts, "externalRef", request.ExternalRef, 128, required: false);
            // An external reference is an integration's own ticket number; a person has none to give
            // (one planted by hand could otherwise swallow the integration's registration of it).
            if (externalRef is not null && access.Principal.ApiClientId is null)
            {
                errors.Add("externalRef", texts["field.external-ref-integrations-only"]);
            }
            var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
            if (key is { Length: > 128 })
            {
                errors.Add(IdempotencyHeader, texts["field.idempotency-key"]);
            }
            else if (!RequestParsing.Printable(errors, texts, IdempotencyHeader, key))
            {
                key = null;
            }

            // 匿名: the resident asked not to be named. A phone number left for the return visit is kept.
            var anonymous = request.Anonymous == true;
            var consent = request.ContactConsent == true;
            ReporterInfo? reporter = null;
            if (request.Reporter is { } r && anonymous)
            {
                if (!string.IsNullOrWhiteSpace(r.Name))
                {
                    errors.Add("reporter.name", texts["desk.field.anonymous-named"]);
                }
                if (RequestParsing.Phone(errors, texts, "reporter.phone", r.Phone) is { } phone)
                {
                    reporter = new ReporterInfo(string.Empty, phone, consent);
                }
            }
            else if (request.Reporter is { } named)
            {
                var name = RequestParsing.Text(errors, texts, "reporter.name", named.Name, 64, required: true);
                var phone = RequestParsing.Phone(errors, texts, "reporter.phone", named.Phone);
                if (name is not null)
                {
                    reporter = new ReporterInfo(name, phone, consent, weChatOpenId);
                }
            }
            else if (weChatOpenId is not null && !anonymous)
            {
                reporter = new ReporterInfo(string.Empty, null, consent, weChatOpenId);
            }

            GeoLocation? location = null;
            if (request.Location is { } l)
            {
                // NaN passes every comparison; the JSON reader accepts "NaN" and "Infinity" as numbers.
                if (l.Lat is { } lat && (!double.IsFinite(lat) || lat is < -90 or > 90))
                {
                    errors.Add("location.lat", texts["field.lat"]);
                }
                if (l.Lng is { } lng && (!double.IsFinite(lng) || lng is < -180 or > 180))
                {
                    errors.Add("location.lng", texts["field.lng"]);
                }
                var address = RequestParsing.Text(errors, texts, "location.address", l.Address, 300, required: false);
                if (l.Lat is not null || l.Lng is not null || address is not null)
                {
                    location = new GeoLocation(l.Lat, l.Lng, address);
                }
            }

            var units = await org.GetAsync(ct);
            UnitInfo? unit = null;
            if (string.IsNullOrWhiteSpace(request.OrgUnit))
            {
                errors.Add("orgUnit", texts["field.required"]);
            }
            else if (!units.UnitsByCode.TryGetValue(request.OrgUnit.Trim(), out unit))
            {
                errors.Add("orgUnit", texts.Format("field.unknown-org-unit", request.OrgUnit.Trim()));
            }
            else if (!unit.CanOwnCases || unit.TownId is null)
            {
                errors.Add("orgUnit", texts.Format("field.org-unit-cannot-own", unit.Name));
                unit = null;
            }
            else if (!access.CanRegisterAt(unit))
            {
                errors.Add("orgUnit", texts.Format("field.outside-your-area", unit.Name));
                unit = null;
            }
            if (channel is { } ch && access.Principal.AllowedChannels is { } allowed && !allowed.Contains(ch))
            {
                errors.Add("channel", texts.Format("field.channel-not-allowed", string.Join(", ", allowed.Order())));
            }
            else if (channel is { } own && access.Principal.UserId is not null && !Channels.EnteredByStaff.Contains(own))
            {
                // WeChat, the web form and Open311 come from the public and from integrations, not from a person.
                errors.Add("channel", texts.Format("desk.field.channel-not-for-people", string.Join(", ", Channels.EnteredByStaff)));
            }

            long? categoryId = null;
            if (!string.IsNullOrWhiteSpace(request.Category))
            {
                if (units.CategoriesByCode.TryGetValue(request.Category.Trim(), out var category))
                {
                    categoryId = category.Id;
                }
                else
                {
                    errors.Add("category", texts.Format("field.unknown-category", request.Category.Trim()));
                }
            }

            if (channel == Channel.Meeting && request.MeetingId is null)
            {
                // 会议点: an item pointed out at a meeting names that meeting.
                errors.Add("meetingId", texts["desk.field.meeting-required"]);
            }
            else if (request.MeetingId is { } meetingId && unit is not null)
            {
                // A meeting of the case's town held by a unit the caller registers for (the desk offers exactly those).
                var reach = access.ReachOf(Permission.Register).Area;
                var meetingUnit = await db.Meetings.AsNoTracking().Where(m => m.Id == meetingId && m.TownId == unit.TownId)
                    .Select(m => (long?)m.OrgUnitId).FirstOrDefaultAsync(ct);
                if (meetingUnit is null || !reach.Contains(meetingUnit.Value))
                {
                    errors.Add("meetingId", texts.Format("field.unknown-meeting", meetingId));
                }
            }
            errors.ThrowIfAny();

            // A repeat of an earlier request (same Idempotency-Key, or the same integration's external reference)
            // is recognised by the writer: the unique index refuses the insert and the earlier case is
            // the answer. No look-up here, so the common first request costs no extra query.
            var scopedKey = ScopedKey(access.Principal.Actor, key);
            var ratingKey = await ratingCodes.KeyAsync(ct);
            var ratingCode = ratingCodes.New(ratingKey, access.Principal.Actor.Id, key);
            // The id first: the tracking code is derived from it, and the first event is sealed with the code.
            var (id, trackingCode) = await caseIds.NextAsync(ct);
            var @case = Case.Register(unit!.TownId!.Value, unit.Id, channel!.Value, title!, description!, urgency, categoryId,
                reporter, location, externalRef, scopedKey, request.MeetingId, trackingCode, due, access.Principal.Actor,
                clock.GetUtcNow().UtcDateTime, sourceClientId: access.Principal.ApiClientId,
                anonymous: anonymous, ratingCodeHash: Residents.RatingCodes.Hash(ratingKey, trackingCode, ratingCode), id: id);
            // The resident is told (with the rating code, which exists only here) in the registration's transaction.
            var result = await writer.SubmitAsync(@case, await outbox.PlanRegistrationAsync(@case, ratingCode, ct), respondAsync, ct);
            if (result.Created)
            {
                return new Outcome(ToResponse(@case) with { RatingCode = ratingCode }, Created: true, Pending: result.Pending);
            }
            // A repeat: the caller must be allowed to see the earlier case to be given it (one read for both).
            var repeat = await db.Cases.AsNoTracking().Where(c => c.Id == result.CaseId)
                .Select(c => new { c.OrgUnitId, c.AssigneeUnitId, c.IdempotencyKey, c.TrackingCode, c.Status, c.DueAt, c.RegisteredAt, c.RatingCodeHash })
                .FirstAsync(ct);
            if (!access.CanSee(repeat.OrgUnitId, repeat.AssigneeUnitId))
            {
                throw scopedKey is not null && repeat.IdempotencyKey == scopedKey
                    ? IntakeWriter.KeyReused()
                    : IntakeWriter.ExternalRefReused();
            }
            // The same request again (same caller and key) derives the same code: the resident who lost the
            // first answer is given it again. A repeat found by external reference alone gets none.
            var sameCode = key is not null && Residents.RatingCodes.Matches(ratingKey, repeat.TrackingCode, ratingCode, repeat.RatingCodeHash);
            return new Outcome(
                new Response(result.CaseId, repeat.TrackingCode, repeat.Status, repeat.DueAt, reader.DueDate(repeat.DueAt), repeat.RegisteredAt,
                    sameCode ? ratingCode : null),
                Created: false);
        }

        private Response ToResponse(Case c) =>
            new(c.Id, c.TrackingCode, c.Status, c.DueAt, reader.DueDate(c.DueAt), c.RegisteredAt);
    }

    /// <summary>
    /// An Idempotency-Key is its caller's: stored as a hash of the caller (person or integration) and
    /// the key, so a key somebody else used first — a member who guessed an integration's next ticket
    /// number — is another key, and never blocks or swallows the caller's registration.
    /// </summary>
    internal static string? ScopedKey(Actor caller, string? key) => key is null
        ? null
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caller.Id + "\n" + key)));

    /// <summary>Whether a Prefer header (one or several, comma-separated preferences) holds respond-async.</summary>
    internal static bool PrefersRespondAsync(Microsoft.Extensions.Primitives.StringValues prefer)
    {
        foreach (var header in prefer)
        {
            foreach (var preference in (header ?? string.Empty).Split(','))
            {
                var token = preference.Split(';')[0].Trim();
                if (string.Equals(token, RespondAsync, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <remarks>The body is optional to the framework so that an empty or null body is a field error like any other.</remarks>
    /// <remarks>
    /// <c>Prefer: respond-async</c> (RFC 7240): on SQLite the answer is 202 Accepted with the new case once the
    /// registration is durable in the intake journal — it is registered and will not be lost; reading it by id
    /// waits the milliseconds until the ledger has it, lists and counts show it then. Answered with
    /// <c>Preference-Applied: respond-async</c>; without a journal (PostgreSQL) the preference is not applied and
    /// the answer is the usual 201.
    /// </remarks>
    public static async Task<Results<Created<Response>, Ok<Response>, Accepted<Response>>> Endpoint(
        Request? request, HttpContext http, Handler handler, CancellationToken ct)
    {
        var respondAsync = PrefersRespondAsync(http.Request.Headers["Prefer"]);
        var outcome = await handler.HandleAsync(request, http.Request.Headers[IdempotencyHeader].ToString(), weChatOpenId: null, respondAsync, ct);
        var location = $"/api/v1/cases/{outcome.Case.Id}";
        if (outcome.Created && outcome.Pending)
        {
            http.Response.Headers["Preference-Applied"] = RespondAsync;
            return TypedResults.Accepted(location, outcome.Case);
        }
        if (outcome.Created)
        {
            return TypedResults.Created(location, outcome.Case);
        }
        http.Response.Headers.Location = location;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(outcome.Case);
    }
}
