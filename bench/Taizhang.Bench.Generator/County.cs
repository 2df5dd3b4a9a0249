using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;

namespace Taizhang.Bench.Generator;

/// <summary>One unit as the generator needs it.</summary>
internal sealed record Unit(long Id, string Code, string Name, long? TownId, bool Urban = false);

/// <summary>
/// The benchmark county 北境县 (code BJX): its partner bureaus, <c>towns</c> towns (T01 …), each with
/// <c>villages</c> villages and communities (T01-V01 …) and four partner units (T01-SFS 司法所 …).
/// Created through EF with the domain's own constructors, so paths and town ids are the app's.
/// </summary>
internal sealed class County
{
    public const string Code = "BJX";

    private static readonly string[] TownNames =
    [
        "三岔", "金山", "河口", "石门", "柳林", "新集", "南川", "北塬", "东峪", "西坪",
        "马营", "杨庄", "白土", "红崖", "清水", "黄渠", "龙泉", "青石", "大寨", "小河",
        "高桥", "古城", "沙沟", "梨园", "桃花", "长岭", "双井", "五里", "九龙", "盘山",
        "云台", "松树", "铁炉", "草滩", "宝塔", "花园", "官亭", "新庄", "安乐", "永和",
    ];

    private static readonly string[] VillagePrefixes =
    [
        "马家", "王家", "张家", "李家", "河沟", "石坪", "东湾", "西河", "高岭", "杨柳", "前进", "红旗",
        "后寨", "上庄", "下庄", "中滩", "柳树", "枣林", "南沟", "北山", "大湾", "小湾", "新民", "团结",
        "和平", "丰收", "胜利", "光明", "青龙", "白杨", "梁家", "赵家", "陈家", "刘家", "何家", "苏家",
    ];

    /// <summary>Partner units under every town; the demo texts name them with the demo town's code (SCH-…).</summary>
    private static readonly (string Suffix, string Name)[] TownPartners =
    [
        ("SFS", "司法所"), ("PCS", "派出所"), ("ZWB", "综治办"), ("NYZ", "农业服务中心"),
    ];

    private static readonly (string Suffix, string Name)[] CountyPartners =
    [
        ("YJJ", "县应急管理局"), ("ZJJ", "县住建局"), ("RSJ", "县人社局"),
    ];

    public required Unit Root { get; init; }
    public required List<Unit> Towns { get; init; }
    public required List<Unit> Villages { get; init; }
    public required Dictionary<long, List<Unit>> VillagesByTown { get; init; }
    public required Dictionary<string, Unit> ByCode { get; init; }
    public required Dictionary<string, long> CategoryIds { get; init; }
    public int UnitCount => ByCode.Count;

    /// <summary>A unit named by the demo texts ("SCH-SFS", "ZX-RSJ"), for a case of <paramref name="town"/>.</summary>
    public Unit? FromDemoCode(string? code, Unit town) => code switch
    {
        null => null,
        _ when code.StartsWith("SCH-", StringComparison.Ordinal) => ByCode.GetValueOrDefault(town.Code + code[3..]),
        _ when code.StartsWith("ZX-", StringComparison.Ordinal) => ByCode.GetValueOrDefault(Code + code[2..]),
        "SCH" => town,
        _ => null,
    };

    public static async Task<County> CreateAsync(TaizhangDb db, int towns, int villagesPerTown)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        var root = new OrgUnit(Code, "北境县", OrgUnitKind.County, null);
        db.OrgUnits.Add(root);
        await db.SaveChangesAsync();
        root.SetHierarchy();

        var townUnits = new List<OrgUnit>();
        var level2 = new List<OrgUnit>();
        foreach (var (suffix, name) in CountyPartners)
        {
            level2.Add(new OrgUnit($"{Code}-{suffix}", name, OrgUnitKind.Partner, root));
        }
        for (var t = 0; t < towns; t++)
        {
            var name = TownNames[t % TownNames.Length] + (t >= TownNames.Length ? (t / TownNames.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + "镇";
            var town = new OrgUnit($"T{t + 1:D2}", name, OrgUnitKind.Town, root);
            townUnits.Add(town);
            level2.Add(town);
        }
        db.OrgUnits.AddRange(level2);
        await db.SaveChangesAsync();
        level2.ForEach(u => u.SetHierarchy());

        var level3 = new List<OrgUnit>();
        foreach (var (town, townIndex) in townUnits.Select((t, i) => (t, i)))
        {
            var townShort = town.Name[..^1];
            foreach (var (suffix, name) in TownPartners)
            {
                level3.Add(new OrgUnit($"{town.Code}-{suffix}", townShort + name, OrgUnitKind.Partner, town));
            }
            for (var v = 0; v < villagesPerTown; v++)
            {
                // Roughly one in eight is an urban community around the town's seat.
                var community = v % 8 == 7;
                var prefix = VillagePrefixes[(v + townIndex * 7) % VillagePrefixes.Length];
                var name = community ? $"{townShort}{prefix}社区" : $"{prefix}村";
                level3.Add(new OrgUnit($"{town.Code}-V{v + 1:D2}", name, community ? OrgUnitKind.Community : OrgUnitKind.Village, town));
            }
        }
        db.OrgUnits.AddRange(level3);
        await db.SaveChangesAsync();
        level3.ForEach(u => u.SetHierarchy());
        await db.SaveChangesAsync();

        var all = await db.OrgUnits.AsNoTracking().Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.TownId }).ToListAsync();
        var byCode = all.ToDictionary(u => u.Code, u => new Unit(u.Id, u.Code, u.Name, u.TownId, u.Kind == OrgUnitKind.Community), StringComparer.Ordinal);
        var villages = all.Where(u => u.Kind is OrgUnitKind.Village or OrgUnitKind.Community).Select(u => byCode[u.Code]).ToList();
        return new County
        {
            Root = byCode[Code],
            Towns = all.Where(u => u.Kind == OrgUnitKind.Town).Select(u => byCode[u.Code]).ToList(),
            Villages = villages,
            VillagesByTown = villages.GroupBy(v => v.TownId!.Value).ToDictionary(g => g.Key, g => g.ToList()),
            ByCode = byCode,
            CategoryIds = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Id, StringComparer.Ordinal),
        };
    }
}
