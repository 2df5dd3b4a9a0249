using Microsoft.AspNetCore.Http.HttpResults;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// The public form as JSON, for a resident's app or a benchmark client: GET a challenge, solve it
/// (<see cref="ProofOfWork"/>), POST the report with an Idempotency-Key. The same checks and the same
/// bucket as the page (<see cref="SubmitReport.Handler"/>); no files here (the page takes them).
/// </summary>
public static class PublicReportEndpoints
{
    public sealed record ChallengeResponse(string Challenge, int Bits, int ValidMinutes);

    public sealed record Request(
        string? OrgUnit, string? Category, string? Description, string? Address, string? Name, string? Phone,
        bool? Anonymous, bool? Consent, string? Challenge, string? Solution);

    /// <param name="RatingCode">The 评价码: for the resident alone, shown once (again on a repeat with the same Idempotency-Key).</param>
    public sealed record Response(string TrackingCode, string? RatingCode, DateOnly DueDate, DateTime RegisteredAt, string TrackUrl);

    public static IEndpointRouteBuilder MapPublicReportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/public/reports").WithTags("Public").AllowAnonymous();
        group.MapGet("/challenge", ChallengeAsync).WithName("PublicReportChallenge");
        group.MapPost("/", SubmitAsync).WithName("SubmitPublicReport").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Ok<ChallengeResponse>> ChallengeAsync(HttpContext http, ProofOfWork proofOfWork, ReportOptions options, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ChallengeResponse(await proofOfWork.IssueAsync(ct), options.ProofOfWorkBits, options.ProofOfWorkMinutes));
    }

    /// <remarks>The body is optional to the framework so that an empty body is a field error like any other.</remarks>
    private static async Task<Results<Created<Response>, Ok<Response>>> SubmitAsync(
        Request? request, HttpContext http, SubmitReport.Handler handler, CancellationToken ct)
    {
        // People and integrations register through /api/v1/cases in their own name.
        if (http.User.Identity?.IsAuthenticated == true)
        {
            throw new ForbiddenException();
        }
        if (request is null)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { ["body"] = [http.RequestServices.GetRequiredService<Resources.Texts>()["field.required"]] });
        }
        var key = http.Request.Headers[RegisterCase.IdempotencyHeader].ToString().Trim();
        var answer = await handler.HandleAsync(
            new SubmitReport.Request(request.OrgUnit, request.Category, request.Description, request.Address, request.Name, request.Phone,
                request.Anonymous == true, request.Consent == true, request.Challenge, request.Solution, Honeypot: null),
            key.Length > 0 ? key : Guid.NewGuid().ToString("N"), [], ClientAddress.Of(http), ct);
        http.Response.Headers.CacheControl = "no-store";
        var response = new Response(answer.TrackingCode, answer.RatingCode, answer.DueDate, answer.RegisteredAt,
            "/track/" + Uri.EscapeDataString(answer.TrackingCode));
        if (answer.Created)
        {
            return TypedResults.Created(response.TrackUrl, response);
        }
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Ok(response);
    }
}
