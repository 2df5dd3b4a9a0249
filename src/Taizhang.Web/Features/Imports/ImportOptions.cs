namespace Taizhang.Web.Features.Imports;

/// <summary>Imports: configuration section "Imports".</summary>
public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>
    /// Largest sheet a person may upload (deliberately above Attachments:MaxBytes: 10,000 rows of
    /// forwarded matters are 2–5 MB as .xlsx and more as CSV). Only /imports and the import API take it (a JSON batch too).
    /// </summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Most data rows one file or batch may carry.</summary>
    public int MaxRows { get; set; } = 20_000;

    /// <summary>Rows committed per transaction: a failure loses at most this chunk's work, never half of it.</summary>
    public int ChunkSize { get; set; } = 500;

    /// <summary>Where an uploaded sheet waits while its mapping is confirmed (default: a folder in the system's temp).</summary>
    public string? PendingDirectory { get; set; }
}

/// <summary>
/// Called before each chunk's commit, inside its transaction. Nothing in production; tests replace it to
/// fail a chunk part-way through an import (the chunk must leave nothing behind).
/// </summary>
public class ImportHooks
{
    public virtual void BeforeCommit(long sourceId, int chunk)
    {
    }
}
