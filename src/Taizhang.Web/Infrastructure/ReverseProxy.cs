using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Behind a reverse proxy that terminates TLS (nginx in a county data centre), the proxy's
/// X-Forwarded-For/-Proto are believed only from the addresses listed in
/// ReverseProxy:KnownProxies, so that rate limits see the resident's address and cookies are
/// marked Secure. With no proxies configured nothing is taken from those headers.
/// </summary>
public static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            o.ForwardLimit = 1;
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    public static IApplicationBuilder UseReverseProxySupport(this WebApplication app)
    {
        // With an empty list the middleware would believe everyone: only use it with named proxies.
        if (app.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() is { Length: > 0 })
        {
            app.UseForwardedHeaders();
        }
        // Sent on HTTPS only (and never for localhost): a plain-HTTP office install is not locked out.
        app.UseHsts();
        return app;
    }
}
