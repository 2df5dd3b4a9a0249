using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// The passwords an attacker tries first, shipped with the app (no look-up leaves the server):
/// common-passwords.txt, the most common passwords worldwide (@zxcvbn-ts/language-common, MIT, 49,233),
/// and common-passwords-zh.txt, common Chinese ones written for Taizhang (pinyin phrases and names,
/// number memes, keyboard walks). A password is common, compared without regard to case, when
/// <list type="bullet">
/// <item>it is on a list, as typed or without its spaces, dots, dashes and underscores;</item>
/// <item>a listed word of at least 4 characters (after undoing @→a, 0→o, $→s, 3→e) has only a weak
/// head or tail: symbols with at most 4 digits (a year, "!!", "1314!"), or digits that are common
/// themselves ("123456", "5201314") or a date: zhangwei1988, P@ssw0rd2026!, woaini5201314, 520zhangwei;</item>
/// <item>it is only a date or a mobile phone number: 1988-08-08, 19880808, 13812345678.</item>
/// </list>
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    /// <summary>How many distinct passwords the shipped lists hold.</summary>
    public static int Count => List.Value.Count;

    public static bool IsCommon(string password) => IsListedWordInWeakFrame(password) || IsDateOrMobile(password);

    /// <summary>
    /// Whether the password, as typed or without separators, is listed, or is a listed word (after
    /// undoing @→a, 0→o, $→s, 3→e) with at most a short or common head and tail of digits and
    /// symbols: "zhangwei1988", "p@ssw0rd!!", "520woaini".
    /// </summary>
    private static bool IsListedWordInWeakFrame(string password)
    {
        var typed = password.Trim().ToLowerInvariant();
        var compact = new string(typed.Where(c => !IsSeparator(c)).ToArray());
        foreach (var candidate in (ReadOnlySpan<string>)[typed, compact])
        {
            if (candidate.Length == 0)
            {
                continue;
            }
            if (Listed(candidate))
            {
                return true;
            }
            var start = 0;
            while (start < candidate.Length && !char.IsLetter(candidate[start]))
            {
                start++;
            }
            var end = candidate.Length;
            while (end > start && !char.IsLetter(candidate[end - 1]))
            {
                end--;
            }
            if (end - start >= 4 && Listed(Unleet(candidate[start..end])) && WeakEnd(candidate[..start]) && WeakEnd(candidate[end..]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the password is <paramref name="name"/> (a user name: it may end in digits itself)
    /// alone or with a short or common head or tail of digits and symbols: "town2026!", "123zhang3".
    /// </summary>
    public static bool IsNameInWeakFrame(string password, string name)
    {
        var n = name.Trim().ToLowerInvariant();
        var p = password.Trim().ToLowerInvariant();
        if (n.Length == 0)
        {
            return false;
        }
        bool Frame(string rest) => !rest.Any(char.IsLetter) && WeakEnd(rest);
        return p == n
            || (p.StartsWith(n, StringComparison.Ordinal) && Frame(p[n.Length..]))
            || (p.EndsWith(n, StringComparison.Ordinal) && Frame(p[..^n.Length]));
    }

    /// <summary>Only a date or a mobile number (separators aside): 1988-08-08, 19880808, 13812345678.</summary>
    private static bool IsDateOrMobile(string password)
    {
        var digits = new string(password.Trim().Where(c => !IsSeparator(c) && c != '/').ToArray());
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && (IsMobile(digits) || ContainsDate(digits));
    }

    private static bool Listed(string value) => value.Length > 0 && List.Value.Contains(value);

    private static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '_';

    private static string Unleet(string word)
    {
        var b = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            b.Append(c switch { '@' => 'a', '0' => 'o', '$' => 's', '3' => 'e', _ => c });
        }
        return b.ToString();
    }

    /// <summary>A head or tail that adds little: symbols and at most 4 digits ("2026!", "!!", "1314"), or common digits or a date.</summary>
    private static bool WeakEnd(string end)
    {
        var digits = new string(end.Where(char.IsAsciiDigit).ToArray());
        return digits.Length <= 4 || Listed(end) || Listed(digits) || ContainsDate(digits);
    }

    /// <summary>A mainland mobile number: 11 digits starting 13–19.</summary>
    private static bool IsMobile(string digits) => digits.Length == 11 && digits[0] == '1' && digits[1] >= '3';

    /// <summary>A yyyyMMdd date from 1900 to 2099 anywhere in a short run of digits (birthdays, anniversaries).</summary>
    private static bool ContainsDate(string digits)
    {
        if (digits.Length > 12)
        {
            return false;
        }
        for (var i = 0; i + 8 <= digits.Length; i++)
        {
            if (DateOnly.TryParseExact(digits.AsSpan(i, 8), "yyyyMMdd", out var d) && d.Year is >= 1900 and < 2100)
            {
                return true;
            }
        }
        return false;
    }

    private static FrozenSet<string> Load()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var assembly = typeof(CommonPasswords).Assembly;
        foreach (var name in (ReadOnlySpan<string>)[ListResource, ChineseListResource])
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The embedded password list {name} is missing.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                // "# " starts a comment; "#name?" is a password on the list.
                if (line.Length == 0 || line == "#" || line.StartsWith("# ", StringComparison.Ordinal))
                {
                    continue;
                }
                set.Add(line.ToLowerInvariant());
            }
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    public const string ListResource = "Taizhang.Web.Features.Accounts.common-passwords.txt";
    public const string ChineseListResource = "Taizhang.Web.Features.Accounts.common-passwords-zh.txt";
}

/// <summary>
/// Refuses common passwords, and passwords made of the account's own user name or phone number, on
/// every path that sets a password through Identity (an administrator creating an account or
/// resetting a password, the first administrator and the demo users at start-up). NIST SP 800-63B:
/// check against known-bad and context-specific values rather than impose composition rules.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<AppUser>
{
    public const string CommonCode = "CommonPassword";
    public const string ContainsUserNameCode = "PasswordContainsUserName";
    public const string ContainsPhoneCode = "PasswordContainsPhone";

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            // The length rule answers for an empty password.
            return Task.FromResult(IdentityResult.Success);
        }
        if (CommonPasswords.IsCommon(password))
        {
            return Failed(CommonCode, "This password is among the most common ones.");
        }
        // The user name with a year or "123" around it is the second thing an attacker tries.
        if (user.UserName is { Length: > 0 } userName && CommonPasswords.IsNameInWeakFrame(password, userName))
        {
            return Failed(ContainsUserNameCode, "The password is the user name with digits or symbols around it.");
        }
        var phone = new string((user.PhoneNumber ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (phone.Length >= 7 && new string(password.Where(char.IsAsciiDigit).ToArray()).Contains(phone, StringComparison.Ordinal))
        {
            return Failed(ContainsPhoneCode, "The password contains the phone number.");
        }
        return Task.FromResult(IdentityResult.Success);
    }

    private static Task<IdentityResult> Failed(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));
}
