using Microsoft.AspNetCore.Http.Features;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Size limits on what a client may send (README "Limits"). The largest legitimate body is a case
/// with a 4,000-character description, a few KB; 256 KB leaves room for any real form or JSON and
/// none for a body meant to exhaust memory. Kestrel enforces the body limit while reading (also for
/// chunked bodies); the middleware answers a declared oversized body at once with 413 — problem+json
/// on the API, the error page on pages.
/// </summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Longest single form field (the longest text field is 4,000 characters, up to 12,000 UTF-8 bytes).</summary>
    public int MaxFormValueBytes { get; set; } = 64 * 1024;

    public int MaxFormFields { get; set; } = 256;
}

public static class RequestLimits
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RequestLimitOptions.Section).Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        builder.Services.AddSingleton(limits);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = limits.MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestLineSize = 8 * 1024;
        });
        builder.Services.Configure<FormOptions>(o =>
        {
            o.ValueLengthLimit = limits.MaxFormValueBytes;
            o.ValueCountLimit = limits.MaxFormFields;
            o.MultipartBodyLengthLimit = limits.MaxBodyBytes;
        });
        return builder;
    }

    /// <summary>After UseStatusCodePages, so that the bare 413 becomes a problem (API) or the error page.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var max = app.ApplicationServices.GetRequiredService<RequestLimitOptions>().MaxBodyBytes;
        return app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > max)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // Do not read the body; close the connection rather than drain it.
                http.Response.Headers.Connection = "close";
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = max;
            }
            await next(http);
        });
    }
}
