using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Accounts;

public static class AccountsSetup
{
    /// <summary>The policy scheme: Bearer tokens for integrations (API only), the sign-in cookie for people.</summary>
    public const string Scheme = "Taizhang";

    /// <summary>
    /// Where a Bearer token is an answer at all: the JSON API and its description. The staff pages
    /// are for people: a token there is ignored, so the request is as anonymous as a browser
    /// without a session (sent to sign in), and a leaked integration token cannot drive the forms.
    /// </summary>
    public static bool AcceptsBearer(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(BootstrapOptions.Section).Get<BootstrapOptions>() ?? new BootstrapOptions());
        services.AddSingleton((configuration.GetSection(SignInLimits.Section).Get<SignInLimits>() ?? new SignInLimits()).Validated());
        services.AddScoped<SignInThrottle>();
        services.AddScoped<MyAccount.Handler>();
        var absoluteSession = AbsoluteSession(configuration);
        if (absoluteSession <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Accounts:AbsoluteSessionHours must be positive.");
        }
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddAntiforgery(o => o.HeaderName = Session.AntiforgeryHeader);
        services.AddAuthorization(o =>
        {
            // Everything needs a signed-in person or integration unless it says AllowAnonymous
            // (sign-in and the public tracking view).
            o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            Policies.Add(o);
        });
        services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AdministratorHandler>();
        services.AddIdentityCore<AppUser>(o =>
            {
                // Office staff: long passphrases rather than symbol puzzles, and none of the common ones
                // (CommonPasswordValidator), as NIST SP 800-63B advises.
                o.Password.RequiredLength = 10;
                o.Password.RequiredUniqueChars = 4;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // Failed sign-ins are throttled by SignInThrottle, not by Identity's lockout.
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<TaizhangDb>()
            .AddSignInManager()
            .AddPasswordValidator<CommonPasswordValidator>();

        services.AddSingleton<ApiClientCache>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or Bearer", o => o.ForwardDefaultSelector = http =>
                AcceptsBearer(http.Request.Path)
                && http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokens.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokens.Scheme, null)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "taizhang.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // A working day with overtime; sliding, so an active session does not end mid-task. A
                // sliding cookie alone could live for ever (a stolen one kept warm): the sign-in time in
                // the cookie bounds it to Accounts:AbsoluteSessionHours, checked below.
                o.ExpireTimeSpan = TimeSpan.FromHours(configuration.GetValue("Accounts:SessionHours", 10.0));
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                // The API answers 401/403; only pages redirect to the sign-in page.
                // Every request: the cookie's security stamp must still be the account's (sign-out,
                // password reset and disabling change it), and the sign-in no older than the absolute
                // lifetime, or the cookie is refused and removed.
                // The account loaded here serves the whole request (CurrentUser): one query, not two.
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    var db = ctx.HttpContext.RequestServices.GetRequiredService<TaizhangDb>();
                    var now = ctx.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    var account = ctx.Principal is null || !WithinLifetime(ctx.Principal, now, absoluteSession) ? null
                        : await CurrentUser.LoadAccountAsync(db, ctx.Principal, ctx.HttpContext.RequestAborted);
                    if (account is null)
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                        return;
                    }
                    ctx.HttpContext.Items[CurrentUser.AccountItem] = account;
                };
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
            });
        return services;
    }

    /// <summary>How long a sign-in lasts at most, however active (<c>Accounts:AbsoluteSessionHours</c>, 12).</summary>
    public static TimeSpan AbsoluteSession(IConfiguration configuration) =>
        TimeSpan.FromHours(configuration.GetValue("Accounts:AbsoluteSessionHours", 12.0));

    /// <summary>
    /// Whether the session began (<see cref="SignInThrottle.SignedInAtClaim"/>) less than
    /// <paramref name="lifetime"/> ago. A cookie without the claim predates it and is refused: one
    /// more sign-in, once.
    /// </summary>
    public static bool WithinLifetime(System.Security.Claims.ClaimsPrincipal principal, DateTimeOffset now, TimeSpan lifetime) =>
        long.TryParse(principal.FindFirst(SignInThrottle.SignedInAtClaim)?.Value, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && now - DateTimeOffset.FromUnixTimeSeconds(seconds) < lifetime;

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        // A page that a signed-in person may not open (the administrator policy) is a 403 page, as
        // [Requires] makes it, not a redirect to a sign-in they already have.
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/openapi")
            || status == StatusCodes.Status403Forbidden)
        {
            ctx.Response.StatusCode = status;
        }
        else
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        return Task.CompletedTask;
    }
}
