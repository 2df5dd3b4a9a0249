using System.Text.Json.Serialization;
using System.Threading.RateLimiting;

namespace Taizhang.Web.Infrastructure;

/// <summary>How the JSON API speaks: enums as names, its OpenAPI document, and the public endpoints' rate limit.</summary>
public static class ApiSetup
{
    /// <summary>
    /// The rate limit of what anyone may call without an account (the public tracking look-up,
    /// sign-in): per client address, RateLimits:PublicPerMinute a minute.
    /// </summary>
    public const string PublicRateLimit = "public";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        // Bare status codes (route 404, 405, 401/403, 429 …) become problems with our types and localized titles.
        services.AddProblemDetails(StatusProblems.Configure);
        // Malformed bodies and parameters go to the one exception handler, which answers with field errors.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi("v1", o =>
        {
            // Every feature has its own Request/Response: name schemas after the feature (RegisterCaseRequest).
            o.CreateSchemaReferenceId = t => t.Type.IsNested && t.Type.DeclaringType is { } feature
                ? feature.Name + t.Type.Name
                : Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(t);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Taizhang 台账 API";
                document.Info.Description = "Case intake and tracking for town and village governance. "
                    + "People sign in with POST /api/v1/session (cookie + X-XSRF-TOKEN); integrations send a Bearer token.";
                return Task.CompletedTask;
            });
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PublicRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = configuration.GetValue("RateLimits:PublicPerMinute", 60),
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }
}
