using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Fill an empty database with the demo town and its year of meetings and cases (also set by --demo).</summary>
    public bool Seed { get; set; }

    /// <summary>Randomness is seeded so that every demo database is the same.</summary>
    public int RandomSeed { get; set; } = 20221012;

    /// <summary>How many cases the demo year holds.</summary>
    public int Cases { get; set; } = 600;
}

public static class DemoSeeder
{
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions());
        return services;
    }

    public static async Task SeedIfRequestedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<DemoOptions>();
        if (!options.Seed)
        {
            return;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        if (await db.OrgUnits.AnyAsync(ct))
        {
            return;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Read (or stored) before the transaction: on SQLite another connection stores it.
        var codeKey = await services.GetRequiredService<Features.Cases.CaseIds>().KeyAsync(ct);
        // One transaction: a failure leaves an empty database that the next start seeds again.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await SeedOrganisationAsync(db, ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var (meetings, cases) = await DemoCases.SeedAsync(
            db, options.RandomSeed, options.Cases, services.GetRequiredService<Infrastructure.DuePolicySource>().Current, now, codeKey, ct);
        await tx.CommitAsync(ct);
        services.GetRequiredService<OrgDirectory>().Invalidate();
        services.GetService<ILoggerFactory>()?.CreateLogger(typeof(DemoSeeder)).LogInformation(
            "Demo data seeded: {Meetings} meetings and {Cases} cases in {Elapsed} ms",
            meetings, cases, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Zhang County &gt; Sanchahe Town &gt; ten villages and a community, with partner units and categories.</summary>
    public static async Task SeedOrganisationAsync(TaizhangDb db, CancellationToken ct)
    {
        var county = new OrgUnit("ZX", "漳县", OrgUnitKind.County, null);
        var town = new OrgUnit("SCH", "三岔镇", OrgUnitKind.Town, county);
        var units = new List<OrgUnit> { county, town };
        foreach (var (code, name) in Villages)
        {
            var village = new OrgUnit(code, name, code.EndsWith("SQ", StringComparison.Ordinal) ? OrgUnitKind.Community : OrgUnitKind.Village, town);
            units.Add(village);
            units.Add(new OrgUnit(code + "-1", name + "一组", OrgUnitKind.Group, village));
            units.Add(new OrgUnit(code + "-2", name + "二组", OrgUnitKind.Group, village));
        }
        foreach (var (code, name) in TownPartners)
        {
            units.Add(new OrgUnit(code, name, OrgUnitKind.Partner, town));
        }
        foreach (var (code, name) in CountyPartners)
        {
            units.Add(new OrgUnit(code, name, OrgUnitKind.Partner, county));
        }
        db.OrgUnits.AddRange(units);
        if (!await db.Categories.AnyAsync(ct))
        {
            db.Categories.AddRange(Categories.Select(c => new Category(c.Code, c.Name, c.IsDispute)));
        }
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        foreach (var u in units)
        {
            u.SetHierarchy();
        }
        await db.SaveChangesAsync(ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>
    /// Every installation starts with the standard categories (administrators rename or add to
    /// them); only the demo town is demo data.
    /// </summary>
    public static async Task EnsureDefaultCategoriesAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        if (await db.Categories.AnyAsync(ct))
        {
            return;
        }
        db.Categories.AddRange(Categories.Select(c => new Category(c.Code, c.Name, c.IsDispute)));
        await db.SaveChangesAsync(ct);
        services.GetRequiredService<OrgDirectory>().Invalidate();
    }

    public static readonly (string Code, string Name)[] Villages =
    [
        ("SCH-SCC", "三岔村"), ("SCH-MJC", "马家村"), ("SCH-WJC", "王家村"), ("SCH-ZJC", "张家村"),
        ("SCH-LJC", "李家村"), ("SCH-HGC", "河沟村"), ("SCH-SPC", "石坪村"), ("SCH-DWC", "东湾村"),
        ("SCH-XHC", "西河村"), ("SCH-GLC", "高岭村"), ("SCH-JSQ", "街道社区"),
    ];

    public static readonly (string Code, string Name)[] TownPartners =
    [
        ("SCH-SFS", "三岔司法所"), ("SCH-PCS", "三岔派出所"), ("SCH-ZWB", "镇综治办"), ("SCH-NYZ", "镇农业服务中心"),
    ];

    public static readonly (string Code, string Name)[] CountyPartners =
    [
        ("ZX-YJJ", "县应急管理局"), ("ZX-ZJJ", "县住建局"), ("ZX-RSJ", "县人社局"),
    ];

    public static readonly (string Code, string Name, bool IsDispute)[] Categories =
    [
        ("infrastructure", "基础设施", false),
        ("roads", "道路交通", false),
        ("water", "饮水安全", false),
        ("environment", "人居环境", false),
        ("employment", "就业创业", false),
        ("social-security", "社会保障", false),
        ("agriculture", "农业生产", false),
        ("safety", "安全隐患", false),
        ("policy", "政策咨询", false),
        ("dispute-family", "家庭纠纷", true),
        ("dispute-marriage", "婚姻纠纷", true),
        ("dispute-neighbour", "邻里纠纷", true),
        ("dispute-land", "土地纠纷", true),
        ("other", "其他", false),
    ];
}
