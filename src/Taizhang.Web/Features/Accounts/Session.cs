using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// Signing in and out. People get a cookie (SameSite=Strict, HttpOnly); state-changing API calls
/// made with that cookie must also carry the antiforgery token from GET /api/v1/session in the
/// X-XSRF-TOKEN header. Integrations use Bearer tokens and need neither.
/// </summary>
public static class Session
{
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    public sealed record SignInRequest(string? UserName, string? Password);

    public sealed record PostView(Role Role, UnitRef Unit);

    /// <param name="MustChangePassword">The password is one someone else knows: until it is changed
    /// (<c>POST /api/v1/account/password</c>, the page <c>/account</c>) the API answers 403 password-change-required.</param>
    public sealed record SessionView(string Kind, string Id, string Name, IReadOnlyList<PostView> Posts, string? AntiforgeryToken,
        bool MustChangePassword = false);

    public static async Task<Ok<SessionView>> SignInEndpoint(
        SignInRequest request, HttpContext http, SignInThrottle throttle, SignInManager<AppUser> signIn,
        IAntiforgery antiforgery, CurrentUser current, Texts texts)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors.Add("userName", texts["field.required"]);
        }
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", texts["field.required"]);
        }
        errors.ThrowIfAny();
        var user = await throttle.SignInAsync(request.UserName!.Trim(), request.Password!, http.RequestAborted);
        // The rest of this request acts as the new user, so the antiforgery token is bound to them
        // (and not to whoever this browser's earlier cookie was for).
        http.User = await signIn.CreateUserPrincipalAsync(user);
        http.Items.Remove(CurrentUser.AccountItem);
        return await GetEndpoint(http, current, antiforgery, http.RequestAborted);
    }

    public static async Task<Ok<SessionView>> GetEndpoint(HttpContext http, CurrentUser current, IAntiforgery antiforgery, CancellationToken ct)
    {
        var principal = await current.GetAsync(ct);
        var token = principal.UserId is null ? null : antiforgery.GetAndStoreTokens(http).RequestToken;
        return TypedResults.Ok(new SessionView(
            principal.Actor.Kind.ToString(), principal.Actor.Id, principal.Actor.Name,
            principal.Posts.Select(p => new PostView(p.Role, new UnitRef(p.Unit.Code, p.Unit.Name))).ToList(), token,
            principal.MustChangePassword));
    }

    /// <summary>Signs out here and everywhere: a new security stamp invalidates every copy of the cookie.</summary>
    public static async Task<NoContent> SignOutEndpoint(SignInManager<AppUser> signIn, UserManager<AppUser> users, CurrentUser current, CancellationToken ct)
    {
        await SignOutAsync(signIn, users, current, ct);
        return TypedResults.NoContent();
    }

    public static async Task SignOutAsync(SignInManager<AppUser> signIn, UserManager<AppUser> users, CurrentUser current, CancellationToken ct)
    {
        if ((await current.GetAsync(ct)).UserId is { } id && await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
    }

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/v1/session").WithTags("Session");
        session.MapPost("/", SignInEndpoint).AllowAnonymous().WithName("SignIn")
            .RequireRateLimiting(ApiSetup.SignInRateLimit);
        session.MapGet("/", GetEndpoint).RequireAuthorization(Policies.SignedIn).WithName("GetSession")
            .WithMetadata(new AllowedBeforePasswordChangeAttribute());
        session.MapDelete("/", SignOutEndpoint).RequireAuthorization(Policies.SignedIn).WithName("SignOut")
            .WithMetadata(new AllowedBeforePasswordChangeAttribute());
        app.MapPost("/api/v1/account/password", MyAccount.ChangePasswordEndpoint).WithTags("Session")
            .RequireAuthorization(Policies.SignedIn).WithName("ChangeMyPassword")
            .WithMetadata(new AllowedBeforePasswordChangeAttribute())
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        // Browsers ask for it on every page; answering keeps consoles and logs free of 404s.
        app.MapGet("/favicon.ico", () => TypedResults.NoContent()).AllowAnonymous().ExcludeFromDescription();
        // The language of the pages: a cookie that the request localization reads (query string and
        // Accept-Language come after it). A preference, not a change of data: a plain link does it.
        app.MapGet("/culture", (string? name, string? returnUrl, HttpContext http) =>
        {
            if (name is not null && Texts.SupportedCultures.Contains(name))
            {
                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            }
            return Results.LocalRedirect(Pages.SignInModel.LocalOrHome(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Cookie-authenticated API writes must carry the antiforgery token: a form on another site
    /// cannot make a signed-in cadre's browser change the ledger.
    /// </summary>
    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !HttpMethods.IsOptions(http.Request.Method)
            && http.Request.Path.StartsWithSegments("/api")
            && http.User.Identity is { IsAuthenticated: true, AuthenticationType: var type }
            && type == IdentityConstants.ApplicationScheme)
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        await next(http);
    });
}
