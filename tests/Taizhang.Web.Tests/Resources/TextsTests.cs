using Taizhang.Domain.Cases;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Tests.Resources;

/// <summary>Both languages say everything: no key present in one and missing in the other.</summary>
public sealed class TextsTests
{
    private readonly Texts _texts = new();

    [Fact]
    public void ChineseAndEnglish_HaveTheSameKeys()
    {
        var zh = _texts.Keys("zh-CN").Order().ToArray();
        var en = _texts.Keys("en").Order().ToArray();
        Assert.Equal(zh, en);
    }

    [Fact]
    public void EveryEnumValueShownToUsers_HasAText()
    {
        var keys = _texts.Keys("zh-CN").ToHashSet();
        var needed = Enum.GetNames<CaseStatus>().Select(n => "status." + n)
            .Concat(Enum.GetNames<CaseAction>().Select(n => "action." + n))
            .Concat(Enum.GetNames<Channel>().Select(n => "channel." + n))
            .Concat(Enum.GetNames<Urgency>().Select(n => "urgency." + n))
            .Concat(Enum.GetNames<Track>().Select(n => "track." + n))
            .Concat(Enum.GetNames<Outcome>().Select(n => "outcome." + n))
            .Concat(Enum.GetNames<Satisfaction>().Select(n => "satisfaction." + n));
        var missing = needed.Where(k => !keys.Contains(k)).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void DomainRuleCodes_UsedInTheDomain_HaveTexts()
    {
        // Every DomainRuleException code thrown with a field or as a business rule must be explainable.
        var domainSource = Path.Combine(FindRepoRoot(), "src", "Taizhang.Domain");
        var codes = Directory.GetFiles(domainSource, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "DomainRuleException\\(\"([a-z]+\\.[a-z-]+)\""))
            .Select(m => m.Groups[1].Value)
            .Where(c => c != "case.illegal-transition")
            // The organisation's and the calendar's refusals are administration messages with texts of their own.
            .Where(c => !c.StartsWith("org.", StringComparison.Ordinal) && !c.StartsWith("calendar.", StringComparison.Ordinal))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(codes);
        var keys = _texts.Keys("zh-CN").ToHashSet();
        var missing = codes.Where(c => !keys.Contains("rule." + c)).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Taizhang.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Taizhang.slnx not found above the test folder.");
    }
}

/// <summary>Every text a page asks for by a literal key exists, so no page ever shows a raw key.</summary>
public sealed class PageTextsTests
{
    [Fact]
    public void LiteralKeysUsedByThePages_AllExist()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Taizhang.slnx")))
        {
            root = root.Parent;
        }
        var pages = Path.Combine(root!.FullName, "src", "Taizhang.Web", "Pages");
        var used = Directory.GetFiles(pages, "*.cs*", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "(?:(?:\\bL|texts|Texts)\\[|\\.Format\\()\"([a-z][a-z0-9.-]+)\"[\\],]").Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .ToList();
        Assert.True(used.Count > 50, $"found only {used.Count} keys: the pattern no longer matches the pages");
        var keys = new Taizhang.Web.Resources.Texts().Keys("zh-CN").ToHashSet();
        var missing = used.Where(u => !keys.Contains(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
    }
}
