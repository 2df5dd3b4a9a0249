using Taizhang.Domain;
using Taizhang.Web.Features.Cases;

namespace Taizhang.Web.Features.Deadlines;

/// <summary>Field checks the deadline actions share (the domain checks lengths and the rules).</summary>
internal static class DeadlineRequests
{
    /// <summary>Free text that the action needs: a field error when blank or not printable.</summary>
    public static void Required(CaseChange c, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return;
        }
        c.CheckText(field, value);
    }

    /// <summary>A yes/no the decision needs.</summary>
    public static bool RequiredChoice(CaseChange c, string field, bool? value)
    {
        if (value is null)
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return false;
        }
        return value.Value;
    }

    /// <summary>A date the action needs (yyyy-MM-dd).</summary>
    public static DateOnly? RequiredDate(CaseChange c, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            c.Errors.Add(field, c.Texts["field.required"]);
            return null;
        }
        return RequestParsing.Date(c.Errors, c.Texts, field, value);
    }

    /// <summary>Optional text: null when blank.</summary>
    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Runs a domain call whose rule names <paramref name="domainField"/>, answering under the request's <paramref name="requestField"/>.</summary>
    public static void Renamed(string domainField, string requestField, Action call)
    {
        try
        {
            call();
        }
        catch (DomainRuleException e) when (e.Field == domainField)
        {
            throw new DomainRuleException(e.Code, e.Message, e.Args, requestField);
        }
    }
}
