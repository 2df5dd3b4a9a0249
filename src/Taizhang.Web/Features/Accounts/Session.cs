using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
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

    public sealed record SessionView(string Kind, string Id, string Name, IReadOnlyList<PostView> Posts, string? AntiforgeryToken);

    public static async Task<Ok<SessionView>> SignInEndpoint(
        SignInRequest request, HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users,
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
        var user = await SignInAsync(request.UserName!.Trim(), request.Password!, signIn, users);
        // The rest of this request acts as the new user, so the antiforgery token is bound to them.
        http.User = await signIn.CreateUserPrincipalAsync(user);
        return await GetEndpoint(http, current, antiforgery, http.RequestAborted);
    }

    /// <summary>Checks the password (counting failures towards lockout) and issues the cookie.</summary>
    public static async Task<AppUser> SignInAsync(string userName, string password, SignInManager<AppUser> signIn, UserManager<AppUser> users)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.IsDisabled)
        {
            // Take as long as a real check, so response times do not tell which names exist.
            users.PasswordHasher.HashPassword(new AppUser(), password);
            throw new SignInFailedException(lockedOut: false);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            throw new SignInFailedException(lockedOut: true);
        }
        if (!result.Succeeded)
        {
            throw new SignInFailedException(lockedOut: false);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return user;
    }

    public static async Task<Ok<SessionView>> GetEndpoint(HttpContext http, CurrentUser current, IAntiforgery antiforgery, CancellationToken ct)
    {
        var principal = await current.GetAsync(ct);
        var token = principal.UserId is null ? null : antiforgery.GetAndStoreTokens(http).RequestToken;
        return TypedResults.Ok(new SessionView(
            principal.Actor.Kind.ToString(), principal.Actor.Id, principal.Actor.Name,
            principal.Posts.Select(p => new PostView(p.Role, new UnitRef(p.Unit.Code, p.Unit.Name))).ToList(), token));
    }

    /// <summary>Signs out here and everywhere: a new security stamp invalidates every copy of the cookie.</summary>
    public static async Task<NoContent> SignOutEndpoint(SignInManager<AppUser> signIn, UserManager<AppUser> users, CurrentUser current, CancellationToken ct)
    {
        if ((await current.GetAsync(ct)).UserId is { } id && await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/v1/session").WithTags("Session");
        session.MapPost("/", SignInEndpoint).AllowAnonymous().WithName("SignIn")
            .RequireRateLimiting(Cases.CaseEndpoints.PublicRateLimit);
        session.MapGet("/", GetEndpoint).WithName("GetSession");
        session.MapDelete("/", SignOutEndpoint).WithName("SignOut");

        app.MapGet("/signin", SignInPage.Get).AllowAnonymous().ExcludeFromDescription();
        // Browsers ask for it on every page; answering keeps consoles and logs free of 404s.
        app.MapGet("/favicon.ico", () => TypedResults.NoContent()).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SignInPage.Post).AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(Cases.CaseEndpoints.PublicRateLimit);
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

/// <summary>401 for a wrong name or password (the same answer for both), 423 while locked out.</summary>
public sealed class SignInFailedException(bool lockedOut) : ProblemException(lockedOut ? "locked-out" : "sign-in-failed", "Sign-in failed.")
{
    public bool LockedOut { get; } = lockedOut;
}

/// <summary>The minimal sign-in page for people; the web pages come later.</summary>
public static class SignInPage
{
    public static IResult Get(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        Page(http, antiforgery, returnUrl, userName: null, error: null);

    public static async Task<IResult> Post(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, SignInManager<AppUser> signIn, UserManager<AppUser> users, IAntiforgery antiforgery, Texts texts)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return Page(http, antiforgery, returnUrl, userName, texts["signin.missing"]);
        }
        try
        {
            await Session.SignInAsync(userName.Trim(), password, signIn, users);
        }
        catch (SignInFailedException e)
        {
            return Page(http, antiforgery, returnUrl, userName, texts[e.LockedOut ? "signin.locked-out" : "signin.failed"]);
        }
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/api/v1/session");
    }

    /// <summary>A path on this site: "/x", never "//host", "/\host" or a scheme.</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? userName, string? error)
    {
        var texts = http.RequestServices.GetRequiredService<Texts>();
        var tokens = antiforgery.GetAndStoreTokens(http);
        static string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
        var html = $$"""
            <!DOCTYPE html>
            <html lang="{{E(System.Globalization.CultureInfo.CurrentUICulture.Name)}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(texts["signin.title"])}}</title>
            <style>
              body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; margin: 0; }
              main { max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; }
              h1 { font-size: 1.4rem; margin: 0 0 1.5rem; }
              label { display: block; margin: 1rem 0 .3rem; }
              input { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 4px; }
              .error { color: #b00020; margin-top: .4rem; }
              button { margin-top: 1.5rem; width: 100%; padding: .65rem; font-size: 1rem; background: #b3261e; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
            </style></head>
            <body><main>
              <h1>{{E(texts["signin.title"])}}</h1>
              <form method="post" action="/signin">
                <input type="hidden" name="__RequestVerificationToken" value="{{E(tokens.RequestToken)}}">
                <input type="hidden" name="returnUrl" value="{{E(returnUrl)}}">
                <label for="userName">{{E(texts["signin.user-name"])}}</label>
                <input id="userName" name="userName" autocomplete="username" value="{{E(userName)}}" required{{(error is null ? " autofocus" : "")}}>
                <label for="password">{{E(texts["signin.password"])}}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required{{(error is null ? "" : " autofocus aria-invalid=\"true\" aria-describedby=\"password-error\"")}}>
                {{(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"password-error\">{E(error)}</p>")}}
                <button type="submit">{{E(texts["signin.submit"])}}</button>
              </form>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 400);
    }
}
