using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The pages' stylesheet and script, embedded in the assembly and served from /assets/: a town
/// office may have no internet, so nothing comes from a CDN, and the files travel with the
/// binary wherever it is started from. URLs carry a content hash, so browsers may cache for a year.
/// </summary>
public sealed class Assets
{
    private sealed record Asset(byte[] Content, string ContentType, string Hash);

    private readonly FrozenDictionary<string, Asset> _byName;

    public Assets()
    {
        var assembly = typeof(Assets).Assembly;
        const string prefix = "Taizhang.Web.Assets.";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }
        _byName = assets.ToFrozenDictionary();
    }

    /// <summary>The URL of an asset, with its content hash for cache busting.</summary>
    public string Url(string name) => $"/assets/{name}?v={_byName[name].Hash}";

    public IResult Serve(string name, HttpContext http)
    {
        if (!_byName.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{asset.Hash}\"");
        http.Response.Headers.CacheControl = http.Request.Query["v"] == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.Headers.IfNoneMatch == etag.ToString())
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}

public static class AssetEndpoints
{
    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext http, Assets assets) => assets.Serve(name, http))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
