using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Signing in as accounts that an administrator made, the way their people do.</summary>
public static class Accounts
{
    /// <summary>
    /// Signs in with a name and password (cookie + antiforgery header on the client). An account
    /// whose password an administrator set (or the first start printed) must change it first: this
    /// does, to <paramref name="newPassword"/> or a fresh one, as the person would on /account.
    /// </summary>
    public static async Task<(HttpClient Client, string Password)> SignInAsync(this TaizhangApp app, string userName, string password, string? newPassword = null)
    {
        var client = app.AnonymousClient();
        using var response = await client.PostAsJsonAsync("/api/v1/session", new { userName, password });
        var session = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in as {userName}: {session.ToJsonString()}");
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());
        if (session["mustChangePassword"]?.GetValue<bool>() != true)
        {
            return (client, password);
        }
        var own = newPassword ?? "my own words " + Guid.NewGuid().ToString("N")[..8];
        using var changed = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = password, newPassword = own });
        Assert.True(changed.StatusCode == HttpStatusCode.OK, $"password change of {userName}: {await changed.Content.ReadAsStringAsync()}");
        return (client, own);
    }

    /// <summary><see cref="SignInAsync"/>, for when only the client matters.</summary>
    public static async Task<HttpClient> SignInClientAsync(this TaizhangApp app, string userName, string password) =>
        (await app.SignInAsync(userName, password)).Client;
}
