using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The intake journal (SQLite only; docs/BENCHMARKS.md, "An intake journal for SQLite"): an append-only file of
/// registrations in the order they were accepted, written and fsynced before the ledger's tables are. A
/// registration that asked for it (<c>Prefer: respond-async</c>) is acknowledged once its record is durable here;
/// the intake writer's applier then writes the ledger rows from the records, in order, and stores the last applied
/// record's number in the same transaction (<see cref="IntakeWriter"/>). The journal is a folder beside the
/// database file (<c>taizhang.db.intake/</c>) of segments named by their first record's number.
/// <para>
/// A record: payload length (4 bytes), CRC-32 of number and payload (4), number (8), payload. A record cut short or
/// failing its CRC (a power cut during the write) was never acknowledged — acknowledgement follows the fsync — and
/// is cut off when the journal opens. Numbers are consecutive; each segment starts where the last one ended.
/// </para>
/// <para>Not thread-safe: one appender (the writer's journal loop); readers open their own <see cref="Reader"/>.</para>
/// </summary>
public sealed class IntakeJournal : IDisposable
{
    private const int HeaderBytes = 16;

    /// <summary>No record is larger (a case, its events, reporters, notifications and index row: a few KB).</summary>
    public const int MaxRecordBytes = 4 * 1024 * 1024;

    private const string Extension = ".log";

    private readonly long _segmentBytes;
    private FileStream? _segment;
    private long _segmentFirst;

    /// <summary>
    /// The next append starts a new segment rather than continuing the last one: numbering does not follow its last
    /// record (a journal emptied behind the ledger), or its tail could not be cut back after a failed write. Records
    /// within a segment are always consecutive, which is what opening and reading rely on.
    /// </summary>
    private bool _newSegment;

    /// <summary>A failed write whose partial records could not be cut off: nothing more is appended until a restart.</summary>
    private bool _broken;

    public string Folder { get; }

    /// <summary>The number the next appended record gets.</summary>
    public long NextSeq { get; private set; }

    /// <summary>The journal folder of a SQLite database file.</summary>
    public static string FolderOf(string databaseFile) => Path.GetFullPath(databaseFile) + ".intake";

    /// <summary>Held while the journal is open: one appender per folder, whatever the process.</summary>
    private readonly FileStream _owner;

    private IntakeJournal(string folder, long segmentBytes, FileStream owner)
    {
        Folder = folder;
        _segmentBytes = segmentBytes;
        _owner = owner;
    }

    /// <summary>Another process (or host) has the journal open: it is the one appending to it.</summary>
    public sealed class InUseException(string folder, Exception inner)
        : IOException($"The intake journal {folder} is open in another process.", inner);

    /// <summary>
    /// Opens (or creates) the journal: the last segment's torn tail is cut off, and numbering continues after
    /// the last whole record or after <paramref name="appliedSeq"/>, whichever is later (a journal folder lost
    /// or emptied after its records were applied must not number records again from 1).
    /// </summary>
    public static IntakeJournal Open(string folder, long appliedSeq, long segmentBytes = 64L * 1024 * 1024)
    {
        Directory.CreateDirectory(folder);
        FileStream owner;
        try
        {
            // FileShare.None is an exclusive lock on the file (flock on Linux): a second server on the same database,
            // or a second host in one process, cannot append to the same journal and number records twice.
            owner = new FileStream(Path.Combine(folder, "owner.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InUseException(folder, e);
        }
        var journal = new IntakeJournal(folder, segmentBytes, owner);
        var segments = Segments(folder);
        var next = appliedSeq + 1;
        if (segments.Count > 0)
        {
            try
            {
                journal.NextSeq = CutTornTail(segments[^1].First, segments[^1].Path, next, out var continues);
                journal._newSegment = !continues;
            }
            catch
            {
                journal.Dispose();
                throw;
            }
            return journal;
        }
        journal.NextSeq = next;
        return journal;
    }

    /// <summary>Cuts the last segment back to its whole records; the number after its last one (or <paramref name="next"/>).</summary>
    private static long CutTornTail(long first, string path, long next, out bool continues)
    {
        var (end, last) = ScanValid(path, first);
        continues = next <= last + 1;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
        {
            if (f.Length > end)
            {
                f.SetLength(end);
                f.Flush(flushToDisk: true);
            }
        }
        return Math.Max(next, last + 1);
    }

    /// <summary>The segments, oldest first, by their first record's number.</summary>
    internal static List<(long First, string Path)> Segments(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*" + Extension)
                .Select(p => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n), n, p))
                .Where(x => x.Ok).Select(x => (x.n, x.p)).OrderBy(x => x.n).ToList()
            : [];

    /// <summary>The length of the segment's whole, valid records and the last one's number (first − 1 when none).</summary>
    private static (long End, long Last) ScanValid(string path, long first)
    {
        using var reader = Reader.OfSegment(path, first);
        var last = first - 1;
        while (reader.TryRead(out var seq, out _))
        {
            last = seq;
        }
        return (reader.Position, last);
    }

    /// <summary>
    /// Appends the records and makes them durable (one write, one fsync); returns the first one's number. On a
    /// failure nothing of it counts: the segment is cut back to where it was, and the numbers are not used.
    /// </summary>
    public long Append(IReadOnlyList<byte[]> payloads)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken)
        {
            throw new IOException($"The intake journal {Folder} could not cut off a failed write; restart to reopen it.");
        }
        var first = NextSeq;
        if (_segment is null || _segment.Length >= _segmentBytes || _newSegment)
        {
            StartSegment(first);
        }
        var segment = _segment!;
        var size = payloads.Sum(p => (long)HeaderBytes + p.Length);
        var buffer = new byte[size];
        var at = 0;
        var seq = first;
        foreach (var p in payloads)
        {
            if (p.Length > MaxRecordBytes)
            {
                throw new InvalidOperationException($"A journal record of {p.Length} bytes is over the limit.");
            }
            Frame(buffer.AsSpan(at), seq++, p);
            at += HeaderBytes + p.Length;
        }
        var before = segment.Length;
        try
        {
            segment.Position = before;
            segment.Write(buffer);
            segment.Flush(flushToDisk: true);
        }
        catch
        {
            // Nothing was acknowledged: cut the partial write off so the next records follow whole ones. If even
            // that fails the segment is closed and the next append starts a new one (opening cuts the tail off).
            try
            {
                segment.SetLength(before);
                segment.Flush(flushToDisk: true);
            }
            catch
            {
                // Whole records may be left after the last good one: appending after them would number records twice.
                // Opening again (a restart) cuts or keeps them by their CRC; until then nothing is acknowledged.
                segment.Dispose();
                _segment = null;
                _broken = true;
            }
            throw;
        }
        NextSeq = seq;
        return first;
    }

    private void StartSegment(long first)
    {
        _segment?.Flush(flushToDisk: true);
        _segment?.Dispose();
        _segment = null;
        // Append to the last segment while it is under the size; a new segment otherwise (named by its first record).
        var segments = Segments(Folder);
        var fresh = _newSegment;
        _newSegment = false;
        if (!fresh && segments.Count > 0 && new FileInfo(segments[^1].Path).Length < _segmentBytes)
        {
            _segment = new FileStream(segments[^1].Path, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            _segment.Seek(0, SeekOrigin.End);
            _segmentFirst = segments[^1].First;
            return;
        }
        var path = PathOf(Folder, first);
        _segment = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        _segmentFirst = first;
        SyncFolder(Folder);
    }

    /// <summary>The new segment's name is durable before a record in it is acknowledged.</summary>
    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            using var handle = File.OpenHandle(folder, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some file systems refuse to open a folder for this; the file's own fsync is what they offer.
        }
    }

    internal static string PathOf(string folder, long first) =>
        Path.Combine(folder, first.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Deletes the segments whose every record is at or below <paramref name="appliedSeq"/> (never the one being written).</summary>
    public int DeleteApplied(long appliedSeq)
    {
        var segments = Segments(Folder);
        var deleted = 0;
        for (var i = 0; i + 1 < segments.Count; i++)
        {
            // A segment's last record is one before the next segment's first.
            if (segments[i + 1].First - 1 <= appliedSeq && segments[i].First != _segmentFirst)
            {
                File.Delete(segments[i].Path);
                deleted++;
            }
        }
        return deleted;
    }

    private static void Frame(Span<byte> into, long seq, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(into, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(into[8..], seq);
        payload.CopyTo(into[HeaderBytes..]);
        BinaryPrimitives.WriteUInt32LittleEndian(into[4..], Crc32.Of(into.Slice(8, 8 + payload.Length)));
    }

    private bool _disposed;

    public void Dispose()
    {
        _disposed = true;
        _segment?.Dispose();
        _segment = null;
        _owner.Dispose();
    }

    /// <summary>
    /// Reads records in order from a number on, across segments, up to the last whole one: the applier's and the
    /// start-up replay's reader. A record not yet wholly written is not read (the position stays before it).
    /// </summary>
    public sealed class Reader : IDisposable
    {
        private readonly string? _folder;
        private FileStream? _file;
        private long _first;
        private long _expected;
        private byte[] _buffer = new byte[64 * 1024];

        /// <summary>Reads one segment file only (opening's scan).</summary>
        private Reader(FileStream file, long first)
        {
            _file = file;
            _first = first;
            _expected = first;
        }

        internal static Reader OfSegment(string path, long first) =>
            new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1), first);

        /// <summary>Reads the journal in <paramref name="folder"/> from the record after <paramref name="afterSeq"/>.</summary>
        public Reader(string folder, long afterSeq)
        {
            _folder = folder;
            _expected = afterSeq + 1;
            OpenSegmentFor(_expected);
            // Skip the records of the segment before the wanted one.
            while (_file is not null && Peek(out var seq, out var length) && seq < _expected)
            {
                _file.Position += HeaderBytes + length;
            }
        }

        public long Position => _file?.Position ?? 0;

        private void OpenSegmentFor(long seq)
        {
            var segment = Segments(_folder!).LastOrDefault(s => s.First <= seq);
            if (segment.Path is null)
            {
                return;
            }
            _file?.Dispose();
            _file = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            _first = segment.First;
        }

        /// <summary>The next record's number and payload length, without moving; false when none is wholly there.</summary>
        private bool Peek(out long seq, out int length)
        {
            seq = 0;
            length = 0;
            var f = _file!;
            var start = f.Position;
            Span<byte> header = stackalloc byte[HeaderBytes];
            var read = f.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
            f.Position = start;
            if (read < HeaderBytes)
            {
                return false;
            }
            length = BinaryPrimitives.ReadInt32LittleEndian(header);
            seq = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
            return length is >= 0 and <= MaxRecordBytes && start + HeaderBytes + length <= f.Length;
        }

        /// <summary>The next whole, valid record; false at the end of what is written (or at a torn record).</summary>
        public bool TryRead(out long seq, out ReadOnlyMemory<byte> payload)
        {
            payload = default;
            seq = 0;
            if (_file is null)
            {
                if (_folder is null)
                {
                    return false;
                }
                OpenSegmentFor(_expected);
                if (_file is null)
                {
                    return false;
                }
            }
            if (!TryReadHere(out seq, out payload))
            {
                // The end of this segment: the next one starts with the number expected next, if it is there yet.
                if (_folder is not null && Segments(_folder).Any(s => s.First == _expected && s.First != _first))
                {
                    OpenSegmentFor(_expected);
                    return TryReadHere(out seq, out payload);
                }
                return false;
            }
            return true;
        }

        private bool TryReadHere(out long seq, out ReadOnlyMemory<byte> payload)
        {
            payload = default;
            var f = _file!;
            var start = f.Position;
            if (!Peek(out seq, out var length) || seq != _expected)
            {
                return false;
            }
            var total = HeaderBytes + length;
            if (_buffer.Length < total)
            {
                _buffer = new byte[Math.Max(total, _buffer.Length * 2)];
            }
            if (f.ReadAtLeast(_buffer.AsSpan(0, total), total, throwOnEndOfStream: false) < total)
            {
                f.Position = start;
                return false;
            }
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(4));
            if (crc != Crc32.Of(_buffer.AsSpan(8, 8 + length)))
            {
                f.Position = start;
                return false;
            }
            payload = _buffer.AsMemory(HeaderBytes, length);
            _expected = seq + 1;
            return true;
        }

        public void Dispose() => _file?.Dispose();
    }

    /// <summary>CRC-32 (IEEE 802.3, as zlib), for torn-record detection.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = MakeTable();

        private static uint[] MakeTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var c = i;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }
                table[i] = c;
            }
            return table;
        }

        public static uint Of(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
            return crc ^ 0xFFFFFFFFu;
        }
    }
}

/// <summary>
/// The values of database rows as journal bytes and back, exactly: each value with its type (the provider's
/// values after EF's conversions — text, integers, reals, times with their kind, bytes). A type not listed is
/// refused when written, never guessed when read.
/// </summary>
public static class RowCodec
{
    private enum Tag : byte
    {
        Null = 0, String = 1, Int64 = 2, Int32 = 3, Double = 4, Bool = 5, DateTime = 6, DateTimeOffset = 7, Decimal = 8,
        Bytes = 9, Guid = 10, DateOnly = 11, TimeSpan = 12, Int16 = 13, Single = 14, Byte = 15, TimeOnly = 16,
    }

    public static void WriteRow(BinaryWriter w, IReadOnlyList<object?> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var v in values)
        {
            Write(w, v);
        }
    }

    public static object?[] ReadRow(BinaryReader r)
    {
        var n = r.Read7BitEncodedInt();
        var values = new object?[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = Read(r);
        }
        return values;
    }

    private static void Write(BinaryWriter w, object? v)
    {
        switch (v)
        {
            case null or DBNull: w.Write((byte)Tag.Null); break;
            case string s: w.Write((byte)Tag.String); w.Write(s); break;
            case long l: w.Write((byte)Tag.Int64); w.Write(l); break;
            case int i: w.Write((byte)Tag.Int32); w.Write(i); break;
            case double d: w.Write((byte)Tag.Double); w.Write(d); break;
            case bool b: w.Write((byte)Tag.Bool); w.Write(b); break;
            case DateTime t: w.Write((byte)Tag.DateTime); w.Write(t.ToBinary()); break;
            case DateTimeOffset o: w.Write((byte)Tag.DateTimeOffset); w.Write(o.Ticks); w.Write((short)o.Offset.TotalMinutes); break;
            case decimal m: w.Write((byte)Tag.Decimal); w.Write(m); break;
            case byte[] bytes: w.Write((byte)Tag.Bytes); w.Write7BitEncodedInt(bytes.Length); w.Write(bytes); break;
            case Guid g: w.Write((byte)Tag.Guid); w.Write(g.ToByteArray()); break;
            case DateOnly d: w.Write((byte)Tag.DateOnly); w.Write(d.DayNumber); break;
            case TimeSpan span: w.Write((byte)Tag.TimeSpan); w.Write(span.Ticks); break;
            case short sh: w.Write((byte)Tag.Int16); w.Write(sh); break;
            case float f: w.Write((byte)Tag.Single); w.Write(f); break;
            case byte by: w.Write((byte)Tag.Byte); w.Write(by); break;
            case TimeOnly to: w.Write((byte)Tag.TimeOnly); w.Write(to.Ticks); break;
            default: throw new NotSupportedException($"A journal row cannot hold a value of type {v.GetType().Name}.");
        }
    }

    private static object? Read(BinaryReader r) => (Tag)r.ReadByte() switch
    {
        Tag.Null => null,
        Tag.String => r.ReadString(),
        Tag.Int64 => r.ReadInt64(),
        Tag.Int32 => r.ReadInt32(),
        Tag.Double => r.ReadDouble(),
        Tag.Bool => r.ReadBoolean(),
        Tag.DateTime => DateTime.FromBinary(r.ReadInt64()),
        Tag.DateTimeOffset => new DateTimeOffset(r.ReadInt64(), TimeSpan.FromMinutes(r.ReadInt16())),
        Tag.Decimal => r.ReadDecimal(),
        Tag.Bytes => r.ReadBytes(r.Read7BitEncodedInt()),
        Tag.Guid => new Guid(r.ReadBytes(16)),
        Tag.DateOnly => DateOnly.FromDayNumber(r.ReadInt32()),
        Tag.TimeSpan => new TimeSpan(r.ReadInt64()),
        Tag.Int16 => r.ReadInt16(),
        Tag.Single => r.ReadSingle(),
        Tag.Byte => r.ReadByte(),
        Tag.TimeOnly => new TimeOnly(r.ReadInt64()),
        var t => throw new InvalidDataException($"Unknown value tag {(byte)t} in a journal record."),
    };

    internal static readonly Encoding Utf8 = new UTF8Encoding(false, true);
}
