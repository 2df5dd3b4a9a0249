namespace Taizhang.Web.Data;

/// <summary>
/// One administrative change: who did what to which account, unit, category, client or setting.
/// Appended in the same save as the change; never updated or deleted — the administrators'
/// counterpart of the case timeline.
/// </summary>
public sealed class AdminEvent
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string ActorId { get; set; } = string.Empty;
    public string ActorName { get; set; } = string.Empty;

    /// <summary>e.g. user.create, user.post-add, api-client.revoke, calendar.put.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>What was changed: "user:12", "org-unit:SCH-MJC", "calendar:2027" …</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Non-personal details (roles, unit codes, flags); never passwords, tokens or phone numbers.</summary>
    public string? Details { get; set; }

    /// <summary>The unit the entry concerns (administrators of that unit or above read it); null: the top level only.</summary>
    public long? OrgUnitId { get; set; }
}
