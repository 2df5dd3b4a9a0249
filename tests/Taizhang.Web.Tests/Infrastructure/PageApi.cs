using System.Net;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>
/// The staff pages as a browser without JavaScript uses them: GET for HTML, POST of form fields.
/// Clients from <see cref="TaizhangApp.ClientAs"/> already send the antiforgery token (header),
/// which the pages accept like the hidden form field. Redirects are not followed, so a test sees
/// the 302 and where it points.
/// </summary>
public static class PageApi
{
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
