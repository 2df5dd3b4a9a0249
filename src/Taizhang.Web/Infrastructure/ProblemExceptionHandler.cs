using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The one place where expected failures become RFC 9457 problem+json (or, for a person's
/// browser on a page, a short HTML page with the same localized message).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ProblemMap map, Texts texts, ILogger<ProblemExceptionHandler> log)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = map.Map(exception);
        if (problem is null)
        {
            // A bug: log it (with no request body, which may hold residents' data) and answer 500.
            log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = ProblemTypes.Internal,
                Title = texts["problem.internal"],
            };
        }
        problem.Instance ??= http.Request.Path;
        if (exception is TooManySignInsException tooMany)
        {
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(tooMany.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        http.Response.StatusCode = problem.Status ?? 500;
        if (ErrorPage.WantsHtml(http))
        {
            await ErrorPage.WriteAsync(http, problem.Title ?? texts["problem.internal"]);
            return true;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}

/// <summary>
/// Expected failures and what they say: the status, our problem type and the localized title,
/// with field errors. Used by the API's exception handler and by the pages, which show the same
/// messages next to their fields.
/// </summary>
public sealed class ProblemMap(Texts texts)
{
    public ProblemDetails? Map(Exception exception) => exception switch
    {
        RequestValidationException v => Validation(v.Errors),
        SignInFailedException f => new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Type = ProblemTypes.Prefix + f.Code,
            Title = texts.Format("problem.sign-in-failed", f.WaitMinutes),
        },
        TooManySignInsException t => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Type = ProblemTypes.TooManyRequests,
            Title = texts.Format("problem.sign-in-address-throttled", t.Minutes),
        },
        UnauthorizedException => new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Type = ProblemTypes.Unauthorized,
            Title = texts["problem.unauthorized"],
        },
        ForbiddenException => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Type = ProblemTypes.Forbidden,
            Title = texts["problem.forbidden"],
        },
        PasswordChangeRequiredException => new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Type = ProblemTypes.PasswordChangeRequired,
            Title = texts["account.password-change-required"],
        },
        Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemTypes.Antiforgery,
            Title = texts["problem.antiforgery"],
        },
        NotFoundException nf => new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Type = ProblemTypes.NotFound,
            Title = texts.Format("problem.not-found", texts["entity." + nf.What]),
        },
        DomainRuleException { Code: "case.illegal-transition" } d => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = ProblemTypes.IllegalTransition,
            Title = texts.Format("problem.illegal-transition",
                texts["status." + d.Args["state"]], texts["action." + d.Args["action"]]),
            Extensions = { ["code"] = d.Code, ["state"] = d.Args["state"], ["action"] = d.Args["action"] },
        },
        DomainRuleException { Field: { } field } d => Validation(new Dictionary<string, string[]>
        {
            [field] = [texts.Rule(d)],
        }),
        DomainRuleException d => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Type = ProblemTypes.BusinessRule,
            Title = texts.Rule(d),
            Extensions = { ["code"] = d.Code },
        },
        ConcurrentChangeException or DbUpdateConcurrencyException => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = ProblemTypes.Conflict,
            Title = texts["problem.concurrent-change"],
        },
        BadHttpRequestException { InnerException: JsonException j } => Validation(new Dictionary<string, string[]>
        {
            [JsonField(j.Path)] = [texts["problem.json-invalid"]],
        }),
        BadHttpRequestException b => ByStatus(b.StatusCode, b.Message),
        TooManyRequestsException => new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Type = ProblemTypes.TooManyRequests,
            Title = texts["problem.too-many-requests"],
        },
        UnavailableException => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = ProblemTypes.Unavailable,
            Title = texts["problem.unavailable"],
        },
        _ => null,
    };

    private ProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) => new HttpValidationProblemDetails(
        errors.ToDictionary(e => e.Key, e => e.Value))
    {
        Status = StatusCodes.Status400BadRequest,
        Type = ProblemTypes.Validation,
        Title = texts["problem.validation"],
    };

    /// <summary>A malformed request by its status: 400, 413 (too large), 415 (not JSON) …</summary>
    private ProblemDetails ByStatus(int status, string detail)
    {
        var (type, titleKey) = StatusProblems.For(status);
        return new ProblemDetails { Status = status, Type = type, Title = texts[titleKey], Detail = detail };
    }

    /// <summary>"$.reporter.phone" → "reporter.phone"; the body itself → "body".</summary>
    private static string JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}
