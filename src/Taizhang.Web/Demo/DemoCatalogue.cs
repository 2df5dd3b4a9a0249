using Taizhang.Domain.Cases;

namespace Taizhang.Web.Demo;

/// <summary>
/// The fixed data of the demo year: its actors, how cases spread over channels and categories,
/// who handles and who takes over each category, the seasons, the forums and deliberation themes.
/// The bench generator draws its channels and categories from the same weights, so the benchmark
/// county and the demo town look alike.
/// </summary>
/// <remarks>
/// The demo draws from these tables with one seeded <see cref="Random"/>: changing an entry, or
/// the order of entries, changes the whole demo year (and the figures the web tests check).
/// </remarks>
internal static class DemoCatalogue
{
    public static readonly Actor DemoActor = new(ActorKind.System, "demo", "演示数据");

    public static readonly Actor[] IntakeStaff =
    [
        new(ActorKind.Development, "demo-intake-1", "镇办受理员 杨静"),
        new(ActorKind.Development, "demo-intake-2", "镇办受理员 马晓东"),
    ];

    public static readonly Actor Operator = new(ActorKind.Development, "demo-hotline", "接线员 张敏");
    public static readonly Actor Visitor = new(ActorKind.Development, "demo-followup", "回访员 李娟");
    public static readonly Actor Council = new(ActorKind.Development, "demo-council", "镇协商议事办公室");

    /// <summary>How often each channel brings a case (out of 100).</summary>
    public static readonly (Channel Channel, int Weight)[] ChannelWeights =
    [
        (Channel.Meeting, 12), (Channel.WalkIn, 17), (Channel.CadreVisit, 15), (Channel.HigherLevel, 4),
        (Channel.Petition, 3), (Channel.LivelihoodPlatform, 5), (Channel.Hotline, 20), (Channel.WeChat, 13),
        (Channel.Web, 7), (Channel.Open311, 4),
    ];

    /// <summary>
    /// How often each category comes up. Family and marriage disputes are rare here because the
    /// demo year adds the article's 4 and 3 through a quota (see DemoCases) and a family-dispute forum.
    /// </summary>
    public static readonly (string Code, int Weight)[] CategoryWeights =
    [
        ("infrastructure", 110), ("roads", 110), ("water", 100), ("environment", 140), ("employment", 85),
        ("social-security", 90), ("agriculture", 80), ("safety", 50), ("policy", 60), ("dispute-family", 2),
        ("dispute-marriage", 2), ("dispute-neighbour", 60), ("dispute-land", 15), ("other", 30),
    ];

    /// <summary>Who handles a category: "V" is the case's own village, "SCH" the town office.</summary>
    public static (string Unit, int Weight)[] Handlers(string category) => category switch
    {
        "infrastructure" => [("V", 6), ("SCH", 3)],
        "roads" => [("V", 7), ("SCH", 3)],
        "water" => [("V", 6), ("SCH", 4)],
        "environment" => [("V", 9), ("SCH", 1)],
        "employment" => [("SCH", 4), ("V", 3), ("ZX-RSJ", 3)],
        "social-security" => [("SCH", 5), ("V", 3), ("ZX-RSJ", 2)],
        "agriculture" => [("SCH-NYZ", 6), ("V", 4)],
        "safety" => [("V", 4), ("SCH", 2), ("ZX-YJJ", 2), ("SCH-PCS", 2)],
        "policy" => [("SCH", 6), ("V", 4)],
        "dispute-family" or "dispute-marriage" => [("SCH-SFS", 7), ("V", 2), ("SCH-PCS", 1)],
        "dispute-neighbour" => [("SCH-SFS", 6), ("V", 4)],
        "dispute-land" => [("SCH-SFS", 6), ("V", 3), ("SCH-ZWB", 1)],
        _ => [("V", 5), ("SCH", 5)],
    };

    /// <summary>Where a case of the category is transferred when its first unit cannot finish it.</summary>
    public static string[] TransferTargets(string category) => category switch
    {
        "infrastructure" => ["ZX-ZJJ", "SCH"],
        "employment" => ["ZX-RSJ", "SCH"],
        "social-security" => ["ZX-RSJ", "SCH"],
        "agriculture" => ["SCH-NYZ"],
        "safety" => ["ZX-YJJ", "SCH-PCS"],
        "dispute-family" or "dispute-marriage" => ["SCH-SFS"],
        "dispute-neighbour" => ["SCH-SFS"],
        "dispute-land" => ["SCH-SFS", "SCH-SFS", "SCH-ZWB"],
        _ => ["SCH"],
    };

    /// <summary>Seasons: returnees look for work after the Spring Festival, irrigation in spring, water and roads in summer rains and winter frost.</summary>
    public static double MonthWeight(string category, int month) => (category, month) switch
    {
        ("employment", 2 or 3) => 3,
        ("employment", 1 or 4) => 1.5,
        ("agriculture", >= 3 and <= 6) => 2,
        ("water", >= 6 and <= 8) or ("water", 12 or 1) => 1.6,
        ("roads", >= 7 and <= 9) => 2,
        ("safety", 11 or 12 or 1 or 2) or ("safety", 7 or 8) => 2,
        ("environment", >= 4 and <= 10) => 1.4,
        _ => 1,
    };

    /// <summary>Forums through the year: where, what, which category its items lean to, and its season (month) if it has one.</summary>
    public static readonly (string? Village, string Title, string? Category, int Month)[] Forums =
    [
        (null, "三岔镇返乡人员就业座谈会", "employment", 3),
        ("SCH-WJC", "王家村农田灌溉用水座谈会", "agriculture", 4),
        ("SCH-SPC", "石坪村饮水安全座谈会", "water", 7),
        (null, "艾康沙棘合作社社员座谈会", "employment", 9),
        (null, "三岔镇老年人养老服务座谈会", "social-security", 10),
        ("SCH-MJC", "马家村群众座谈会", null, 0),
        ("SCH-HGC", "河沟村人居环境整治座谈会", "environment", 0),
        (null, "三岔镇家庭婚姻矛盾纠纷排查化解座谈会(邀请司法所、派出所参加)", "dispute-family", 0),
        ("SCH-JSQ", "街道社区居民代表座谈会", null, 0),
        (null, "食用菌产业园务工人员座谈会", "employment", 0),
        ("SCH-GLC", "高岭村道路硬化群众座谈会", "roads", 0),
        ("SCH-DWC", "东湾村村务公开群众座谈会", null, 0),
    ];

    public static readonly string[] DeliberationThemes =
    [
        "人居环境整治专题", "产业发展与返乡就业专题", "矛盾纠纷排查化解专题", "基础设施与饮水安全专题",
    ];
}
