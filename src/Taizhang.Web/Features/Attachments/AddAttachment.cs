using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Attachments;

/// <summary>
/// Adds a photo or document to a case: POST /api/v1/cases/{id}/attachments (multipart/form-data:
/// <c>file</c>, optional <c>kind</c> = Registration | Handling | Evidence; without it the kind
/// follows the case's state). Who may: whoever's post allows AddAttachment on the case (the town
/// office, the handling unit, the village), and whoever registered it while it waits for triage.
/// The case's AddAttachment event and the row are saved together, after the file is in the store.
/// </summary>
public static class AddAttachment
{
    public sealed class Handler(CaseWorkbench work, AttachmentIntake intake, AttachmentWriter writer, Texts texts)
    {
        /// <summary>
        /// Checks scope and permission before the file is read (an upload to a case one cannot touch
        /// costs no decoding), then the kind, then the file; refusals name <paramref name="fileField"/>
        /// and "kind".
        /// </summary>
        public async Task<AttachmentView> HandleAsync(long id, IFormFile? file, string? kind, CancellationToken ct, string fileField = AttachmentIntake.FileField)
        {
            await AuthorizeAsync(id, ct);
            var errors = new FieldErrors();
            var chosen = RequestParsing.Enum<AttachmentKind>(errors, texts, "kind", kind);
            errors.ThrowIfAny();
            using var prepared = await intake.PrepareAsync(file, fileField, ct);
            return await AddAsync(id, prepared, chosen, ct);
        }

        /// <summary>
        /// Adds an upload prepared beforehand (<see cref="AttachmentIntake.PrepareAsync"/>), e.g. right
        /// after a desk registration whose files were checked before the case was registered.
        /// </summary>
        public async Task<AttachmentView> AddAsync(long id, PreparedAttachment prepared, AttachmentKind? kind, CancellationToken ct)
        {
            CaseAttachment? row = null;
            await writer.GuardAsync(prepared, () => work.ChangeAsync(id, CaseAction.AddAttachment, c => row = writer.Add(c, prepared, kind), ct));
            return AttachmentView.Of(row!);
        }

        /// <summary>404 out of scope, 403 without the right, before any work on the file.</summary>
        public async Task AuthorizeAsync(long id, CancellationToken ct)
        {
            var @case = await work.LoadAsync(id, ct) ?? throw new NotFoundException("case");
            await work.AuthorizeAsync(@case, CaseAction.AddAttachment, ct);
        }

        /// <summary>
        /// 办结 with 办结佐证 in one save: the resolution and the evidence both, or neither. The file is
        /// checked before (a refused file resolves nothing); a refused resolution stores no file.
        /// </summary>
        public async Task<CaseDetail> ResolveWithEvidenceAsync(long id, ResolveCase.Request request, PreparedAttachment evidence, CancellationToken ct) =>
            await writer.GuardAsync(evidence, () => work.ChangeAsync(id, CaseAction.Resolve, async c =>
            {
                ResolveCase.Apply(c, request);
                if (!await work.MayAsync(c.Case, CaseAction.AddAttachment, ct))
                {
                    throw new ForbiddenException();
                }
                writer.Add(c, evidence, AttachmentKind.Evidence);
            }, ct));
    }

    /// <summary>Multipart form data: a file part named "file", and "kind" optionally.</summary>
    public static async Task<Created<AttachmentView>> Endpoint(long id, HttpRequest request, Handler handler, Texts texts, CancellationToken ct)
    {
        // Scope first: a case the caller may not see is 404 whatever the body.
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
        var view = await handler.HandleAsync(id, form.Files.GetFile(AttachmentIntake.FileField), form["kind"].FirstOrDefault(), ct);
        return TypedResults.Created(view.Url, view);
    }
}

/// <summary>Puts a prepared upload on a case inside a change, and cleans up after a change that failed.</summary>
public sealed class AttachmentWriter(AttachmentStore store, TaizhangDb db)
{
    /// <summary>
    /// In a case change (before its one save): the domain event, the file and thumbnail moved into
    /// the store, and the row. The file is in place before the row is saved.
    /// </summary>
    public CaseAttachment Add(CaseChange c, PreparedAttachment file, AttachmentKind? kind)
    {
        var chosen = c.Case.AddAttachment(kind, file.FileName, file.ContentType, file.Size, file.Sha256, c.By, c.At);
        file.Commit(store);
        var row = new CaseAttachment(c.Case.Id, c.Case.TownId, c.Case.EventCount, chosen, file.FileName, file.ContentType, file.Size, file.Sha256,
            file.Thumbnail?.Sha256, file.Width, file.Height, c.By, c.At);
        c.Db.CaseAttachments.Add(row);
        return row;
    }

    /// <summary>
    /// Runs a change that adds <paramref name="file"/>; when it fails (a refused resolution, a
    /// concurrent change), the files it put into the store are removed again unless a saved row
    /// uses them (the same photo on another case), so a refused request leaves nothing behind.
    /// </summary>
    public async Task<T> GuardAsync<T>(PreparedAttachment file, Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch
        {
            foreach (var sha in file.Created)
            {
                if (!await db.CaseAttachments.AsNoTracking().AnyAsync(a => a.Sha256 == sha || a.ThumbnailSha256 == sha, CancellationToken.None))
                {
                    store.Delete(sha);
                }
            }
            throw;
        }
    }
}
