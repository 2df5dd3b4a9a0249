using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Taizhang.Domain;

namespace Taizhang.Web.Resources;

/// <summary>
/// User-facing texts from Resources/texts.zh-CN.json (the default) and texts.en.json,
/// chosen by the request culture (Accept-Language, ?culture=). Placeholders are {name}.
/// </summary>
public sealed class Texts
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byCulture;

    public Texts()
    {
        var assembly = typeof(Texts).Assembly;
        var cultures = new Dictionary<string, FrozenDictionary<string, string>>();
        foreach (var culture in SupportedCultures)
        {
            using var stream = assembly.GetManifestResourceStream($"Taizhang.Web.Resources.texts.{culture}.json")
                ?? throw new InvalidOperationException($"Missing texts for {culture}.");
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                ?? throw new InvalidOperationException($"Empty texts for {culture}.");
            cultures[culture] = map.ToFrozenDictionary();
        }
        _byCulture = cultures.ToFrozenDictionary();
    }

    public const string DefaultCulture = "zh-CN";
    public static readonly string[] SupportedCultures = [DefaultCulture, "en"];

    public IReadOnlyCollection<string> Keys(string culture) => _byCulture[culture].Keys;

    public string this[string key] => Lookup(key) ?? key;

    public string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>The localized text of a domain rule, with its arguments filled in.</summary>
    public string Rule(DomainRuleException e)
    {
        var template = Lookup("rule." + e.Code);
        if (template is null)
        {
            return e.Message;
        }
        foreach (var (name, value) in e.Args)
        {
            var shown = name == "state" ? this["status." + value] : value;
            template = template.Replace("{" + name + "}", shown, StringComparison.Ordinal);
        }
        if (e.Field is not null)
        {
            template = template.Replace("{field}", e.Field, StringComparison.Ordinal);
        }
        return template;
    }

    private string? Lookup(string key)
    {
        var culture = CultureInfo.CurrentUICulture;
        var name = culture.TwoLetterISOLanguageName == "en" ? "en" : DefaultCulture;
        return _byCulture[name].TryGetValue(key, out var text) ? text
            : _byCulture[DefaultCulture].TryGetValue(key, out text) ? text
            : null;
    }
}
