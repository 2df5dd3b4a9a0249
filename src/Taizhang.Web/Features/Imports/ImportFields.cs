using System.Text.Json;

namespace Taizhang.Web.Features.Imports;

/// <summary>
/// What a row of an import sheet may hold, and how a sheet's headers are recognised: the column
/// mapping of a source is field → header, proposed from the header names the forwarding systems use
/// (12345 转办单, 信访事项, 民生平台工单) and confirmed by a person before it is saved.
/// </summary>
public static class ImportFields
{
    public const string Reference = "reference";
    public const string Title = "title";
    public const string Description = "description";
    public const string Village = "village";
    public const string Category = "category";
    public const string Name = "name";
    public const string Phone = "phone";
    public const string Address = "address";
    public const string Urgency = "urgency";
    public const string Received = "received";
    public const string Due = "due";

    /// <summary>Every field, in the order the mapping form shows them.</summary>
    public static readonly IReadOnlyList<string> All =
        [Reference, Title, Description, Village, Category, Name, Phone, Address, Urgency, Received, Due];

    /// <summary>A row cannot become a case without these (the title, when absent, is taken from the description).</summary>
    public static readonly IReadOnlyList<string> Required = [Reference, Description, Village];

    /// <summary>Header names per field, most specific first; compared without spaces, case or full-width brackets.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        [Reference] = ["编号", "工单编号", "诉求编号", "工单号", "信访件编号", "信访编号", "件号", "转办编号", "受理编号", "流水号", "reference", "ref", "externalref"],
        [Title] = ["标题", "诉求标题", "事项标题", "工单标题", "主题", "title"],
        [Description] = ["诉求内容", "内容", "事项内容", "反映内容", "具体诉求", "问题描述", "来信内容", "诉求描述", "description"],
        [Village] = ["所属村/村居", "所属村", "村居", "所属村/组", "所属村(居)", "村(居)", "所属社区", "村社区", "村/社区", "村", "社区", "village", "orgunit"],
        [Category] = ["类别", "诉求类别", "事项类别", "问题分类", "分类", "诉求分类", "category"],
        [Name] = ["姓名", "诉求人", "反映人", "来信人", "信访人", "来电人", "联系人", "name"],
        [Phone] = ["电话", "联系电话", "手机", "手机号", "手机号码", "来电号码", "联系方式", "phone"],
        [Address] = ["地址", "详细地址", "事发地址", "事发地点", "住址", "address"],
        [Urgency] = ["紧急程度", "轻重缓急", "缓急程度", "缓急", "urgency"],
        [Received] = ["受理日期", "受理时间", "接收日期", "转办日期", "转办时间", "登记日期", "来信日期", "来电时间", "received"],
        [Due] = ["办理时限", "办结时限", "截止日期", "办理期限", "要求办结日期", "要求办结时间", "到期日期", "due"],
    };

    /// <summary>The urgency as the forwarding systems write it (the ledger's own words and theirs).</summary>
    public static readonly IReadOnlyDictionary<string, Domain.Cases.Urgency> UrgencyWords = new Dictionary<string, Domain.Cases.Urgency>
    {
        ["紧急"] = Domain.Cases.Urgency.Urgent, ["特急"] = Domain.Cases.Urgency.Urgent, ["加急"] = Domain.Cases.Urgency.Urgent,
        ["较急"] = Domain.Cases.Urgency.High, ["急"] = Domain.Cases.Urgency.High, ["急件"] = Domain.Cases.Urgency.High,
        ["一般"] = Domain.Cases.Urgency.Normal, ["普通"] = Domain.Cases.Urgency.Normal, ["平件"] = Domain.Cases.Urgency.Normal,
        ["不急"] = Domain.Cases.Urgency.Low, ["缓"] = Domain.Cases.Urgency.Low, ["缓办"] = Domain.Cases.Urgency.Low,
    };

    public static string Normalize(string header) => new string(header.Trim()
        .Replace('（', '(').Replace('）', ')').Replace('／', '/')
        .Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();

    /// <summary>
    /// A mapping for <paramref name="headers"/>: what <paramref name="saved"/> maps and the sheet still has,
    /// then each remaining field's exact header names, then a header that contains one of them
    /// ("联系电话（手机）"). Each header serves one field.
    /// </summary>
    public static Dictionary<string, string> Propose(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? saved)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var byNormal = headers.Where(h => h.Trim().Length > 0).GroupBy(Normalize).ToDictionary(g => g.Key, g => g.First());
        if (saved is not null)
        {
            foreach (var (field, header) in saved)
            {
                if (All.Contains(field) && headers.Contains(header) && used.Add(header))
                {
                    result[field] = header;
                }
            }
        }
        foreach (var field in All.Where(f => !result.ContainsKey(f)))
        {
            foreach (var alias in Aliases[field])
            {
                if (byNormal.TryGetValue(Normalize(alias), out var header) && used.Add(header))
                {
                    result[field] = header;
                    break;
                }
            }
        }
        foreach (var field in All.Where(f => !result.ContainsKey(f)))
        {
            var header = byNormal.Where(h => !used.Contains(h.Value) && Aliases[field].Any(a => a.Length >= 2 && h.Key.Contains(Normalize(a), StringComparison.Ordinal)))
                .Select(h => h.Value).FirstOrDefault();
            if (header is not null && used.Add(header))
            {
                result[field] = header;
            }
        }
        return result;
    }

    /// <summary>Whether <paramref name="mapping"/> serves a sheet with <paramref name="headers"/> as it is: every required field mapped, every mapped header there.</summary>
    public static bool Fits(IReadOnlyDictionary<string, string> mapping, IReadOnlyList<string> headers) =>
        Required.All(mapping.ContainsKey) && mapping.Values.All(headers.Contains);

    public static Dictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Serialize(IReadOnlyDictionary<string, string> mapping) =>
        JsonSerializer.Serialize(All.Where(mapping.ContainsKey).ToDictionary(f => f, f => mapping[f]),
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
