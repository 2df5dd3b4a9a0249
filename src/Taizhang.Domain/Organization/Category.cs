namespace Taizhang.Domain.Organization;

/// <summary>What a matter is about (infrastructure, dispute, employment …). Codes are stable; names are shown.</summary>
public sealed class Category
{
    private Category()
    {
        Code = Name = string.Empty;
    }

    public Category(string code, string name, bool isDispute)
    {
        Code = code;
        Name = name;
        IsDispute = isDispute;
    }

    public long Id { get; private set; }

    public void Update(string name, bool isDispute)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainRuleException("field.required", "name is required.", field: "name");
        }
        Name = name.Trim();
        IsDispute = isDispute;
    }
    public string Code { get; private set; }
    public string Name { get; private set; }

    /// <summary>Disputes (family, marriage, neighbour, land) are mediated and count towards the mediation rate.</summary>
    public bool IsDispute { get; private set; }
}
