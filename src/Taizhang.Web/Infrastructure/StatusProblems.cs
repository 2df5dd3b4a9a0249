using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Problems that the framework writes from a bare status code — a route or method that does not
/// exist, 401/403 from authentication and authorization, 429 from the rate limiter, 415 — get one
/// of our types and a localized title, like those of <see cref="ProblemExceptionHandler"/>.
/// Wired as <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>, so it applies to every
/// problem written through <see cref="IProblemDetailsService"/>, including status code pages.
/// </summary>
public static class StatusProblems
{
    private const string DefaultValidationTitle = "One or more validation errors occurred.";

    public static void Configure(ProblemDetailsOptions options) => options.CustomizeProblemDetails = Customize;

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is { } type && type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal))
        {
            return;
        }
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var (ourType, titleKey) = problem is HttpValidationProblemDetails
            ? (ProblemTypes.Validation, "problem.validation")
            : For(status);
        problem.Type = ourType;
        // A title someone chose stays; the framework's English reason phrase is replaced.
        if (problem.Title is null || problem.Title == ReasonPhrases.GetReasonPhrase(status) || problem.Title == DefaultValidationTitle)
        {
            problem.Title = context.HttpContext.RequestServices.GetRequiredService<Texts>()[titleKey];
        }
    }

    /// <summary>Our problem type and title key for a status code.</summary>
    public static (string Type, string TitleKey) For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => (ProblemTypes.BadRequest, "problem.bad-request"),
        StatusCodes.Status401Unauthorized => (ProblemTypes.Unauthorized, "problem.unauthorized"),
        StatusCodes.Status403Forbidden => (ProblemTypes.Forbidden, "problem.forbidden"),
        StatusCodes.Status404NotFound => (ProblemTypes.NotFound, "problem.route-not-found"),
        StatusCodes.Status405MethodNotAllowed => (ProblemTypes.MethodNotAllowed, "problem.method-not-allowed"),
        StatusCodes.Status413PayloadTooLarge => (ProblemTypes.PayloadTooLarge, "problem.payload-too-large"),
        StatusCodes.Status415UnsupportedMediaType => (ProblemTypes.UnsupportedMediaType, "problem.unsupported-media-type"),
        StatusCodes.Status429TooManyRequests => (ProblemTypes.TooManyRequests, "problem.too-many-requests"),
        StatusCodes.Status503ServiceUnavailable => (ProblemTypes.Unavailable, "problem.unavailable"),
        >= 500 => (ProblemTypes.Internal, "problem.internal"),
        _ => (ProblemTypes.RequestFailed, "problem.request-failed"),
    };
}
