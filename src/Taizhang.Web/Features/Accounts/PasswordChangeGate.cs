using Microsoft.AspNetCore.Authorization;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// Marks an endpoint or page that a person whose password must be changed may still use: changing
/// it (<c>/account</c>, <c>POST /api/v1/account/password</c>), who am I (<c>GET /api/v1/session</c>)
/// and signing out. A test holds the list fixed.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class AllowedBeforePasswordChangeAttribute : Attribute;

/// <summary>
/// A password that someone else knows — generated at the first start, set by an administrator at
/// creation or reset, reset from the command line — marks the account
/// (<see cref="Data.AppUser.MustChangePassword"/>). Until the person sets their own, every page
/// sends them to <c>/account</c> (which says why) and the API answers 403
/// <c>password-change-required</c>, except where <see cref="AllowedBeforePasswordChangeAttribute"/>
/// says otherwise. Anonymous endpoints (sign-in, assets, public tracking) stay as they are for
/// everyone; integrations (Bearer tokens) have no password and are never held here.
/// </summary>
public static class PasswordChangeGate
{
    public const string AccountPage = "/account";

    /// <summary>After authentication, which loads the account of a cookie once per request (<see cref="CurrentUser.AccountItem"/>).</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Items[CurrentUser.AccountItem] is CurrentUser.Account { MustChangePassword: true }
            && http.GetEndpoint() is { } endpoint
            && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
            && endpoint.Metadata.GetMetadata<AllowedBeforePasswordChangeAttribute>() is null)
        {
            if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/openapi"))
            {
                throw new PasswordChangeRequiredException();
            }
            // A page (a form post too: nothing it carries is acted on): to the page that says why.
            http.Response.Redirect(AccountPage);
            return;
        }
        await next(http);
    });
}
