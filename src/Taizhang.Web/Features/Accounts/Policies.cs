using Microsoft.AspNetCore.Authorization;
using Taizhang.Domain.Access;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// The authorization policies every endpoint names explicitly (a test fails on one that names
/// none): <see cref="SignedIn"/> for the staff API and pages, <see cref="Administrator"/> for
/// administration, or AllowAnonymous by name. The fallback policy (signed in) stays as the net
/// under them. Which cases and units a caller reaches is still decided per request by CaseAccess
/// and AdminScope: the policy is the first line, not the only one.
/// </summary>
public static class Policies
{
    /// <summary>A signed-in person or an integration.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>A signed-in person holding an Administrator post somewhere.</summary>
    public const string Administrator = "administrator";

    public static void Add(AuthorizationOptions o)
    {
        o.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        o.AddPolicy(Administrator, p => p.RequireAuthenticatedUser().AddRequirements(new AdministratorRequirement()));
    }
}

public sealed class AdministratorRequirement : IAuthorizationRequirement;

/// <summary>
/// Reads the caller's posts from the database (CurrentUser), not from the cookie: a removed post
/// counts at once. An empty installation (no org unit yet) lets its bootstrap administrator — a
/// person with no post — through, to create the first unit; that handler allows nothing else.
/// </summary>
public sealed class AdministratorHandler(CurrentUser user, OrgDirectory org) : AuthorizationHandler<AdministratorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdministratorRequirement requirement)
    {
        try
        {
            var principal = await user.GetAsync();
            if (principal.UserId is null)
            {
                return;
            }
            if ((await user.AccessAsync()).HasAnywhere(Permission.Administer)
                || (principal.Posts.Count == 0 && (await org.GetAsync()).Units.Count == 0))
            {
                context.Succeed(requirement);
            }
        }
        catch (UnauthorizedException)
        {
            // No longer a valid session: the requirement fails, the caller is challenged.
        }
    }
}
