namespace Taizhang.Web.Data;

/// <summary>
/// A case's searchable text (title, a line break, description), kept by a database trigger on every
/// insert into Cases, whoever writes it (intake, demo, restores, bulk loads). The ledger's text search
/// scans this narrow table instead of the cases: its rows are stored by town (SQLite: WITHOUT ROWID,
/// clustered on town and case), so a town's texts are a few contiguous megabytes, where the same
/// texts inside Cases lie scattered among every other town's rows. Read-only for the application.
/// </summary>
public sealed class CaseText
{
    public long TownId { get; private set; }

    public long CaseId { get; private set; }

    public string Text { get; private set; } = string.Empty;
}
