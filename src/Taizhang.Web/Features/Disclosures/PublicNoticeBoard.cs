using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Disclosures;

/// <summary>
/// 村务公开栏 (/public/{unitCode}): a village's (or community's, or the town's) disclosures, for anyone,
/// without an account. A village's page shows the village's own; a town's code shows the town's. Only
/// what was written for the public is read: the disclosure's wording and dates and the meeting's name,
/// date, attendance and vote counts — never a case, a reporter, or a participant's name.
/// </summary>
public static class PublicNoticeBoard
{
    /// <summary>How many disclosures the page lists (current and archive together).</summary>
    public const int MaxShown = 200;

    public sealed record Board(string UnitCode, string UnitName, string? TownName, DateOnly Today, string? SupervisionPhone,
        IReadOnlyList<PublicDisclosure> Current, IReadOnlyList<PublicDisclosure> Archive);

    public sealed class Handler(OrgDirectory org, DisclosureReader reader, DuePolicy due, TimeProvider clock, DisclosureOptions options)
    {
        public async Task<Board> GetAsync(string? unitCode, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            if (string.IsNullOrWhiteSpace(unitCode) || unitCode.Length > 64
                || !units.UnitsByCode.TryGetValue(unitCode.Trim(), out var unit)
                || unit.Kind is not (OrgUnitKind.Village or OrgUnitKind.Community or OrgUnitKind.Town))
            {
                throw new NotFoundException("unit");
            }
            var today = due.LocalDate(clock.GetUtcNow().UtcDateTime);
            var list = await reader.PublicAsync(unit.Id, today, MaxShown, ct);
            var town = unit.TownId is { } t && t != unit.Id && units.UnitsById.TryGetValue(t, out var tu) ? tu.Name : null;
            return new Board(unit.Code, unit.Name, town, today, string.IsNullOrWhiteSpace(options.SupervisionPhone) ? null : options.SupervisionPhone.Trim(),
                list.Where(d => d.Current).ToList(), list.Where(d => !d.Current).ToList());
        }
    }

    public static async Task<Ok<Board>> Endpoint(string unitCode, HttpContext http, Handler handler, CancellationToken ct)
    {
        var board = await handler.GetAsync(unitCode, ct);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(board);
    }
}

/// <summary>
/// 异议: a resident objects to a disclosure during its period, from the public page or its JSON. The
/// public form's anti-abuse, in the report form's order: the address's hourly bucket
/// (RateLimits:ObjectionPerHour), the honeypot, the proof of work (<see cref="ProofOfWork"/>); then the
/// period. Contact details are optional and kept only with consent. Nothing is stored on a refusal.
/// </summary>
public static class SubmitObjection
{
    public const string FormField = "form";

    public sealed record Request(string? Text, string? Name, string? Phone, bool Consent, string? Challenge, string? Solution, string? Honeypot);

    public sealed record Answer(long Id, string Reference, DateTime SubmittedAt);

    public sealed record JsonRequest(string? Text, string? Name, string? Phone, bool? Consent, string? Challenge, string? Solution);

    /// <summary>
    /// The answers of the last hour by form key: the same form sent again (a double submit, a refresh of
    /// the answer) gets the first answer instead of a second objection. The proof of work lets only that
    /// form send its challenge again; in memory like the challenges it follows.
    /// </summary>
    public sealed class Replays(TimeProvider clock)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long DisclosureId, Answer Answer)> _answers = new(StringComparer.Ordinal);

        public Answer? Find(string key, long disclosureId)
        {
            Sweep();
            return _answers.TryGetValue(key, out var a) && a.DisclosureId == disclosureId ? a.Answer : null;
        }

        public void Remember(string key, long disclosureId, Answer answer) => _answers[key] = (disclosureId, answer);

        private void Sweep()
        {
            var old = clock.GetUtcNow().UtcDateTime.AddHours(-1);
            foreach (var (k, v) in _answers)
            {
                if (v.Answer.SubmittedAt < old)
                {
                    _answers.TryRemove(k, out _);
                }
            }
        }
    }

    public sealed class Handler(TaizhangDb db, ProofOfWork proofOfWork, ObjectionLimiter limiter, Replays replays, DuePolicy due, TimeProvider clock, Texts texts)
    {
        /// <param name="key">The form's key (made when the form was shown): the one form its challenge may be sent with again.</param>
        public async Task<Answer> HandleAsync(long disclosureId, Request request, string key, string clientAddress, CancellationToken ct)
        {
            if (!limiter.TryAcquire(clientAddress))
            {
                throw new TooManyRequestsException();
            }
            if (!string.IsNullOrEmpty(request.Honeypot))
            {
                throw Refused(FormField, texts["report.refused"]);
            }
            // The form is this disclosure's objection form with its key: a challenge solved for one form (a
            // report, another disclosure's objection) is refused as reused here, while this form may send it again.
            var verdict = await proofOfWork.VerifyAsync(request.Challenge, request.Solution,
                "objection|" + disclosureId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + key, ct);
            if (verdict != ProofOfWork.Verdict.Ok)
            {
                throw Refused(FormField, texts["report.pow." + verdict.ToString().ToLowerInvariant()]);
            }
            if (replays.Find(key, disclosureId) is { } again)
            {
                return again;
            }
            var d = await db.Set<Disclosure>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == disclosureId, ct)
                ?? throw new NotFoundException("disclosure");
            var errors = new FieldErrors();
            RequestParsing.Printable(errors, texts, "text", request.Text);
            RequestParsing.Printable(errors, texts, "name", request.Name);
            var phone = RequestParsing.Phone(errors, texts, "phone", request.Phone);
            if (string.IsNullOrWhiteSpace(request.Text))
            {
                errors.Add("text", texts["disclosure.objection-text-required"]);
            }
            else if (request.Text.Trim().Length > DisclosureObjection.TextMaxLength)
            {
                errors.Add("text", texts.Format("disclosure.objection-too-long", DisclosureObjection.TextMaxLength, request.Text.Trim().Length));
            }
            errors.ThrowIfAny();
            var now = clock.GetUtcNow().UtcDateTime;
            var objection = d.Object(request.Text!, request.Name, phone, request.Consent, due.LocalDate(now), now);
            db.Add(objection);
            await db.SaveChangesAsync(ct);
            var answer = new Answer(objection.Id, objection.Reference, objection.SubmittedAt);
            replays.Remember(key, disclosureId, answer);
            return answer;
        }

        private static RequestValidationException Refused(string field, string message) =>
            new(new Dictionary<string, string[]> { [field] = [message] });
    }

    /// <remarks>The challenge comes from GET /api/v1/public/reports/challenge (the same proof of work as the report form).</remarks>
    public static async Task<Created<Answer>> Endpoint(long id, JsonRequest? request, HttpContext http, Handler handler, Texts texts, CancellationToken ct)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            // Staff answer objections; they do not file them.
            throw new ForbiddenException();
        }
        if (request is null)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [texts["field.required"]] });
        }
        var key = http.Request.Headers[RegisterCase.IdempotencyHeader].ToString().Trim();
        var answer = await handler.HandleAsync(id, new Request(request.Text, request.Name, request.Phone, request.Consent == true,
            request.Challenge, request.Solution, Honeypot: null), key.Length is > 0 and <= 128 ? key : Guid.NewGuid().ToString("N"), ClientAddress.Of(http), ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null, answer);
    }
}
