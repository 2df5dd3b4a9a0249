using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// The residents' tracking page (/track, /track/{code}) and self-service rating: the handler, the
/// rating endpoint and the rate limits. Looking up is limited as the tracking API is (per address,
/// RateLimits:TrackingPerMinute); rating attempts have a bucket of their own per address,
/// RateLimits:RatingPerHour, shared by the page and the API, besides the per-case daily limit
/// (<see cref="RateCase"/>).
/// </summary>
public static class TrackingSetup
{
    /// <summary>
    /// The tracking pages and the rating API: GETs per address in a per-minute bucket like the tracking
    /// API's; POSTs (rating attempts, page and API together: one policy, so one limiter per address)
    /// RateLimits:RatingPerHour an hour.
    /// </summary>
    public const string RateLimit = "track-public";

    public static IServiceCollection AddTracking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<RateCase.Handler>();
        services.AddSingleton(new RateCase.Options(Positive(configuration, "RateLimits:RatingFailuresPerCaseDay", new RateCase.Options().FailuresPerCaseDay)));
        var ratingPerHour = Positive(configuration, "RateLimits:RatingPerHour", 20);
        var trackingPerMinute = Positive(configuration, "RateLimits:TrackingPerMinute", 60);
        services.Configure<RateLimiterOptions>(o =>
        {
            o.AddPolicy(RateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? Ratings(http, ratingPerHour)
                : RateLimitPartition.GetFixedWindowLimiter("track|" + ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = trackingPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });
        return services;
    }

    private static RateLimitPartition<string> Ratings(HttpContext http, int perHour) =>
        RateLimitPartition.GetFixedWindowLimiter("rating|" + ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perHour,
            Window = TimeSpan.FromHours(1),
        });

    public static IEndpointRouteBuilder MapTrackingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/track/{code}/rating", RateCase.Endpoint)
            .WithTags("Public")
            .WithName("RateCase")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimit)
            .Produces<RateCase.Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static int Positive(IConfiguration configuration, string key, int fallback)
    {
        var value = configuration.GetValue(key, fallback);
        return value > 0 ? value : throw new InvalidOperationException($"{key} must be positive.");
    }
}
