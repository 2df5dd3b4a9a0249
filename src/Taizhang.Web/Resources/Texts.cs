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
            // Every Resources/<area>.<culture>.json: texts.* for the API, pages.* and others for the pages.
            var suffix = "." + culture + ".json";
            var names = assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (names.Count == 0)
            {
                throw new InvalidOperationException($"Missing texts for {culture}.");
            }
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                var part = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                    ?? throw new InvalidOperationException($"Empty texts in {name}.");
                foreach (var (key, text) in part)
                {
                    if (!map.TryAdd(key, text))
                    {
                        throw new InvalidOperationException($"The text key '{key}' is defined twice ({name}).");
                    }
                }
            }
            cultures[culture] = map.ToFrozenDictionary();
        }
        _byCulture = cultures.ToFrozenDictionary();
    }

    private const string ResourcePrefix = "Taizhang.Web.Resources.";

    public const string DefaultCulture = "zh-CN";
    public static readonly string[] SupportedCultures = [DefaultCulture, "en"];

    public IReadOnlyCollection<string> Keys(string culture) => _byCulture[culture].Keys;

    /// <summary>The supported culture the request speaks: en for any English, else zh-CN.</summary>
    public static string CurrentCulture => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : DefaultCulture;

    public IEnumerable<KeyValuePair<string, string>> All() => _byCulture[CurrentCulture];

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

    /// <summary>The text for <paramref name="key"/> in the request's language, or null when there is none.</summary>
    public string? Lookup(string key)
    {
        var name = CurrentCulture;
        return _byCulture[name].TryGetValue(key, out var text) ? text
            : _byCulture[DefaultCulture].TryGetValue(key, out text) ? text
            : null;
    }
}
