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

    /// <summary>
    /// Largest file an anonymous resident may send through a public upload endpoint (the public form,
    /// <see cref="UploadEndpoint.Public"/>): smaller than Attachments:MaxBytes, since anyone can post there.
    /// </summary>
    public long PublicFileBytes { get; set; } = 5 * 1024 * 1024;
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
        var attachments = app.ApplicationServices.GetService<AttachmentOptions>();
        var form = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<FormOptions>>().Value;
        var publicFileBytes = app.ApplicationServices.GetRequiredService<RequestLimitOptions>().PublicFileBytes;
        return app.Use(async (http, next) =>
        {
            var limit = max;
            var upload = attachments is null ? null : http.GetEndpoint()?.Metadata.GetMetadata<UploadEndpoint>();
            // Only a signed-in person's multipart POST to an upload endpoint may be large: anyone else
            // meets the ordinary limit at the door (the cookie or token is checked here, early, for that alone).
            // A public upload endpoint (the residents' form) takes anyone's multipart POST, to its own smaller limit.
            var fileBytes = upload is { Public: true } ? PublicFileBytes(publicFileBytes, attachments)
                : upload?.MaxFileBytes ?? attachments?.MaxBytes ?? 0;
            if (upload is not null && upload.Takes(http.Request)
                && (upload.Public || (await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http)).Succeeded))
            {
                limit = UploadEndpoint.BodyLimit(max, fileBytes, upload.Files);
                // The form reader's own limit, for this request only (the global one stays at Limits:MaxBodyBytes).
                http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
                {
                    ValueLengthLimit = form.ValueLengthLimit,
                    ValueCountLimit = form.ValueCountLimit,
                    MultipartBodyLengthLimit = limit,
                }));
            }
            else
            {
                upload = null;
            }
            if (http.Request.ContentLength > limit)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // Do not read the body; close the connection rather than drain it.
                http.Response.Headers.Connection = "close";
                if (upload is not null)
                {
                    await TooLargeUploadAsync(http, fileBytes);
                }
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
            await next(http);
        });
    }

    /// <summary>A public endpoint's file limit: Limits:PublicFileBytes, never more than Attachments:MaxBytes.</summary>
    public static long PublicFileBytes(long configured, AttachmentOptions? attachments) =>
        Math.Min(configured, attachments?.MaxBytes ?? configured);

    /// <summary>An upload far over the limit: said as the file's problem (field "file"), not only as "too large".</summary>
    private static async Task TooLargeUploadAsync(HttpContext http, long maxBytes)
    {
        var texts = http.RequestServices.GetRequiredService<Resources.Texts>();
        var message = texts.Format("attachments.error.too-big", AttachmentOptions.Megabytes(maxBytes));
        if (ErrorPage.WantsHtml(http))
        {
            await ErrorPage.WriteAsync(http, message);
            return;
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["file"] = [message] })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Type = ProblemTypes.PayloadTooLarge,
                Title = texts["problem.payload-too-large"],
            },
        });
    }
}

/// <summary>
/// Endpoint metadata (an attribute on a page model, or WithMetadata on an API endpoint): the
/// endpoint takes file uploads, so its body may be larger than Limits:MaxBodyBytes — only there,
/// and on a page only for the named handlers (?handler=…). A file up to twice Attachments:MaxBytes
/// is still read, so that it is refused next to its field with the limit named; a larger body is
/// refused at the door (413, before it is read), still naming the file's limit.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class UploadEndpoint(params string[] pageHandlers) : Attribute
{
    /// <summary>The page handlers that take the upload; none: every request to the endpoint (an API route).</summary>
    public IReadOnlyList<string> PageHandlers { get; } = pageHandlers;

    /// <summary>How many files one request may carry.</summary>
    public int Files { get; init; } = 1;

    /// <summary>
    /// Anyone's multipart POST may carry files here, not only a signed-in person's: the residents' public
    /// form. Its files are held to Limits:PublicFileBytes each (the body to that limit's share); every other
    /// rule stays (a multipart POST to the named handlers only; anything else meets Limits:MaxBodyBytes).
    /// </summary>
    public bool Public { get; init; }

    /// <summary>A file limit of the endpoint's own (an import sheet: Imports:MaxBytes) instead of Attachments:MaxBytes.</summary>
    public long? MaxFileBytes { get; init; }

    /// <summary>The endpoint also takes its large content as a JSON body (an import batch), not only as multipart.</summary>
    public bool TakesJson { get; init; }

    public static long BodyLimit(long maxBodyBytes, long maxFileBytes, int files) => maxBodyBytes + files * 2 * maxFileBytes;

    /// <summary>A multipart POST, to one of <see cref="PageHandlers"/> when the endpoint is a page with several.</summary>
    public bool Takes(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true
            || (TakesJson && request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true))
        && (PageHandlers.Count == 0
            || (request.Query["handler"] is { Count: 1 } handler && PageHandlers.Contains(handler[0], StringComparer.OrdinalIgnoreCase)));
}
