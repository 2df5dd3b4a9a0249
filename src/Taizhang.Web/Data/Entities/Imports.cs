using Taizhang.Domain.Cases;

namespace Taizhang.Web.Data;

/// <summary>
/// 导入来源: a system that forwards matters in sheets (县12345转办, 县信访局, 民生服务平台): its channel,
/// the town whose ledger it feeds, and which of its columns hold what (saved, reused on every upload).
/// </summary>
public sealed class ImportSource
{
    public long Id { get; set; }

    /// <summary>The town the source belongs to: its staff see it and import through it, into that town's ledger.</summary>
    public long TownId { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>HigherLevel, Petition or LivelihoodPlatform: the channel every case of the source gets.</summary>
    public Channel Channel { get; set; }

    /// <summary>JSON object: field (Features/Imports/ImportFields) → the sheet's column header.</summary>
    public string Mapping { get; set; } = "{}";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;
}

/// <summary>
/// One row of a source that became a case: (source, the source's own reference) is unique, so a row
/// imported once is a duplicate in every later file, whoever uploads it and however often.
/// Written in the same transaction as its case.
/// </summary>
public sealed class ImportedRow
{
    public long Id { get; set; }

    public long SourceId { get; set; }

    /// <summary>The source's reference (工单编号 …), as the case's ExternalRef.</summary>
    public string Reference { get; set; } = string.Empty;

    /// <summary>The source's town (the distribution key, docs/SCALING.md).</summary>
    public long TownId { get; set; }

    public long CaseId { get; set; }

    /// <summary>The run that created the case.</summary>
    public long RunId { get; set; }

    /// <summary>The day the source received the matter (受理日期), when the sheet gives it.</summary>
    public DateOnly? ReceivedOn { get; set; }
}

/// <summary>One upload (or JSON batch) through a source: who, when, what came of it.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }

    public long SourceId { get; set; }

    public long TownId { get; set; }

    public string ActorId { get; set; } = string.Empty;

    public string ActorName { get; set; } = string.Empty;

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The uploaded file's name (made printable), or "JSON" for a batch through the API.</summary>
    public string FileName { get; set; } = string.Empty;

    public int Rows { get; set; }

    public int Created { get; set; }

    public int Duplicates { get; set; }

    public int Invalid { get; set; }

    /// <summary>Running, Completed, or Failed (stopped part-way: every chunk before it is in, none after).</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>
    /// The refused rows as uploaded, with their reasons (JSON: headers and rows), for the error sheet to
    /// fix and upload again. Holds residents' data like the cases do; only the source's town staff read it.
    /// </summary>
    public string? Errors { get; set; }
}
