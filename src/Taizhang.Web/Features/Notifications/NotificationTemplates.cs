using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// The message texts, in Chinese, one per template key: defaults here, an administrator's version in
/// <see cref="Setting"/> (key <c>notification-template:{key}</c>). Placeholders are Chinese names in
/// braces ({跟踪码}); each stands for one stored parameter (the English name SMS providers' approved
/// templates use: ${trackingCode}). WeChat and the file sink send the text; an SMS provider sends its
/// own pre-approved template (TemplateCode) with the same parameters.
/// </summary>
public static partial class NotificationTemplates
{
    public const string SettingPrefix = "notification-template:";

    public const string Registered = "reporter.registered";
    public const string Resolved = "reporter.resolved";
    public const string Rejected = "reporter.rejected";
    public const string FollowedUp = "reporter.followed-up";
    public const string Extended = "reporter.extended";
    public const string UnitAssigned = "unit.assigned";
    public const string UnitReturned = "unit.returned";
    public const string UnitTransferred = "unit.transferred";
    public const string CustomText = "custom.text";

    /// <summary>Placeholder (as written in a text) → parameter name (as stored and as sent to an SMS provider).</summary>
    public static readonly FrozenDictionary<string, string> Placeholders = new Dictionary<string, string>
    {
        ["镇名"] = "town",
        ["跟踪码"] = "trackingCode",
        ["评价码"] = "ratingCode",
        ["网址"] = "url",
        ["原因"] = "reason",
        ["单位"] = "unit",
        ["回访结果"] = "satisfaction",
        ["内容"] = "text",
        ["办理期限"] = "dueDate",
    }.ToFrozenDictionary();

    public sealed record Template(string Key, NotificationKind Kind, RecipientKind Recipient, string DefaultText, IReadOnlyList<string> Allowed);

    public static readonly IReadOnlyList<Template> All =
    [
        new(Registered, NotificationKind.Registered, RecipientKind.Reporter,
            "【{镇名}】您反映的问题已受理，查询码{跟踪码}，评价码{评价码}（请妥善保存，办结后凭此评价），可在{网址}查询。",
            ["镇名", "跟踪码", "评价码", "网址"]),
        new(Resolved, NotificationKind.Resolved, RecipientKind.Reporter,
            "【{镇名}】您反映的问题（查询码{跟踪码}）已办结，可在{网址}查看办理结果并评价。",
            ["镇名", "跟踪码", "网址"]),
        new(Rejected, NotificationKind.Rejected, RecipientKind.Reporter,
            "【{镇名}】您反映的问题（查询码{跟踪码}）不予受理，原因：{原因}。详情见{网址}。",
            ["镇名", "跟踪码", "原因", "网址"]),
        new(FollowedUp, NotificationKind.FollowedUp, RecipientKind.Reporter,
            "【{镇名}】您反映的问题（查询码{跟踪码}）已回访，评价为{回访结果}。感谢您的反馈。",
            ["镇名", "跟踪码", "回访结果", "网址"]),
        new(Extended, NotificationKind.Extended, RecipientKind.Reporter,
            "【{镇名}】您反映的问题（查询码{跟踪码}）经批准延期办理，办理期限延至{办理期限}，可在{网址}查询进展。",
            ["镇名", "跟踪码", "办理期限", "网址"]),
        new(UnitAssigned, NotificationKind.Assigned, RecipientKind.Unit,
            "【{镇名}】事项{跟踪码}已交{单位}办理，请登录台账查看。",
            ["镇名", "跟踪码", "单位"]),
        new(UnitReturned, NotificationKind.Returned, RecipientKind.Unit,
            "【{镇名}】事项{跟踪码}已被{单位}退回，请登录台账重新分办。",
            ["镇名", "跟踪码", "单位"]),
        new(UnitTransferred, NotificationKind.Transferred, RecipientKind.Unit,
            "【{镇名}】事项{跟踪码}已转交{单位}办理，请登录台账查看。",
            ["镇名", "跟踪码", "单位"]),
        new(CustomText, NotificationKind.Custom, RecipientKind.Reporter,
            "{内容}",
            ["内容"]),
    ];

    public static readonly FrozenDictionary<string, Template> ByKey = All.ToFrozenDictionary(t => t.Key);

    /// <summary>Values for a preview: what a real message would carry, invented.</summary>
    public static readonly IReadOnlyDictionary<string, string> SampleValues = new Dictionary<string, string>
    {
        ["town"] = "三岔镇",
        ["trackingCode"] = "SCH-2026-ABCD23",
        ["ratingCode"] = "12345678",
        ["url"] = "https://example.cn/track/SCH-2026-ABCD23",
        ["reason"] = "不属于本镇职责范围，已告知向县市场监管局反映",
        ["unit"] = "马家村",
        ["satisfaction"] = "满意",
        ["text"] = "您反映的问题已收到。",
        ["dueDate"] = "2026-12-31",
    };

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>The placeholders of <paramref name="text"/> that the template does not offer.</summary>
    public static IReadOnlyList<string> Unknown(Template template, string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value).Where(p => !template.Allowed.Contains(p)).Distinct().ToList();

    /// <summary>The text with every placeholder filled from <paramref name="values"/> (a missing value: empty).</summary>
    public static string Render(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => Placeholders.TryGetValue(m.Groups[1].Value, out var name)
            ? values.GetValueOrDefault(name) ?? string.Empty
            : m.Value);
}
