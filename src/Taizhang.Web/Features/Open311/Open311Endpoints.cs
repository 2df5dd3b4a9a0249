using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Open311;

/// <summary>
/// Open311 GeoReport v2 at <c>/open311/v2/</c> (wiki.open311.org/GeoReport_v2): discovery, services and
/// their definitions, requests (create, list, one), tokens — each in <c>.json</c> and <c>.xml</c>. Public
/// by the spec: reading needs no key (and shows only what the tracking page shows); creating needs the
/// <c>api_key</c> of an API client allowed the Open311 channel.
/// </summary>
public static class Open311Endpoints
{
    public const string Base = "/open311/v2";

    /// <summary>Reads without an api_key: per client address, RateLimits:Open311PerMinute a minute, a bucket of its own.</summary>
    public const string RateLimit = "open311";

    public static IServiceCollection AddOpen311(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(Open311Options.Section).Get<Open311Options>() ?? new Open311Options();
        if (options.MaxPageSize <= 0)
        {
            throw new InvalidOperationException("Open311:MaxPageSize must be positive.");
        }
        services.AddSingleton(options);
        services.AddScoped<Open311Services.Handler>();
        services.AddScoped<PostServiceRequest.Handler>();
        services.AddScoped<GetServiceRequests.Handler>();
        var perMinute = configuration.GetValue("RateLimits:Open311PerMinute", 60);
        if (perMinute <= 0)
        {
            throw new InvalidOperationException("RateLimits:Open311PerMinute must be positive.");
        }
        services.AddSingleton(new Open311Lookups(perMinute));
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(RateLimit, http =>
            // A key that cannot be one (empty, malformed) is no way around the limit.
            HttpMethods.IsGet(http.Request.Method) && ApiTokens.PrefixOf(http.Request.Query[Open311Clients.KeyField].ToString().Trim()) is null
                ? RateLimitPartition.GetFixedWindowLimiter("open311:" + ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                })
                : RateLimitPartition.GetNoLimiter(string.Empty)));
        return services;
    }

    public static IEndpointRouteBuilder MapOpen311Endpoints(this IEndpointRouteBuilder app)
    {
        var open311 = app.MapGroup(Base)
            .WithTags("Open311")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimit)
            .ExcludeFromDescription();
        open311.MapGet("/discovery.{format}", Open311Services.DiscoveryEndpoint).WithName("Open311Discovery");
        open311.MapGet("/services.{format}", Open311Services.ListEndpoint).WithName("Open311Services");
        open311.MapGet("/services/{service_code}.{format}", Open311Services.DefinitionEndpoint).WithName("Open311ServiceDefinition");
        // The form is read by the handler (no form binding), so no antiforgery: an integration's api_key is its proof.
        open311.MapPost("/requests.{format}", PostServiceRequest.Endpoint).WithName("Open311PostRequest").DisableAntiforgery();
        open311.MapGet("/requests.{format}", GetServiceRequests.ListEndpoint).WithName("Open311Requests");
        open311.MapGet("/requests/{service_request_id}.{format}", GetServiceRequests.OneEndpoint).WithName("Open311Request");
        open311.MapGet("/tokens/{token}.{format}", GetServiceRequests.TokenEndpoint).WithName("Open311Token");
        // Anything else under the base (another resource, another method): the spec's 404, not a problem document.
        open311.Map("/{**rest}", (HttpContext http) =>
            GeoReport.Error(http.Request.Path.Value?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true ? "json" : "xml",
                StatusCodes.Status404NotFound, http.RequestServices.GetRequiredService<Resources.Texts>()["open311.error.no-such-resource"]))
            .WithName("Open311NotFound").DisableAntiforgery();
        return app;
    }
}

public sealed class Open311Options
{
    public const string Section = "Open311";

    /// <summary>Discovery's <c>contact</c>: how to reach the people running this server.</summary>
    public string? Contact { get; set; }

    /// <summary>Discovery's <c>key_service</c>: how to get an api_key.</summary>
    public string? KeyService { get; set; }

    /// <summary>The most requests one page of <c>GET requests</c> holds (also the default: the spec's 1000).</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// Whether a caller without an api_key may list requests (GET requests without ids). Off by default:
    /// a listing hands out tracking codes, which otherwise only their holders know (the resident, the
    /// office); a request asked for by its id answers anonymously either way, as /track does.
    /// </summary>
    public bool AnonymousListing { get; set; }
}

/// <summary>
/// What an anonymous caller's tracking codes cost: each code looked up (an id of GET requests, a token)
/// is one of RateLimits:Open311PerMinute a minute per address, as on /track — a request naming 100 ids
/// pays for 100, one naming more than a minute's worth is refused. (The rate-limiting middleware counts
/// requests, and lets through any GET whose api_key merely has the shape of one: the handlers check the
/// key, and charge here whoever turns out to have none.)
/// </summary>
public sealed class Open311Lookups(int perMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes <paramref name="codes"/> lookups from the caller's address, or refuses (429) and takes none.</summary>
    public void Charge(HttpContext http, int codes)
    {
        if (codes <= 0)
        {
            return;
        }
        var acquired = false;
        if (codes <= perMinute)
        {
            using var lease = _limiter.AttemptAcquire("open311-lookup:" + ClientAddress.Of(http), codes);
            acquired = lease.IsAcquired;
        }
        if (!acquired)
        {
            http.Response.Headers.RetryAfter = "60";
            throw new GeoReportException(StatusCodes.Status429TooManyRequests,
                http.RequestServices.GetRequiredService<Resources.Texts>()["problem.too-many-requests"]);
        }
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// The <c>api_key</c>: an API client's token (the same <c>tz_…</c> token a Bearer header carries, checked
/// by the same <see cref="ApiTokens.AuthenticateAsync"/>), valid for Open311 only when the client's
/// channels include Open311. A valid key makes the request that client's for the rest of it
/// (<see cref="CurrentUser"/> reads the principal set here), so registering goes the ordinary way.
/// </summary>
public static class Open311Clients
{
    public const string KeyField = "api_key";

    /// <summary>
    /// The client behind <paramref name="apiKey"/>, or null when none was given. A key that is given but
    /// unknown, malformed, revoked, expired, or not an Open311 client's is the spec's 403.
    /// </summary>
    public static async Task<ApiClient?> AuthenticateAsync(HttpContext http, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return null;
        }
        var texts = http.RequestServices.GetRequiredService<Resources.Texts>();
        if (apiKey.Length > 100 || await ApiTokens.AuthenticateAsync(http, apiKey.Trim()) is not { } principal
            || http.Items[ApiTokens.ClientItem] is not ApiClient client)
        {
            throw new GeoReportException(StatusCodes.Status403Forbidden, texts["open311.error.api-key"]);
        }
        var channels = client.AllowedChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!channels.Contains(nameof(Channel.Open311), StringComparer.Ordinal))
        {
            http.Items.Remove(ApiTokens.ClientItem);
            throw new GeoReportException(StatusCodes.Status403Forbidden, texts["open311.error.api-key-channel"]);
        }
        // Whatever else the request carried (a staff cookie), from here on it is this integration's.
        http.User = principal;
        return client;
    }
}
