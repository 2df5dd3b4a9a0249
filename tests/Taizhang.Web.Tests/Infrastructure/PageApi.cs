using System.Net;
using System.Text.RegularExpressions;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>
/// The staff pages as a browser without JavaScript uses them: GET for HTML, POST of form fields.
/// Clients from <see cref="TaizhangApp.ClientAs"/> already send the antiforgery token (header),
/// which the pages accept like the hidden form field. Redirects are not followed, so a test sees
/// the 302 and where it points.
/// </summary>
public static partial class PageApi
{
    /// <summary>The board's stage figures: stage name → the ledger link (decoded) and the count shown.</summary>
    public static Dictionary<string, (string Link, int Count)> BoardStages(string html) =>
        StageFigure().Matches(html).ToDictionary(
            m => m.Groups["key"].Value, m => (WebUtility.HtmlDecode(m.Groups["href"].Value), int.Parse(m.Groups["n"].Value)));

    /// <summary>The list API's total for a ledger link (/cases?… → /api/v1/cases?…).</summary>
    public static async Task<int> LedgerTotalAsync(this HttpClient client, string link) =>
        (await client.ListAsync(link.Contains('?') ? link[(link.IndexOf('?') + 1)..] : "")).Total();

    [GeneratedRegex("""<a class="stage" href="(?<href>[^"]*)" data-stage="(?<key>[^"]+)"><span class="n">(?<n>\d+)</span>""")]
    private static partial Regex StageFigure();

    public static async Task<(HttpStatusCode Status, string Html)> GetHtmlAsync(this HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }
}
