namespace Taizhang.Web.Pages.Admin.Users;

/// <summary>A password shown once (_PasswordOnce.cshtml): the answer that carries it is never stored by the browser or a proxy.</summary>
public static class PasswordOnce
{
    public sealed record Shown(string Id, string Password, string Message);

    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
