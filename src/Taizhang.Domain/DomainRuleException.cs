namespace Taizhang.Domain;

/// <summary>
/// A business rule refused the operation. <see cref="Code"/> is stable and maps to a
/// localized message and a problem type in the web layer; <see cref="Args"/> fills it.
/// </summary>
public sealed class DomainRuleException(string code, string message, IReadOnlyDictionary<string, string>? args = null, string? field = null)
    : Exception(message)
{
    public string Code { get; } = code;
    public IReadOnlyDictionary<string, string> Args { get; } = args ?? new Dictionary<string, string>();

    /// <summary>The request field the rule is about, when there is one.</summary>
    public string? Field { get; } = field;
}
