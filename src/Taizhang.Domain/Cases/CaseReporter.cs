namespace Taizhang.Domain.Cases;

/// <summary>A resident who raised the matter. A merged case hands its reporters to the surviving case.</summary>
public sealed class CaseReporter
{
    private CaseReporter()
    {
        Name = string.Empty;
    }

    internal CaseReporter(long townId, string name, string? phone, DateTime addedAt, long? fromCaseId)
    {
        TownId = townId;
        Name = name;
        Phone = phone;
        AddedAt = addedAt;
        FromCaseId = fromCaseId;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public long TownId { get; private set; }
    public string Name { get; private set; }
    public string? Phone { get; private set; }
    public DateTime AddedAt { get; private set; }

    /// <summary>Set when this reporter came over from a case merged into this one.</summary>
    public long? FromCaseId { get; private set; }
}
