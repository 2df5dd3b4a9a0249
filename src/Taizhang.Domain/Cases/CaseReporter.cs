namespace Taizhang.Domain.Cases;

/// <summary>A resident who raised the matter. A merged case hands its reporters to the surviving case.</summary>
public sealed class CaseReporter
{
    private CaseReporter()
    {
        Name = string.Empty;
    }

    internal CaseReporter(long townId, string name, string? phone, DateTime addedAt, long? fromCaseId,
        bool contactConsent = false, string? weChatOpenId = null)
    {
        TownId = townId;
        Name = name;
        Phone = phone;
        ContactConsent = contactConsent;
        WeChatOpenId = weChatOpenId;
        AddedAt = addedAt;
        FromCaseId = fromCaseId;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public long TownId { get; private set; }
    public string Name { get; private set; }
    public string? Phone { get; private set; }
    public DateTime AddedAt { get; private set; }

    /// <summary>
    /// The resident agreed to be contacted about the matter and to the processing of their personal
    /// information for it (PIPL): the public form asks for it, staff record what the resident said.
    /// Notifications by SMS go only to reporters who agreed.
    /// </summary>
    public bool ContactConsent { get; private set; }

    /// <summary>The WeChat official account's OpenID of a resident who wrote to it (customer messages go there).</summary>
    public string? WeChatOpenId { get; private set; }

    /// <summary>Set when this reporter came over from a case merged into this one.</summary>
    public long? FromCaseId { get; private set; }
}
