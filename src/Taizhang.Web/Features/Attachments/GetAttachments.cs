using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Attachments;

/// <summary>An attachment as listed: what it is, who added it when, and where to get it (and its thumbnail).</summary>
public sealed record AttachmentView(
    long Id,
    long CaseId,
    AttachmentKind Kind,
    string FileName,
    string ContentType,
    long Size,
    int? Width,
    int? Height,
    string AddedBy,
    DateTime AddedAt,
    string Url,
    string? ThumbnailUrl)
{
    public static AttachmentView Of(CaseAttachment a) => new(
        a.Id, a.CaseId, a.Kind, a.FileName, a.ContentType, a.Size, a.Width, a.Height, a.AddedByName, a.AddedAt,
        $"/api/v1/cases/{a.CaseId}/attachments/{a.Id}",
        a.ThumbnailSha256 is null ? null : $"/api/v1/cases/{a.CaseId}/attachments/{a.Id}?thumbnail=true");
}

/// <summary>GET /api/v1/cases/{id}/attachments: the case's attachments in the order added, for whoever sees the case.</summary>
public static class ListAttachments
{
    public sealed class Handler(TaizhangDb db, CurrentUser user)
    {
        public async Task<IReadOnlyList<AttachmentView>> HandleAsync(long id, CancellationToken ct)
        {
            await GetAttachment.RequireVisibleAsync(db, user, id, ct);
            var rows = await db.CaseAttachments.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Id).ToListAsync(ct);
            return rows.Select(AttachmentView.Of).ToList();
        }
    }

    public static async Task<Ok<IReadOnlyList<AttachmentView>>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}

/// <summary>
/// GET /api/v1/cases/{id}/attachments/{attachmentId}[?thumbnail=true] (and the same under /cases/…
/// for the case page): the file, to whoever may see the case (404 otherwise, as for the case). Sent as
/// a download (Content-Disposition: attachment, with the name in RFC 5987 form), never sniffed
/// (nosniff), under a policy that lets nothing run (default-src 'none'; sandbox) even if opened in
/// the browser. Thumbnails — our own JPEGs — are shown inline.
/// </summary>
public static class GetAttachment
{
    public sealed record File(Stream Content, string ContentType, string FileName, string Sha256, DateTime AddedAt, bool Inline);

    public const string ContentSecurityPolicy = "default-src 'none'; sandbox";

    public sealed class Handler(TaizhangDb db, CurrentUser user, AttachmentStore store, ILogger<Handler> log)
    {
        public async Task<File> HandleAsync(long id, long attachmentId, bool thumbnail, CancellationToken ct)
        {
            await RequireVisibleAsync(db, user, id, ct);
            var a = await db.CaseAttachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.CaseId == id, ct)
                ?? throw new NotFoundException("attachment");
            var sha = thumbnail ? a.ThumbnailSha256 ?? throw new NotFoundException("attachment") : a.Sha256;
            var stream = store.OpenRead(sha);
            if (stream is null)
            {
                // Ids and the hash only: file names can carry a resident's name.
                log.LogError("Attachment {AttachmentId} of case {CaseId}: the stored file {Sha256} is missing (run verify).", a.Id, a.CaseId, sha);
                throw new NotFoundException("attachment");
            }
            return thumbnail
                ? new File(stream, "image/jpeg", System.IO.Path.ChangeExtension(a.FileName, ".jpg"), sha, a.AddedAt, Inline: true)
                : new File(stream, a.ContentType, a.FileName, sha, a.AddedAt, Inline: false);
        }
    }

    /// <summary>404 for a case the caller may not see, exactly as for a case that does not exist.</summary>
    internal static async Task RequireVisibleAsync(TaizhangDb db, CurrentUser user, long id, CancellationToken ct)
    {
        var access = await user.AccessAsync(ct);
        if (!await access.Visible(db.Cases.AsNoTracking()).AnyAsync(c => c.Id == id, ct))
        {
            throw new NotFoundException("case");
        }
    }

    public static async Task<IResult> Endpoint(long id, long attachmentId, bool? thumbnail, Handler handler, HttpContext http, CancellationToken ct)
    {
        var file = await handler.HandleAsync(id, attachmentId, thumbnail == true, ct);
        var headers = http.Response.Headers;
        headers.ContentDisposition = ContentDisposition(file.Inline ? "inline" : "attachment", file.FileName);
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // The bytes never change (named by their hash), but who may read them can: ask each time, answer 304 when unchanged.
        headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(file.Content, file.ContentType, fileDownloadName: null,
            lastModified: new DateTimeOffset(file.AddedAt, TimeSpan.Zero), entityTag: new EntityTagHeaderValue("\"" + file.Sha256 + "\""));
    }

    /// <summary>
    /// RFC 6266 with an RFC 5987 name: an ASCII fallback (anything else, quotes and backslashes
    /// become "_") and the UTF-8 name percent-encoded.
    /// </summary>
    public static string ContentDisposition(string type, string fileName)
    {
        var fallback = new StringBuilder(fileName.Length);
        foreach (var c in fileName)
        {
            fallback.Append(c is >= ' ' and <= '~' and not '"' and not '\\' and not '%' ? c : '_');
        }
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(fileName))
        {
            // attr-char (RFC 5987): ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else %XX.
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || "!#$&+-.^_`|~".Contains((char)b))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return $"{type}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}";
    }
}
