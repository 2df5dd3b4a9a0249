using System.Text.Json.Serialization;
using System.Threading.RateLimiting;

namespace Taizhang.Web.Infrastructure;

/// <summary>How the JSON API speaks: enums as names, its OpenAPI document, and the open endpoints' rate limits.</summary>
public static class ApiSetup
{
    /// <summary>
    /// Sign-in attempts (POST /api/v1/session and the sign-in form; showing the form is free): per
    /// client address, RateLimits:SignInPerMinute a minute. A bucket of its own, so that residents
    /// looking up their cases behind an office's shared address never keep its staff from signing
    /// in. Failed sign-ins are further limited per account and per address by SignInThrottle.
    /// </summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>The public tracking look-up: per client address, RateLimits:TrackingPerMinute a minute.</summary>
    public const string TrackingRateLimit = "tracking";

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
        var signInPerMinute = PositiveSetting(configuration, "RateLimits:SignInPerMinute", 20);
        var trackingPerMinute = PositiveSetting(configuration, "RateLimits:TrackingPerMinute", 60);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(SignInRateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? PerAddressPerMinute(http, signInPerMinute)
                : RateLimitPartition.GetNoLimiter(string.Empty));
            o.AddPolicy(TrackingRateLimit, http => PerAddressPerMinute(http, trackingPerMinute));
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddressPerMinute(HttpContext http, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
        });

    private static int PositiveSetting(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value > 0 ? value : throw new InvalidOperationException($"{key} must be positive.");
    }
}
