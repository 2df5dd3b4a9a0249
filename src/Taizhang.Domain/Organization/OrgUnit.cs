namespace Taizhang.Domain.Organization;

public enum OrgUnitKind
{
    County,
    Town,
    Village,
    Community,
    Group,
    /// <summary>A partner unit that can be assigned cases: judicial office, police station, a department.</summary>
    Partner,
}

/// <summary>
/// A node of the organisation tree (County > Town > Village/Community > Group) or a partner
/// unit hanging under the town or county it serves. <see cref="Path"/> is the chain of ids
/// from the root ("/1/2/7/"), so descendants are found with one prefix match.
/// </summary>
public sealed class OrgUnit
{
    private OrgUnit()
    {
        Code = Name = Path = string.Empty;
    }

    public OrgUnit(string code, string name, OrgUnitKind kind, OrgUnit? parent)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new DomainRuleException("field.required", "code is required.", field: "code");
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainRuleException("field.required", "name is required.", field: "name");
        }
        if (!AllowedUnder(kind, parent?.Kind))
        {
            throw new DomainRuleException("org.invalid-parent",
                $"A {kind} cannot be placed under {(parent is null ? "the root" : parent.Kind.ToString())}.", field: "parent");
        }
        Code = code.Trim();
        Name = name.Trim();
        Kind = kind;
        Parent = parent;
        Path = string.Empty;
    }

    public long Id { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public OrgUnitKind Kind { get; private set; }
    public long? ParentId { get; private set; }
    public OrgUnit? Parent { get; private set; }

    /// <summary>The town this unit belongs to (itself for a town); null for a county or a county-level partner.</summary>
    public long? TownId { get; private set; }

    public string Path { get; private set; }

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainRuleException("field.required", "name is required.", field: "name");
        }
        Name = name.Trim();
    }

    /// <summary>Set once the unit has its id (ids come from the database).</summary>
    public void SetHierarchy()
    {
        if (Id == 0)
        {
            throw new InvalidOperationException("The unit has no id yet.");
        }
        if (Parent is null && ParentId is not null)
        {
            throw new InvalidOperationException("Load the parent before computing the path.");
        }
        Path = (Parent?.Path ?? "/") + Id + "/";
        TownId = Kind == OrgUnitKind.Town ? Id : Parent?.TownId;
    }

    /// <summary>Cases are registered against villages, communities, groups or the town itself.</summary>
    public bool CanOwnCases => Kind is OrgUnitKind.Town or OrgUnitKind.Village or OrgUnitKind.Community or OrgUnitKind.Group;

    public static bool AllowedUnder(OrgUnitKind kind, OrgUnitKind? parent) => kind switch
    {
        OrgUnitKind.County => parent is null,
        OrgUnitKind.Town => parent is null or OrgUnitKind.County,
        OrgUnitKind.Village or OrgUnitKind.Community => parent is OrgUnitKind.Town,
        OrgUnitKind.Group => parent is OrgUnitKind.Village or OrgUnitKind.Community,
        OrgUnitKind.Partner => parent is OrgUnitKind.Town or OrgUnitKind.County,
    };
}
