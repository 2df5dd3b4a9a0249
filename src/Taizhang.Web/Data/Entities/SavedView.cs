namespace Taizhang.Web.Data;

/// <summary>
/// A ledger view a person saved under a name: the ledger's filters as a query string, so it opens
/// the same list the same way a bookmark would, from any computer they sign in on.
/// </summary>
public sealed class SavedView
{
    public const int NameMaxLength = 40;
    public const int QueryMaxLength = 1000;
    /// <summary>Enough for every habit; a list of hundreds would be a search, not a view.</summary>
    public const int MaxPerUser = 30;

    private SavedView()
    {
    }

    public SavedView(long userId, string name, string query, DateTime createdAt)
    {
        UserId = userId;
        Name = name;
        Query = query;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public long UserId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>"?status=Ledgered,Deliberating&amp;sort=registeredAt" (no page number).</summary>
    public string Query { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public void Replace(string query, DateTime at)
    {
        Query = query;
        CreatedAt = at;
    }
}
