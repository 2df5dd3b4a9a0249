using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Attachments;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// A meeting's photos and documents (the sign-in sheet, the signed minutes): checked by the same
/// intake as a case's (content type by content, images re-encoded without metadata), stored by
/// SHA-256 in the same store; a refused file stores nothing, and a failed save removes what it stored.
/// </summary>
public static class AddMeetingAttachment
{
    public sealed class Handler(MeetingWorkbench work, MeetingReader reader, MeetingScope scope, AttachmentIntake intake, AttachmentStore store,
        TaizhangDb db)
    {
        /// <summary>404 out of sight, 403 for one who does not run the meeting: before the file is read.</summary>
        public async Task AuthorizeAsync(long id, CancellationToken ct)
        {
            var meeting = await reader.LoadAsync(id, tracked: false, ct) ?? throw new NotFoundException("meeting");
            (await scope.GetAsync(ct)).EnsureRun(meeting);
        }

        public async Task<MeetingAttachmentView> HandleAsync(long id, IFormFile? file, CancellationToken ct)
        {
            await AuthorizeAsync(id, ct);
            using var prepared = await intake.PrepareAsync(file, AttachmentIntake.FileField, ct);
            MeetingAttachment? row = null;
            try
            {
                await work.ChangeAsync(id, c =>
                {
                    if (c.Meeting.Status == MeetingStatus.Cancelled)
                    {
                        throw new Domain.DomainRuleException("meeting.illegal-transition", "A cancelled meeting takes no attachments.",
                            new Dictionary<string, string> { ["state"] = "Meeting" + c.Meeting.Status, ["action"] = "attach" });
                    }
                    prepared.Commit(store);
                    row = new MeetingAttachment(c.Meeting.Id, c.Meeting.TownId, prepared.FileName, prepared.ContentType, prepared.Size, prepared.Sha256,
                        prepared.Thumbnail?.Sha256, prepared.Width, prepared.Height, c.By, c.At);
                    c.Db.Add(row);
                }, ct);
            }
            catch
            {
                foreach (var sha in prepared.Created)
                {
                    if (!await db.CaseAttachments.AsNoTracking().AnyAsync(a => a.Sha256 == sha || a.ThumbnailSha256 == sha, CancellationToken.None)
                        && !await db.Set<MeetingAttachment>().AsNoTracking().AnyAsync(a => a.Sha256 == sha || a.ThumbnailSha256 == sha, CancellationToken.None))
                    {
                        store.Delete(sha);
                    }
                }
                throw;
            }
            return MeetingReader.Attachment(row!);
        }
    }

    public static async Task<Created<MeetingAttachmentView>> Endpoint(long id, HttpRequest request, Handler handler, Texts texts, CancellationToken ct)
    {
        await handler.AuthorizeAsync(id, ct);
        if (!request.HasFormContentType)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { [AttachmentIntake.FileField] = [texts["attachments.error.not-multipart"]] });
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { [AttachmentIntake.FileField] = [texts["attachments.error.unreadable"]] });
        }
        if (form.Files.Count > 1)
        {
            throw new RequestValidationException(new Dictionary<string, string[]> { [AttachmentIntake.FileField] = [texts["attachments.error.one-file"]] });
        }
        var view = await handler.HandleAsync(id, form.Files.GetFile(AttachmentIntake.FileField), ct);
        return TypedResults.Created(view.Url, view);
    }
}

/// <summary>A meeting's attachment, for those who see the meeting.</summary>
public static class GetMeetingAttachment
{
    public sealed class Handler(TaizhangDb db, MeetingReader reader, MeetingScope scope, AttachmentStore store)
    {
        public async Task<GetAttachment.File> HandleAsync(long id, long attachmentId, bool thumbnail, CancellationToken ct)
        {
            var meeting = await reader.LoadAsync(id, tracked: false, ct);
            if (meeting is null || !(await scope.GetAsync(ct)).CanSee(meeting))
            {
                throw new NotFoundException("meeting");
            }
            var a = await db.Set<MeetingAttachment>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.MeetingId == id, ct)
                ?? throw new NotFoundException("attachment");
            var sha = thumbnail ? a.ThumbnailSha256 ?? throw new NotFoundException("attachment") : a.Sha256;
            var stream = store.OpenRead(sha) ?? throw new NotFoundException("attachment");
            return thumbnail
                ? new GetAttachment.File(stream, "image/jpeg", Path.ChangeExtension(a.FileName, ".jpg"), sha, a.AddedAt, Inline: true)
                : new GetAttachment.File(stream, a.ContentType, a.FileName, sha, a.AddedAt, Inline: false);
        }
    }

    public static async Task<IResult> Endpoint(long id, long attachmentId, bool? thumbnail, Handler handler, HttpContext http, CancellationToken ct)
    {
        var file = await handler.HandleAsync(id, attachmentId, thumbnail == true, ct);
        var headers = http.Response.Headers;
        headers.ContentDisposition = GetAttachment.ContentDisposition(file.Inline ? "inline" : "attachment", file.FileName);
        headers.ContentSecurityPolicy = GetAttachment.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(file.Content, file.ContentType, fileDownloadName: null,
            lastModified: new DateTimeOffset(file.AddedAt, TimeSpan.Zero), entityTag: new EntityTagHeaderValue("\"" + file.Sha256 + "\""));
    }
}
