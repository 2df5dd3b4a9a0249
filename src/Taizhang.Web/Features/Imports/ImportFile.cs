using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Imports;

/// <summary>
/// An uploaded sheet: checked (size, readable as .xlsx or CSV, rows) before anything is stored, then
/// imported through the source's mapping when its headers carry it; otherwise kept aside
/// (<see cref="PendingUploads"/>) with a proposed mapping for the person to confirm.
/// </summary>
public static class ImportFile
{
    /// <param name="Result">The import, when it ran.</param>
    /// <param name="Token">The waiting upload, when the mapping must be confirmed first.</param>
    public sealed record Outcome(RunImport.Result? Result, string? Token, string[]? Headers, IReadOnlyDictionary<string, string>? Proposal);

    public sealed class Handler(RunImport.Handler run, ImportSources.Handler sources, PendingUploads pending, CurrentUser user,
        ImportOptions options, Texts texts)
    {
        /// <param name="keep">Keep a sheet whose columns need confirming (the page asks the person); the API does not.</param>
        public async Task<Outcome> UploadAsync(long sourceId, IFormFile? file, CancellationToken ct, bool keep = true)
        {
            var source = await sources.LoadAsync(sourceId, ct);
            if (file is null || file.Length == 0)
            {
                throw FileError(file is null ? "imports.error.file-required" : "imports.error.empty");
            }
            if (file.Length > options.MaxBytes)
            {
                throw FileError("imports.error.too-big", AttachmentOptions.Megabytes(options.MaxBytes));
            }
            byte[] bytes;
            using (var buffer = new MemoryStream())
            {
                await file.CopyToAsync(buffer, ct);
                bytes = buffer.ToArray();
            }
            var sheet = Read(bytes, file.FileName);
            var mapping = ImportFields.Parse(source.Mapping);
            if (ImportFields.Fits(mapping, sheet.Headers))
            {
                return new Outcome(await run.RunAsync(sourceId, sheet, file.FileName, mapping, ct), null, null, null);
            }
            if (!keep)
            {
                return new Outcome(null, null, sheet.Headers, ImportFields.Propose(sheet.Headers, mapping));
            }
            var actor = (await user.GetAsync(ct)).Actor;
            var token = await pending.SaveAsync(actor.Id, bytes, ct);
            return new Outcome(null, token, sheet.Headers, ImportFields.Propose(sheet.Headers, mapping));
        }

        /// <summary>The headers of a waiting upload (to show the mapping form again after a refusal).</summary>
        public async Task<string[]> HeadersAsync(string? token, string fileName, CancellationToken ct)
        {
            var actor = (await user.GetAsync(ct)).Actor;
            var bytes = await pending.LoadAsync(actor.Id, token, ct) ?? throw FileError("imports.error.pending-gone");
            return Read(bytes, fileName).Headers;
        }

        /// <summary>Saves the confirmed mapping on the source and imports the waiting upload with it.</summary>
        public async Task<RunImport.Result> ConfirmAsync(long sourceId, string? token, string fileName, Dictionary<string, string> mapping,
            CancellationToken ct)
        {
            var actor = (await user.GetAsync(ct)).Actor;
            var bytes = await pending.LoadAsync(actor.Id, token, ct) ?? throw FileError("imports.error.pending-gone");
            var sheet = Read(bytes, fileName);
            var missing = mapping.Where(kv => !sheet.Headers.Contains(kv.Value)).Select(kv => kv.Key).ToList();
            if (missing.Count > 0)
            {
                throw new RequestValidationException(missing.ToDictionary(f => "mapping." + f, _ => new[] { texts["imports.error.header-missing"] }));
            }
            var saved = await sources.SaveMappingAsync(sourceId, new ImportSources.MappingRequest(mapping), ct);
            var result = await run.RunAsync(sourceId, sheet, fileName, saved.Mapping, ct);
            pending.Delete(actor.Id, token);
            return result;
        }

        private ImportSheet Read(byte[] bytes, string fileName)
        {
            try
            {
                var sheet = ImportSheetReader.Read(new MemoryStream(bytes), fileName, options.MaxRows);
                return sheet.Rows.Count == 0 ? throw FileError("imports.error.no-rows") : sheet;
            }
            catch (UnreadableSheetException e)
            {
                throw FileError(e.Key, e.Args);
            }
        }

        private RequestValidationException FileError(string key, params object[] args) =>
            new(new Dictionary<string, string[]> { ["file"] = [args.Length == 0 ? texts[key] : texts.Format(key, args)] });
    }
}
