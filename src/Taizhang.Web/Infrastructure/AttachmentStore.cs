using System.Security.Cryptography;

namespace Taizhang.Web.Infrastructure;

/// <summary>Attachments (README "Configuration" and "Limits").</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>
    /// Where the files are kept. Default: an "attachments" folder beside the SQLite file
    /// (data/attachments for the default database), or data/attachments under the working
    /// directory with PostgreSQL. A relative path is taken from the working directory, as the
    /// SQLite file's is.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Largest file accepted (bytes, as uploaded): 10 MB.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest image accepted (width × height), checked before it is decoded: 40 megapixels.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The longer side of an image's thumbnail (pixels).</summary>
    public int ThumbnailSize { get; set; } = 320;

    public const string DefaultFolder = "attachments";

    /// <summary>A limit as people read it: "10 MB", "0.06 MB".</summary>
    public static string Megabytes(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
            ? (bytes / (1024 * 1024)).ToString(System.Globalization.CultureInfo.InvariantCulture) + " MB"
            : (bytes / 1024.0 / 1024.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " MB";

    /// <summary>The folder the options name, made absolute (see <see cref="Directory"/>).</summary>
    public string ResolveDirectory(DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(Directory))
        {
            return Path.GetFullPath(Directory);
        }
        if (!database.IsPostgres)
        {
            var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString ?? $"Data Source={DatabaseSetup.DefaultSqlitePath}");
            if (!string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:"
                && Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource)) is { Length: > 0 } beside)
            {
                return Path.Combine(beside, DefaultFolder);
            }
        }
        return Path.GetFullPath(Path.Combine("data", DefaultFolder));
    }
}

/// <summary>
/// The attachment files, outside the database: each stored once under its own SHA-256
/// (lower-case hex) in a folder of its first two and next two hex digits — content-addressed, so a
/// file is never overwritten with other bytes and the same photo added twice is kept once. Files are
/// written to a temporary file in the store's tmp folder, flushed to disk, and moved into place
/// (a rename on the same file system): a crash leaves either no file or the whole one, never half.
/// The database row is saved only after its file is in place, so a row never names a missing file;
/// a crash between the two leaves an unused file, which harms nothing.
/// </summary>
public sealed class AttachmentStore
{
    public AttachmentStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    private string TempFolder => Path.Combine(Root, "tmp");

    public static bool IsHash(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Where the file with this hash lives (whether or not it exists).</summary>
    public string PathOf(string sha256) => IsHash(sha256)
        ? Path.Combine(Root, sha256[..2], sha256[2..4], sha256)
        : throw new ArgumentException("Not a lower-case hex SHA-256.", nameof(sha256));

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>The stored file for reading; null when it is missing.</summary>
    public Stream? OpenRead(string sha256)
    {
        try
        {
            return new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// A temporary file in the store, to be filled and then committed (or disposed, which deletes it).
    /// </summary>
    public StagedFile CreateStaged()
    {
        Directory.CreateDirectory(TempFolder);
        return new StagedFile(Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".part"));
    }

    /// <summary>
    /// Copies <paramref name="content"/> into a staged file, hashing it on the way; null (nothing
    /// kept) when it holds more than <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<StagedFile?> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var staged = CreateStaged();
        try
        {
            var tooBig = false;
            await using (var target = staged.OpenWrite())
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    if (target.Length + read > maxBytes)
                    {
                        tooBig = true;
                        break;
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (tooBig)
            {
                staged.Dispose();
                return null;
            }
            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Moves a staged file into place under its hash. True when this call put it there; false when
    /// the store already held those bytes (the staged copy is dropped).
    /// </summary>
    public bool Commit(StagedFile staged)
    {
        var sha = staged.Sha256 ?? throw new InvalidOperationException("The staged file was not written through OpenWrite.");
        var target = PathOf(sha);
        if (File.Exists(target))
        {
            staged.Dispose();
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(staged.Path, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // The same bytes arrived at the same moment from another request.
            staged.Dispose();
            return false;
        }
        staged.Committed();
        return true;
    }

    /// <summary>Removes a stored file (only for one this process just put there and no row uses).</summary>
    public void Delete(string sha256)
    {
        try
        {
            File.Delete(PathOf(sha256));
        }
        catch (IOException)
        {
            // Left behind: an unused file harms nothing.
        }
    }

    /// <summary>The SHA-256 of the stored bytes as they are now; null when the file is missing.</summary>
    public async Task<(string Sha256, long Size)?> HashAsync(string sha256, CancellationToken ct)
    {
        await using var stream = OpenRead(sha256);
        if (stream is null)
        {
            return null;
        }
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    /// <summary>Every stored file (its hash), for backups.</summary>
    public IEnumerable<string> All()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }
        foreach (var first in Directory.EnumerateDirectories(Root).Where(d => Path.GetFileName(d) is { Length: 2 }).Order(StringComparer.Ordinal))
        {
            foreach (var second in Directory.EnumerateDirectories(first).Where(d => Path.GetFileName(d) is { Length: 2 }).Order(StringComparer.Ordinal))
            {
                foreach (var file in Directory.EnumerateFiles(second).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(file);
                    if (IsHash(name) && name.StartsWith(Path.GetFileName(first) + Path.GetFileName(second), StringComparison.Ordinal))
                    {
                        yield return name;
                    }
                }
            }
        }
    }

    /// <summary>Temporary files a crashed or killed upload left behind (older than a day).</summary>
    public void RemoveStaleTemporaryFiles(DateTime nowUtc)
    {
        if (!Directory.Exists(TempFolder))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(TempFolder, "*.part"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < nowUtc.AddDays(-1))
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
                // In use or gone: next time.
            }
        }
    }
}

/// <summary>
/// A file being written into the store: hashed while it is written, moved into place by
/// <see cref="AttachmentStore.Commit"/>, deleted on <see cref="Dispose"/> if it never was.
/// </summary>
public sealed class StagedFile : IDisposable
{
    private bool _committed;

    internal StagedFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Set when the stream from <see cref="OpenWrite"/> is disposed.</summary>
    public string? Sha256 { get; private set; }

    public long Size { get; private set; }

    /// <summary>A write stream that hashes what passes through it and flushes it to disk when disposed.</summary>
    public Stream OpenWrite() => new HashingWriteStream(this,
        new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous));

    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);

    internal void Committed() => _committed = true;

    public void Dispose()
    {
        if (!_committed)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // The tmp folder is cleaned of old files at start.
            }
            _committed = true;
        }
    }

    private sealed class HashingWriteStream(StagedFile owner, FileStream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool _done;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            _hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_done)
            {
                _done = true;
                // On disk before it is moved into place and named by its hash.
                inner.Flush(flushToDisk: true);
                owner.Size = inner.Length;
                inner.Dispose();
                owner.Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                await inner.FlushAsync();
            }
            Dispose(true);
            GC.SuppressFinalize(this);
        }
    }
}

public static class AttachmentStorageSetup
{
    /// <summary>The options and the store, for the app and for the commands (backup, restore, verify).</summary>
    public static IServiceCollection AddAttachmentStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AttachmentOptions.Section).Get<AttachmentOptions>() ?? new AttachmentOptions();
        if (options.MaxBytes <= 0 || options.MaxPixels <= 0 || options.ThumbnailSize is < 16 or > 2048)
        {
            throw new InvalidOperationException("Attachments:MaxBytes and Attachments:MaxPixels must be positive; Attachments:ThumbnailSize between 16 and 2048.");
        }
        services.AddSingleton(options);
        services.AddSingleton(sp => new AttachmentStore(options.ResolveDirectory(sp.GetRequiredService<DatabaseOptions>())));
        return services;
    }
}
