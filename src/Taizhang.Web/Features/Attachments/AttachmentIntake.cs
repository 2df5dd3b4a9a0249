using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Processing;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Attachments;

/// <summary>The kinds of file a case takes, each recognised by its content.</summary>
public enum FileType
{
    Jpeg,
    Png,
    Webp,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
}

/// <summary>
/// An accepted upload, ready to add to a case: its file (re-encoded for images) and thumbnail are
/// staged in the store, not yet in place. Disposing it removes whatever was not committed.
/// </summary>
public sealed class PreparedAttachment(FileType type, string fileName, StagedFile file, StagedFile? thumbnail, int? width, int? height) : IDisposable
{
    private readonly List<string> _created = [];

    public FileType Type { get; } = type;
    public string FileName { get; } = fileName;
    public string ContentType => AttachmentIntake.ContentTypeOf(Type);
    public StagedFile File { get; } = file;
    public StagedFile? Thumbnail { get; } = thumbnail;
    public string Sha256 => File.Sha256!;
    public long Size => File.Size;
    public int? Width { get; } = width;
    public int? Height { get; } = height;

    /// <summary>The hashes this upload put into the store (not those already there): what a failed save must remove again.</summary>
    public IReadOnlyList<string> Created => _created;

    /// <summary>Moves the file (and thumbnail) into place; remembers which were new.</summary>
    public void Commit(AttachmentStore store)
    {
        foreach (var staged in new[] { File, Thumbnail })
        {
            if (staged is not null && staged.Sha256 is { } sha && store.Commit(staged))
            {
                _created.Add(sha);
            }
        }
    }

    public void Dispose()
    {
        File.Dispose();
        Thumbnail?.Dispose();
    }
}

/// <summary>
/// Looks at an upload and decides what it is by its content, never by its name or the type the
/// client claims: JPEG, PNG and WebP images (decoded and re-encoded with all their metadata — EXIF
/// with its GPS position, XMP, ICC, text chunks — removed, after the EXIF orientation is applied;
/// a thumbnail made), PDF, and Office documents (.docx, .xlsx, .pptx: a ZIP whose
/// [Content_Types].xml names the main part of one of them, and which holds no macros). Anything else,
/// an empty or oversized file and an image that does not decode are refused with a field error, and
/// nothing is left in the store.
/// </summary>
public sealed class AttachmentIntake(AttachmentStore store, AttachmentOptions options, Texts texts)
{
    public const string FileField = "file";

    /// <summary>One image decoded at a time per core pair: a 40-megapixel photo takes ~160 MB while it is worked on.</summary>
    private static readonly SemaphoreSlim ImageGate = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>
    /// Only the three decoders we accept (no BMP, GIF, TGA or TIFF decoder is reachable), one thread
    /// each, and no single buffer over 256 MB whatever the file claims.
    /// </summary>
    private static readonly Configuration Imaging = new(new JpegConfigurationModule(), new PngConfigurationModule(), new WebpConfigurationModule())
    {
        MaxDegreeOfParallelism = 1,
        MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 64, AllocationLimitMegabytes = 256 }),
    };

    public static string ContentTypeOf(FileType type) => type switch
    {
        FileType.Jpeg => "image/jpeg",
        FileType.Png => "image/png",
        FileType.Webp => "image/webp",
        FileType.Pdf => "application/pdf",
        FileType.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        FileType.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileType.Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    /// <summary>The extensions a stored file's name may end in; the first is given when it has none of them.</summary>
    public static IReadOnlyList<string> ExtensionsOf(FileType type) => type switch
    {
        FileType.Jpeg => [".jpg", ".jpeg"],
        FileType.Png => [".png"],
        FileType.Webp => [".webp"],
        FileType.Pdf => [".pdf"],
        FileType.Docx => [".docx"],
        FileType.Xlsx => [".xlsx"],
        FileType.Pptx => [".pptx"],
    };

    /// <summary>For a file input's accept attribute (a hint to the browser; the content decides).</summary>
    public const string Accept = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.pptx";

    /// <summary>
    /// Reads, checks and stages the upload; refusals are field errors under <paramref name="field"/>.
    /// Nothing is written outside the store's tmp folder, and nothing stays there when it is refused.
    /// </summary>
    public async Task<PreparedAttachment> PrepareAsync(IFormFile? file, string field, CancellationToken ct)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            throw Refused(field, texts["attachments.error.required"]);
        }
        if (file.Length == 0)
        {
            throw Refused(field, texts["attachments.error.empty"]);
        }
        if (file.Length > options.MaxBytes)
        {
            throw Refused(field, TooBig());
        }
        StagedFile? upload;
        await using (var content = file.OpenReadStream())
        {
            upload = await store.StageAsync(content, options.MaxBytes, ct) ?? throw Refused(field, TooBig());
        }
        try
        {
            var type = await SniffAsync(upload, field, ct);
            if (!await CompleteAsync(upload, type, ct))
            {
                // A decoder fills in what is missing; a cut-off photo or a "PDF" of a header alone is no record.
                throw Refused(field, texts[type is FileType.Pdf ? "attachments.error.corrupt" : "attachments.error.corrupt-image"]);
            }
            if (type is FileType.Jpeg or FileType.Png or FileType.Webp)
            {
                return await ReencodeAsync(upload, type, file.FileName, field, ct);
            }
            var prepared = new PreparedAttachment(type, SafeName(file.FileName, type), upload, null, null, null);
            upload = null;
            return prepared;
        }
        finally
        {
            upload?.Dispose();
        }
    }

    private string TooBig() => texts.Format("attachments.error.too-big", AttachmentOptions.Megabytes(options.MaxBytes));

    private static RequestValidationException Refused(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Whether the file ends as its format ends: a JPEG with its end-of-image marker (zero padding
    /// after it allowed), a PNG with its IEND chunk, a WebP as long as its RIFF header says, a PDF
    /// with %%EOF near its end. Office files are whole ZIPs already (their directory is at the end).
    /// </summary>
    private static async Task<bool> CompleteAsync(StagedFile upload, FileType type, CancellationToken ct)
    {
        if (type is not (FileType.Jpeg or FileType.Png or FileType.Webp or FileType.Pdf))
        {
            return true;
        }
        await using var stream = upload.OpenRead();
        var length = stream.Length;
        var head = new byte[12];
        var headRead = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var tail = new byte[(int)Math.Min(length, 1024)];
        stream.Seek(length - tail.Length, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(tail, ct);
        ReadOnlySpan<byte> t = tail;
        switch (type)
        {
            case FileType.Jpeg:
                var end = t.TrimEnd((byte)0);
                return end.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9]);
            case FileType.Png:
                return t.EndsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]);
            case FileType.Webp:
                var riff = headRead >= 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4, 4)) : 0;
                return riff + 8L is var declared && declared <= length && declared >= length - 1;
            default:
                return t.IndexOf("%%EOF"u8) >= 0;
        }
    }

    /// <summary>The type by the file's first bytes (and, for a ZIP, by its Office parts).</summary>
    private async Task<FileType> SniffAsync(StagedFile upload, string field, CancellationToken ct)
    {
        var head = new byte[16];
        int n;
        await using (var stream = upload.OpenRead())
        {
            n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        }
        var h = head.AsSpan(0, n);
        if (h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return FileType.Jpeg;
        }
        if (h.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return FileType.Png;
        }
        if (h.Length >= 12 && h[..4].SequenceEqual("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8))
        {
            return FileType.Webp;
        }
        if (h.StartsWith("%PDF-"u8))
        {
            return FileType.Pdf;
        }
        if (h.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            // OLE2 (.doc, .xls, .ppt, and also .msg, .msi …): telling them apart means walking the
            // compound file's own directory, and they are where macros live unseen. Refused, saying so.
            throw Refused(field, texts["attachments.error.legacy-office"]);
        }
        if (h.StartsWith("PK\u0003\u0004"u8))
        {
            return OfficeType(upload, field);
        }
        throw Refused(field, texts["attachments.error.type"]);
    }

    private const string WordMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    private const string ExcelMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    private const string PowerPointMain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";

    /// <summary>
    /// A ZIP is an Office document when its [Content_Types].xml gives one of the three main-part
    /// types to a part it holds. Only that small XML is read (never the rest, so a zip bomb costs
    /// nothing); macro-enabled variants (.docm, .xlsm, .pptm) and any VBA project are refused.
    /// </summary>
    private FileType OfficeType(StagedFile upload, string field)
    {
        try
        {
            using var zip = ZipFile.OpenRead(upload.Path);
            if (zip.Entries.Count is 0 or > 10_000)
            {
                throw Refused(field, texts["attachments.error.type"]);
            }
            if (zip.Entries.Any(e => e.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            {
                throw Refused(field, texts["attachments.error.macro"]);
            }
            var types = zip.GetEntry("[Content_Types].xml");
            if (types is null || types.Length > 1024 * 1024)
            {
                throw Refused(field, texts["attachments.error.type"]);
            }
            var overrides = new List<(string Part, string Type)>();
            using (var xml = XmlReader.Create(types.Open(), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = 2 * 1024 * 1024,
                IgnoreComments = true,
            }))
            {
                while (xml.Read())
                {
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Override"
                        && xml.GetAttribute("PartName") is { } part && xml.GetAttribute("ContentType") is { } type)
                    {
                        overrides.Add((part.TrimStart('/'), type.Trim()));
                    }
                }
            }
            if (overrides.Any(o => o.Type.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase)))
            {
                throw Refused(field, texts["attachments.error.macro"]);
            }
            foreach (var (part, type) in overrides)
            {
                FileType? found = type switch
                {
                    WordMain => FileType.Docx,
                    ExcelMain => FileType.Xlsx,
                    PowerPointMain => FileType.Pptx,
                    _ => null,
                };
                if (found is { } office && zip.GetEntry(part) is not null)
                {
                    return office;
                }
            }
            throw Refused(field, texts["attachments.error.type"]);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or IOException or ArgumentException or NotSupportedException)
        {
            throw Refused(field, texts["attachments.error.corrupt"]);
        }
    }

    /// <summary>
    /// Identify (dimensions, from the header only) → refuse an image over the pixel limit → decode →
    /// apply the EXIF orientation → drop every profile and text → encode the same format anew, and a
    /// JPEG thumbnail on white. Only the pixels survive.
    /// </summary>
    private async Task<PreparedAttachment> ReencodeAsync(StagedFile upload, FileType type, string? name, string field, CancellationToken ct)
    {
        await ImageGate.WaitAsync(ct);
        StagedFile? output = null;
        StagedFile? thumbnail = null;
        try
        {
            Image image;
            await using (var source = upload.OpenRead())
            {
                IImageInfo? info;
                IImageFormat? format;
                try
                {
                    info = Image.Identify(Imaging, source, out format);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw Refused(field, texts["attachments.error.corrupt-image"]);
                }
                if (info is null || format is null || !Matches(format, type) || info.Width <= 0 || info.Height <= 0)
                {
                    throw Refused(field, texts["attachments.error.corrupt-image"]);
                }
                if ((long)info.Width * info.Height > options.MaxPixels)
                {
                    throw Refused(field, texts.Format("attachments.error.too-many-pixels",
                        (options.MaxPixels / 10_000.0).ToString("0.#", CultureInfo.InvariantCulture), info.Width, info.Height,
                        (options.MaxPixels / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture)));
                }
                source.Position = 0;
                try
                {
                    image = await Image.LoadAsync(Imaging, source, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw Refused(field, texts["attachments.error.corrupt-image"]);
                }
            }
            using (image)
            {
                while (image.Frames.Count > 1)
                {
                    // An animation keeps its first frame: evidence is a picture, not a film.
                    image.Frames.RemoveFrame(1);
                }
                image.Mutate(x => x.AutoOrient());
                StripMetadata(image);

                output = store.CreateStaged();
                await using (var target = output.OpenWrite())
                {
                    await image.SaveAsync(target, EncoderFor(type), ct);
                }
                thumbnail = store.CreateStaged();
                var (w, h) = ThumbnailSize(image.Width, image.Height, options.ThumbnailSize);
                using (var small = image.Clone(x => x.Resize(w, h).BackgroundColor(Color.White)))
                await using (var target = thumbnail.OpenWrite())
                {
                    await small.SaveAsync(target, new JpegEncoder { Quality = 80 }, ct);
                }
                var prepared = new PreparedAttachment(type, SafeName(name, type), output, thumbnail, image.Width, image.Height);
                output = thumbnail = null;
                return prepared;
            }
        }
        finally
        {
            ImageGate.Release();
            output?.Dispose();
            thumbnail?.Dispose();
        }
    }

    private static bool Matches(IImageFormat format, FileType type) => type switch
    {
        FileType.Jpeg => format is JpegFormat,
        FileType.Png => format is PngFormat,
        FileType.Webp => format is WebpFormat,
        _ => false,
    };

    private static IImageEncoder EncoderFor(FileType type) => type switch
    {
        FileType.Jpeg => new JpegEncoder { Quality = 88 },
        FileType.Png => new PngEncoder { IgnoreMetadata = true, CompressionLevel = PngCompressionLevel.BestCompression },
        FileType.Webp => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 88 },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Everything but the pixels: EXIF (the GPS position with it), XMP, ICC, IPTC, and PNG text.</summary>
    private static void StripMetadata(Image image)
    {
        image.Metadata.ExifProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.GetPngMetadata().TextData.Clear();
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
        }
    }

    /// <summary>The longer side at most <paramref name="max"/>; never enlarged.</summary>
    public static (int Width, int Height) ThumbnailSize(int width, int height, int max)
    {
        if (width <= max && height <= max)
        {
            return (width, height);
        }
        return width >= height
            ? (max, Math.Max(1, (int)Math.Round((double)height * max / width)))
            : (Math.Max(1, (int)Math.Round((double)width * max / height)), max);
    }

    /// <summary>Extensions that name another kind of file: replaced by the real type's, not kept before it.</summary>
    private static readonly HashSet<string> KnownExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".svg", ".pdf", ".doc", ".docx", ".docm",
        ".dot", ".dotx", ".xls", ".xlsx", ".xlsm", ".ppt", ".pptx", ".pptm", ".txt", ".rtf", ".csv", ".zip", ".rar", ".7z", ".exe", ".com",
        ".bat", ".cmd", ".scr", ".msi", ".js", ".vbs", ".ps1", ".sh", ".html", ".htm", ".xhtml", ".xml", ".php", ".jar", ".apk", ".lnk",
    };

    public const string DefaultName = "附件";

    /// <summary>
    /// The name as shown and downloaded: the last path segment only, without control, format
    /// (bidirectional overrides, zero-width) or unassigned characters, with characters file systems
    /// refuse replaced, trimmed, at most 200 characters, ending in the extension of its real type.
    /// </summary>
    public static string SafeName(string? raw, FileType type)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var sb = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }
            if (Rune.IsWhiteSpace(rune))
            {
                sb.Append(' ');
            }
            else if (rune.IsAscii && "<>:\"|?*".Contains((char)rune.Value))
            {
                sb.Append('_');
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        name = string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim(' ', '.');
        var extensions = ExtensionsOf(type);
        var extension = Path.GetExtension(name);
        string stem;
        if (extensions.Contains(extension.ToLowerInvariant()))
        {
            stem = name[..^extension.Length];
            extension = extension.ToLowerInvariant();
        }
        else
        {
            stem = KnownExtensions.Contains(extension) ? name[..^extension.Length] : name;
            extension = extensions[0];
        }
        stem = stem.Trim(' ', '.');
        if (stem.Length == 0)
        {
            stem = DefaultName;
        }
        var room = Domain.Cases.Case.AttachmentNameMaxLength - extension.Length;
        if (stem.Length > room)
        {
            // Cut on a character, never inside a surrogate pair.
            var cut = room;
            if (char.IsLowSurrogate(stem[cut]) && cut > 0)
            {
                cut--;
            }
            stem = stem[..cut].TrimEnd(' ', '.');
        }
        return stem + extension;
    }
}
