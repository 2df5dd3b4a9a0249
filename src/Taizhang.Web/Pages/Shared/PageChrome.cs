using System.Globalization;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Shared;

/// <summary>
/// What every staff page shows around its content: who is signed in, at which posts, the menu
/// their posts allow; and how times, states and enum values read in the user's language.
/// </summary>
public sealed class PageChrome(CurrentUser user, Texts texts, DuePolicy due, TimeProvider clock)
{
    public sealed record Who(string Name, IReadOnlyList<string> Posts, bool MayRegister, bool MayTriage, bool IsAdministrator)
    {
        /// <summary>批量导入 (/imports) in the menu.</summary>
        public bool MayImport { get; init; }
    }

    private Who? _who;

    public async Task<Who?> WhoAsync(HttpContext http)
    {
        if (_who is not null || http.User.Identity?.IsAuthenticated != true)
        {
            return _who;
        }
        try
        {
            var principal = await user.GetAsync(http.RequestAborted);
            var access = await user.AccessAsync(http.RequestAborted);
            _who = new Who(
                principal.Actor.Name,
                principal.Posts.Select(p => texts["role." + p.Role] + " · " + p.Unit.Name).ToList(),
                access.HasAnywhere(Permission.Register),
                access.HasAnywhere(Permission.Triage),
                access.HasAnywhere(Permission.Administer)) { MayImport = access.HasAnywhere(Permission.Import) };
        }
        catch (UnauthorizedException)
        {
            return null;
        }
        return _who;
    }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    // Punctuation between page parts: full-width in Chinese, half-width (with its space) in English.
    private static bool English => Texts.CurrentCulture == "en";

    public string Colon => English ? ": " : "：";

    public string Semicolon => English ? "; " : "；";

    public string ListSeparator => English ? ", " : "、";

    public string Paren(string? text) => English ? $" ({text})" : $"（{text}）";

    public string Time(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), due.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Time(DateTime? utc) => utc is { } t ? Time(t) : "";

    public string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public DateOnly Today => due.LocalDate(Now);

    /// <summary>Due soon (<see cref="Lifecycle.DueSoonWindow"/>) and not yet overdue: shown amber.</summary>
    public bool DueSoon(CaseStatus status, DateTime dueAt) => Lifecycle.IsDueSoon(status, dueAt, Now);

    /// <summary>
    /// An enum value as a label. Statuses are worded for sentences in English ("a case that is in
    /// progress"); as a label they start with a capital like every other label.
    /// </summary>
    public string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var text = texts[Prefix<TEnum>() + "." + value];
        return value is CaseStatus && text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }

    public string Of<TEnum>(TEnum? value) where TEnum : struct, Enum => value is { } v ? Of(v) : "";

    private static string Prefix<TEnum>() => typeof(TEnum).Name switch
    {
        nameof(CaseStatus) => "status",
        nameof(CaseAction) => "action",
        var name => char.ToLowerInvariant(name[0]) + name[1..],
    };
}
