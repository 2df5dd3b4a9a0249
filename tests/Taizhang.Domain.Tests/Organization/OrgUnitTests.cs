using Taizhang.Domain.Organization;

namespace Taizhang.Domain.Tests.Organization;

public sealed class OrgUnitTests
{
    public static TheoryData<OrgUnitKind, OrgUnitKind?, bool> Placements()
    {
        var allowed = new HashSet<(OrgUnitKind, OrgUnitKind?)>
        {
            (OrgUnitKind.County, null),
            (OrgUnitKind.Town, null),
            (OrgUnitKind.Town, OrgUnitKind.County),
            (OrgUnitKind.Village, OrgUnitKind.Town),
            (OrgUnitKind.Community, OrgUnitKind.Town),
            (OrgUnitKind.Group, OrgUnitKind.Village),
            (OrgUnitKind.Group, OrgUnitKind.Community),
            (OrgUnitKind.Partner, OrgUnitKind.Town),
            (OrgUnitKind.Partner, OrgUnitKind.County),
        };
        var parents = Enum.GetValues<OrgUnitKind>().Select(k => (OrgUnitKind?)k).Append(null).ToArray();
        var data = new TheoryData<OrgUnitKind, OrgUnitKind?, bool>();
        foreach (var kind in Enum.GetValues<OrgUnitKind>())
        {
            foreach (var parent in parents)
            {
                data.Add(kind, parent, allowed.Contains((kind, parent)));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void AllowedUnder_follows_the_tree(OrgUnitKind kind, OrgUnitKind? parent, bool allowed) =>
        Assert.Equal(allowed, OrgUnit.AllowedUnder(kind, parent));

    [Theory]
    [MemberData(nameof(Placements))]
    public void Constructor_enforces_the_tree(OrgUnitKind kind, OrgUnitKind? parentKind, bool allowed)
    {
        var parent = parentKind is { } pk ? Build(pk) : null;
        if (allowed)
        {
            var unit = new OrgUnit("c1", "单位", kind, parent);
            Assert.Equal(kind, unit.Kind);
            Assert.Same(parent, unit.Parent);
        }
        else
        {
            var ex = Assert.Throws<DomainRuleException>(() => new OrgUnit("c1", "单位", kind, parent));
            Assert.Equal("org.invalid-parent", ex.Code);
            Assert.Equal("parent", ex.Field);
        }
    }

    [Fact]
    public void A_full_branch_can_be_built()
    {
        var county = new OrgUnit("620000", "漳县", OrgUnitKind.County, null);
        var town = new OrgUnit("620001", "三岔镇", OrgUnitKind.Town, county);
        var village = new OrgUnit("620001001", "三岔村", OrgUnitKind.Village, town);
        var group = new OrgUnit("620001001001", "一组", OrgUnitKind.Group, village);
        var police = new OrgUnit("P-1", "三岔派出所", OrgUnitKind.Partner, town);
        Assert.Same(village, group.Parent);
        Assert.Same(town, police.Parent);
        Assert.Same(county, town.Parent);
    }

    [Theory]
    [InlineData("", "name", "code")]
    [InlineData("  ", "name", "code")]
    [InlineData("code", "", "name")]
    [InlineData("code", " ", "name")]
    public void Code_and_name_are_required(string code, string name, string field)
    {
        var ex = Assert.Throws<DomainRuleException>(() => new OrgUnit(code, name, OrgUnitKind.Town, null));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Code_and_name_are_trimmed()
    {
        var unit = new OrgUnit(" 620001 ", " 三岔镇 ", OrgUnitKind.Town, null);
        Assert.Equal("620001", unit.Code);
        Assert.Equal("三岔镇", unit.Name);
    }

    [Theory]
    [InlineData(OrgUnitKind.County, false)]
    [InlineData(OrgUnitKind.Town, true)]
    [InlineData(OrgUnitKind.Village, true)]
    [InlineData(OrgUnitKind.Community, true)]
    [InlineData(OrgUnitKind.Group, true)]
    [InlineData(OrgUnitKind.Partner, false)]
    public void Only_town_and_below_own_cases(OrgUnitKind kind, bool owns) =>
        Assert.Equal(owns, Build(kind).CanOwnCases);

    [Fact]
    public void SetHierarchy_needs_an_id()
    {
        var town = new OrgUnit("t", "镇", OrgUnitKind.Town, null);
        Assert.Throws<InvalidOperationException>(town.SetHierarchy);
        Assert.Equal(string.Empty, town.Path);
    }

    /// <summary>A unit of <paramref name="kind"/> placed under a valid chain of parents.</summary>
    private static OrgUnit Build(OrgUnitKind kind) => kind switch
    {
        OrgUnitKind.County => new OrgUnit("C", "县", OrgUnitKind.County, null),
        OrgUnitKind.Town => new OrgUnit("T", "镇", OrgUnitKind.Town, Build(OrgUnitKind.County)),
        OrgUnitKind.Village => new OrgUnit("V", "村", OrgUnitKind.Village, Build(OrgUnitKind.Town)),
        OrgUnitKind.Community => new OrgUnit("M", "社区", OrgUnitKind.Community, Build(OrgUnitKind.Town)),
        OrgUnitKind.Group => new OrgUnit("G", "组", OrgUnitKind.Group, Build(OrgUnitKind.Village)),
        OrgUnitKind.Partner => new OrgUnit("P", "司法所", OrgUnitKind.Partner, Build(OrgUnitKind.Town)),
    };
}
