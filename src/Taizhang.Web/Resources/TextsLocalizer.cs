using Microsoft.Extensions.Localization;

namespace Taizhang.Web.Resources;

/// <summary>
/// <see cref="IStringLocalizer"/> over the same JSON resource files as <see cref="Texts"/>: the
/// API and the pages say things in one voice, and a text is translated in one place.
/// </summary>
public sealed class TextsLocalizer(Texts texts) : IStringLocalizer
{
    public LocalizedString this[string name] =>
        texts.Lookup(name) is { } text ? new LocalizedString(name, text) : new LocalizedString(name, name, resourceNotFound: true);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var template = this[name];
            return new LocalizedString(name, string.Format(System.Globalization.CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        texts.All().Select(kv => new LocalizedString(kv.Key, kv.Value));
}

/// <summary>One localizer for every type: the texts are keyed by area ("ledger.title"), not by class.</summary>
public sealed class TextsLocalizerFactory(Texts texts) : IStringLocalizerFactory
{
    private readonly TextsLocalizer _localizer = new(texts);

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
