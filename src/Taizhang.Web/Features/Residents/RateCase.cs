using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// 群众自评: the resident rates the result on the public tracking page (or POST /api/v1/track/{code}/rating),
/// proved by their 评价码 (<see cref="RatingCodes"/>). It is a return visit (回访) with method
/// <see cref="FollowUpMethod.SelfService"/> by the system actor <see cref="Actor"/>, never a person: an
/// unsatisfied rating reopens the case as a staff follow-up does. One rating per round: only a resolved
/// case can be rated, and a rating (or a staff follow-up) ends the round; after a reopening, a new
/// resolution opens a new one.
/// <para>
/// Guessing is bounded twice: per client address (RateLimits:RatingPerHour, <see cref="TrackingSetup.RateLimit"/>)
/// and per case, <see cref="Options.FailuresPerCaseDay"/> wrong codes a local day, counted in the database
/// (<see cref="RatingAttempt"/>) so that neither a restart nor another node forgives them. The comment
/// is for staff only (the follow-up's note): the tracking page never shows it.
/// </para>
/// </summary>
public static class RateCase
{
    public sealed record Request(string? RatingCode, string? Satisfaction, string? Comment);

    public sealed record Response(string TrackingCode, Satisfaction Satisfaction, bool Reopened);

    public sealed record Options(int FailuresPerCaseDay = 5);

    /// <summary>The one actor of every self-service rating.</summary>
    public static readonly Actor Actor = new(ActorKind.System, "public:track", "群众自评");

    public const int CommentMaxLength = Case.ReasonMaxLength;

    /// <summary>Too many wrong codes for this case today: locked until <see cref="Until"/> (local midnight, UTC).</summary>
    public sealed class LockedException(DateTime until) : Exception("Rating locked for today.")
    {
        public DateTime Until { get; } = until;
    }

    public sealed class Handler(TaizhangDb db, DuePolicy due, TimeProvider clock, RatingCodes codes, Texts texts, Options options)
    {
        public async Task<Response> HandleAsync(string? trackingCode, Request? request, CancellationToken ct)
        {
            var normalized = TrackingCodes.Normalize(trackingCode) ?? throw new NotFoundException("tracking");
            request ??= new Request(null, null, null);
            var errors = new FieldErrors();
            var satisfaction = RequestParsing.Enum<Satisfaction>(errors, texts, "satisfaction", request.Satisfaction, required: true);
            var comment = RequestParsing.Text(errors, texts, "comment", request.Comment, CommentMaxLength, required: false);
            var typed = RatingCodes.Normalize(request.RatingCode);
            if (typed is null)
            {
                errors.Add("ratingCode", texts[string.IsNullOrWhiteSpace(request.RatingCode) ? "field.required" : "track.field.rating-code-format"]);
            }
            errors.ThrowIfAny();

            var key = await codes.KeyAsync(ct);
            var caseId = await db.CaseIdOfAsync(normalized, ct) ?? -1;
            var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId, ct);
            if (@case is null)
            {
                // The same work as a real check, so the answer's timing does not tell which codes exist.
                _ = RatingCodes.Matches(key, normalized, typed, RatingCodes.Hash(key, normalized, "00000000"));
                throw new NotFoundException("tracking");
            }
            if (@case.Status != CaseStatus.Resolved || @case.RatingCodeHash is null)
            {
                throw new DomainRuleException(
                    @case.Status == CaseStatus.FollowedUp || await RatedThisRoundAsync(@case.Id, ct) ? "track.already-rated"
                    : @case.RatingCodeHash is null ? "track.no-rating-code" : "track.not-resolved",
                    "This case cannot be rated now.");
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var today = due.LocalDate(now);
            var dayStart = due.EndOfLocalDay(today.AddDays(-1));
            var dayEnd = due.EndOfLocalDay(today);
            // Earlier days' attempts no longer count.
            await db.RatingAttempts.Where(a => a.CaseId == @case.Id && a.At < dayStart).ExecuteDeleteAsync(ct);
            // The attempt is written before the code is looked at: parallel guesses each see the others.
            var attempt = new RatingAttempt { CaseId = @case.Id, TownId = @case.TownId, At = now };
            db.RatingAttempts.Add(attempt);
            await db.SaveChangesAsync(ct);
            var attempts = await db.RatingAttempts.CountAsync(a => a.CaseId == @case.Id && a.At >= dayStart, ct);
            if (attempts > options.FailuresPerCaseDay)
            {
                await ForgetAsync(attempt.Id, ct);
                throw new LockedException(dayEnd);
            }
            if (!RatingCodes.Matches(key, @case.TrackingCode, typed, @case.RatingCodeHash))
            {
                var left = options.FailuresPerCaseDay - attempts;
                throw new RequestValidationException(new Dictionary<string, string[]>
                {
                    ["ratingCode"] = [left > 0 ? texts.Format("track.field.rating-code-wrong", left) : texts["track.rating-locked"]],
                });
            }
            await ForgetAsync(attempt.Id, ct);
            @case.FollowUp(satisfaction!.Value, comment, due, Actor, now, FollowUpMethod.SelfService);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Rated (or followed up by staff) at the same moment: this round has its verdict.
                throw new DomainRuleException("track.already-rated", "This case has been rated.");
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new DomainRuleException("track.already-rated", "This case has been rated.");
            }
            return new Response(@case.TrackingCode, satisfaction.Value, @case.Status == CaseStatus.Reopened);
        }

        private Task ForgetAsync(long attemptId, CancellationToken ct) =>
            db.RatingAttempts.Where(a => a.Id == attemptId).ExecuteDeleteAsync(ct);

        private async Task<bool> RatedThisRoundAsync(long caseId, CancellationToken ct)
        {
            var last = await db.CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == caseId && (e.Action == CaseAction.Resolve || e.Action == CaseAction.FollowUp))
                .OrderByDescending(e => e.Sequence).Select(e => (CaseAction?)e.Action).FirstOrDefaultAsync(ct);
            return last == CaseAction.FollowUp;
        }
    }

    /// <summary>POST /api/v1/track/{code}/rating: anonymous, the page's rules; a locked case is 429 until local midnight.</summary>
    public static async Task<IResult> Endpoint(string code, Request? request, Handler handler, Texts texts, HttpContext http, TimeProvider clock,
        CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await handler.HandleAsync(code, request, ct));
        }
        catch (LockedException locked)
        {
            http.Response.Headers.RetryAfter = RetryAfter(locked.Until, clock);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, type: ProblemTypes.TooManyRequests,
                title: texts["track.rating-locked"]);
        }
    }

    public static string RetryAfter(DateTime until, TimeProvider clock) =>
        ((long)Math.Max(1, Math.Ceiling((until - clock.GetUtcNow().UtcDateTime).TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
