using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// Accounts and posts, for administrators. An administrator manages the people whose posts lie
/// in their area and grants posts only there; nobody can remove their own last administrator post.
/// Every account holds at least one post: an account without posts belongs to no area, so only the
/// top level could manage it, and a town administrator could create one and lose it at once.
/// A password an administrator sets (typed or generated, at creation or reset) is one they know:
/// the account must change it at its next sign-in (<see cref="AppUser.MustChangePassword"/>).
/// The same handler serves the API and the pages under /admin/users.
/// </summary>
public static class ManageUsers
{
    public sealed record PostBody(string? Role, string? Unit);

    /// <param name="GeneratePassword">True: the server makes the password and answers it once (<see cref="UserView.GeneratedPassword"/>); give no <paramref name="Password"/> then.</param>
    public sealed record CreateRequest(string? UserName, string? DisplayName, string? Phone, string? Password, IReadOnlyList<PostBody>? Posts,
        bool? GeneratePassword = null);

    public sealed record UpdateRequest(string? DisplayName, string? Phone, bool? Disabled);

    /// <param name="GeneratePassword">True: the server makes the new password and answers it once; give no <paramref name="Password"/> then.</param>
    public sealed record PasswordRequest(string? Password, bool? GeneratePassword = null);

    public sealed record PostView(long Id, Role Role, UnitRef? Unit);

    /// <summary>
    /// An account. <c>LockedOut</c>/<c>LockedOutUntil</c>: refused from every address after too many
    /// failed sign-ins, until then; <c>ThrottledAddresses</c>: addresses refused for this account
    /// (others still get in); <c>FailedSignIns</c>: failures still counting (see SignInThrottle).
    /// <c>MustChangePassword</c>: the password is one an administrator set, to be changed at the next
    /// sign-in. <c>GeneratedPassword</c>: only in the answer that generated it, never again.
    /// </summary>
    public sealed record UserView(long Id, string UserName, string DisplayName, string? Phone, bool Disabled, bool LockedOut,
        DateTime? LockedOutUntil, int FailedSignIns, IReadOnlyList<SignInThrottle.ThrottledAddress> ThrottledAddresses,
        DateTime CreatedAt, IReadOnlyList<PostView> Posts, bool MustChangePassword = false,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GeneratedPassword = null);

    /// <summary>One page of the accounts an administrator manages, found by user name, display name or a unit's name or code.</summary>
    public sealed record UserPage(IReadOnlyList<UserView> Items, int Total, int Page, int PageSize);

    /// <summary>A unit a post may be granted at, in tree order (<c>Depth</c> 0 at the administrator's own units).</summary>
    public sealed record UnitChoice(string Code, string Name, Domain.Organization.OrgUnitKind Kind, string? Parent, int Depth);

    /// <summary>What an administrator may grant: every role, at the units within their area.</summary>
    public sealed record PostChoices(IReadOnlyList<Role> Roles, IReadOnlyList<UnitChoice> Units);

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public sealed class Handler(TaizhangDb db, UserManager<AppUser> users, AdminScope admin, TimeProvider clock, Texts texts, SignInThrottle throttle)
    {
        /// <summary>
        /// The accounts within the administrator's area whose user name or display name contains
        /// <paramref name="q"/>, or who hold a post at a unit whose name or code contains it; by user
        /// name. <paramref name="pageSize"/> absent: all of them on one page. A page past the last is the last.
        /// </summary>
        public async Task<UserPage> SearchAsync(string? q, string? page, string? pageSize, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var errors = new FieldErrors();
            var pageNumber = 1;
            if (!string.IsNullOrWhiteSpace(page) && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) || pageNumber < 1))
            {
                errors.Add("page", texts["field.page"]);
            }
            int? size = null;
            if (!string.IsNullOrWhiteSpace(pageSize))
            {
                if (int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPageSize)
                {
                    size = n;
                }
                else
                {
                    errors.Add("pageSize", texts.Format("field.page-size", MaxPageSize));
                }
            }
            else if (!string.IsNullOrWhiteSpace(page))
            {
                size = DefaultPageSize;
            }
            var term = q?.Trim();
            if (term is { Length: > 64 })
            {
                errors.Add("q", texts.Format("field.too-long", 64));
            }
            errors.ThrowIfAny();

            // In scope: every post within the area; an account without posts only for the top level.
            var covered = scope.Units.Units.Where(scope.Covers).Select(u => u.Id).ToList();
            var topLevel = scope.IsTopLevel;
            var query = db.Users.AsNoTracking().Where(u => u.Posts.All(p => covered.Contains(p.OrgUnitId)) && (topLevel || u.Posts.Any()));
            if (!string.IsNullOrEmpty(term))
            {
                var upper = term.ToUpperInvariant();
                var lower = term.ToLowerInvariant();
                var units = scope.Units.Units
                    .Where(u => scope.Covers(u) && (u.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || u.Code.Contains(term, StringComparison.OrdinalIgnoreCase)))
                    .Select(u => u.Id).ToList();
                query = query.Where(u => u.NormalizedUserName!.Contains(upper) || u.DisplayName.ToLower().Contains(lower)
                    || u.Posts.Any(p => units.Contains(p.OrgUnitId)));
            }
            var total = await query.CountAsync(ct);
            var take = size ?? Math.Max(total, 1);
            var last = Math.Max(1, (total + take - 1) / take);
            pageNumber = Math.Min(pageNumber, last);
            var rows = await query.Include(u => u.Posts).OrderBy(u => u.UserName).ThenBy(u => u.Id)
                .Skip((pageNumber - 1) * take).Take(take).ToListAsync(ct);
            var states = await throttle.StatesAsync(null, ct);
            return new UserPage(rows.Select(u => View(u, scope, states)).ToList(), total, pageNumber, take);
        }

        /// <summary>The roles and the units (within the area, in tree order) a post may be granted with.</summary>
        public async Task<PostChoices> ChoicesAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var inScope = scope.Units.Units.Where(scope.Covers).ToList();
            var ids = inScope.Select(u => u.Id).ToHashSet();
            var children = inScope.ToLookup(u => u.ParentId is { } p && ids.Contains(p) ? p : (long?)null);
            var units = new List<UnitChoice>();
            void Walk(long? parent, int depth)
            {
                foreach (var u in children[parent].OrderBy(u => u.Kind == Domain.Organization.OrgUnitKind.Partner).ThenBy(u => u.Code, StringComparer.Ordinal))
                {
                    units.Add(new UnitChoice(u.Code, u.Name, u.Kind, u.ParentId is { } p ? scope.Units.UnitsById[p].Code : null, depth));
                    Walk(u.Id, depth + 1);
                }
            }
            Walk(null, 0);
            return new PostChoices(Enum.GetValues<Role>(), units);
        }

        public async Task<UserView> GetAsync(long id, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            return await ViewAsync(await LoadAsync(scope, id, ct), scope, ct);
        }

        public async Task<UserView> CreateAsync(CreateRequest r, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var errors = new FieldErrors();
            var userName = RequestParsing.Text(errors, texts, "userName", r.UserName, 64, required: true);
            var displayName = RequestParsing.Text(errors, texts, "displayName", r.DisplayName, 64, required: true);
            var phone = RequestParsing.Phone(errors, texts, "phone", r.Phone);
            var password = Password(errors, r.Password, r.GeneratePassword);
            if (userName is not null && await users.FindByNameAsync(userName) is not null)
            {
                errors.Add("userName", texts["field.name-taken"]);
            }
            var posts = ParsePosts(scope, errors, r.Posts ?? []);
            if (r.Posts is not { Count: > 0 })
            {
                errors.Add("posts", texts["field.posts-required"]);
            }
            errors.ThrowIfAny();
            var user = new AppUser
            {
                UserName = userName,
                DisplayName = displayName!,
                PhoneNumber = phone,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                MustChangePassword = true,
            };
            user.Posts.AddRange(posts);
            db.Record(scope.Principal.Actor, user.CreatedAt, "user.create", "user:" + userName,
                PostsText(scope, posts) + (r.GeneratePassword == true ? "; password generated" : string.Empty),
                AdminAudit.AreaOf(scope.Units, posts.Select(p => p.OrgUnitId)));
            Check(await users.CreateAsync(user, password!), "password");
            return await ViewAsync(user, scope, ct) with { GeneratedPassword = r.GeneratePassword == true ? password : null };
        }

        public async Task<UserView> UpdateAsync(long id, UpdateRequest r, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var user = await LoadAsync(scope, id, ct, tracked: true);
            var errors = new FieldErrors();
            var displayName = r.DisplayName is null ? null : RequestParsing.Text(errors, texts, "displayName", r.DisplayName, 64, required: true);
            var phone = r.Phone is null ? null : RequestParsing.Phone(errors, texts, "phone", r.Phone);
            if (r.Disabled == true && user.Id == scope.Principal.UserId)
            {
                errors.Add("disabled", texts["field.not-yourself"]);
            }
            errors.ThrowIfAny();
            if (displayName is not null)
            {
                user.DisplayName = displayName;
            }
            if (r.Phone is not null)
            {
                user.PhoneNumber = phone;
            }
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "user.update", "user:" + user.Id,
                $"displayName={(displayName is null ? "unchanged" : "changed")}; phone={(r.Phone is null ? "unchanged" : "changed")}; disabled={r.Disabled?.ToString() ?? "unchanged"}", AreaOf(scope, user));
            if (r.Disabled is { } disabled)
            {
                user.IsDisabled = disabled;
                // Ends existing sessions: the security stamp is checked when cookies are validated.
                await users.UpdateSecurityStampAsync(user);
            }
            await db.SaveChangesAsync(ct);
            return await ViewAsync(user, scope, ct);
        }

        public async Task<UserView> SetPasswordAsync(long id, PasswordRequest r, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var user = await LoadAsync(scope, id, ct, tracked: true);
            var errors = new FieldErrors();
            var password = Password(errors, r.Password, r.GeneratePassword);
            errors.ThrowIfAny();
            await ResetPasswordAsync(db, users, throttle, user, password!, scope.Principal.Actor, clock.GetUtcNow().UtcDateTime,
                r.GeneratePassword == true ? "generated" : null, texts, ct, AreaOf(scope, user));
            return await ViewAsync(user, scope, ct) with { GeneratedPassword = r.GeneratePassword == true ? password : null };
        }

        /// <summary>The password to set: typed, or generated when asked (then nothing may be typed).</summary>
        private string? Password(FieldErrors errors, string? typed, bool? generate)
        {
            if (generate == true)
            {
                if (!string.IsNullOrEmpty(typed))
                {
                    errors.Add("password", texts["admin-users.password-or-generate"]);
                }
                return AccountBootstrap.GeneratePassword();
            }
            if (string.IsNullOrEmpty(typed))
            {
                errors.Add("password", texts["field.required"]);
            }
            return typed;
        }

        /// <summary>Lifts every sign-in refusal of the account: from everywhere and from single addresses.</summary>
        public async Task<UserView> UnlockAsync(long id, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var user = await LoadAsync(scope, id, ct, tracked: true);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "user.unlock", "user:" + user.Id, unit: AreaOf(scope, user));
            await db.SaveChangesAsync(ct);
            await throttle.LiftAsync(user.Id, ct);
            return await ViewAsync(user, scope, ct);
        }

        public async Task<UserView> AddPostAsync(long id, PostBody body, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var user = await LoadAsync(scope, id, ct, tracked: true);
            var errors = new FieldErrors();
            var post = ParsePosts(scope, errors, [body], prefix: null).SingleOrDefault();
            if (post is not null && user.Posts.Any(p => p.Role == post.Role && p.OrgUnitId == post.OrgUnitId))
            {
                errors.Add("role", texts["field.post-exists"]);
            }
            errors.ThrowIfAny();
            user.Posts.Add(post!);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "user.post-add", "user:" + user.Id, PostsText(scope, [post!]),
                AreaOf(scope, user));
            await db.SaveChangesAsync(ct);
            return await ViewAsync(user, scope, ct);
        }

        public async Task<UserView> RemovePostAsync(long id, long postId, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var user = await LoadAsync(scope, id, ct, tracked: true);
            var post = user.Posts.FirstOrDefault(p => p.Id == postId);
            if (post is null || !scope.Covers(post.OrgUnitId))
            {
                throw new NotFoundException("post");
            }
            if (user.Id == scope.Principal.UserId && post.Role == Role.Administrator
                && user.Posts.Count(p => p.Role == Role.Administrator) == 1)
            {
                throw new RequestValidationException(new Dictionary<string, string[]> { ["postId"] = [texts["field.not-yourself"]] });
            }
            if (user.Posts.Count == 1)
            {
                // An account without posts would leave this administrator's area; disabling it keeps it manageable.
                throw new RequestValidationException(new Dictionary<string, string[]> { ["postId"] = [texts["field.last-post"]] });
            }
            // Two removals at once could each see another post left: a new stamp makes the second a 409.
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
            user.Posts.Remove(post);
            db.UserPosts.Remove(post);
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "user.post-remove", "user:" + user.Id, PostsText(scope, [post]),
                AdminAudit.AreaOf(scope.Units, user.Posts.Select(p => p.OrgUnitId).Append(post.OrgUnitId)));
            await db.SaveChangesAsync(ct);
            return await ViewAsync(user, scope, ct);
        }

        private async Task<AppUser> LoadAsync(AdminScope.Scope scope, long id, CancellationToken ct, bool tracked = false)
        {
            var query = tracked ? db.Users : db.Users.AsNoTracking();
            var user = await query.Include(u => u.Posts).FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null || !InScope(scope, user))
            {
                throw new NotFoundException("user");
            }
            return user;
        }

        private List<UserPost> ParsePosts(AdminScope.Scope scope, FieldErrors errors, IReadOnlyList<PostBody> bodies, string? prefix = "posts")
        {
            var posts = new List<UserPost>();
            for (var i = 0; i < bodies.Count; i++)
            {
                var field = prefix is null ? string.Empty : $"{prefix}[{i}].";
                var role = RequestParsing.Enum<Role>(errors, texts, field + "role", bodies[i].Role, required: true);
                var unit = scope.Unit(errors, texts, field + "unit", bodies[i].Unit);
                if (role is { } r && unit is not null)
                {
                    if (!Fits(r, unit))
                    {
                        errors.Add(field + "unit", texts.Format("field.post-unit-kind", unit.Name));
                    }
                    else if (!posts.Any(p => p.Role == r && p.OrgUnitId == unit.Id))
                    {
                        posts.Add(new UserPost { Role = r, OrgUnitId = unit.Id });
                    }
                }
            }
            return posts;
        }

        /// <summary>An agency handler sits at a partner unit; a village cadre at a village or community; the rest not at a partner.</summary>
        private static bool Fits(Role role, UnitInfo unit) => role switch
        {
            Role.AgencyHandler => unit.Kind == Domain.Organization.OrgUnitKind.Partner,
            Role.VillageCadre => unit.Kind is Domain.Organization.OrgUnitKind.Village or Domain.Organization.OrgUnitKind.Community or Domain.Organization.OrgUnitKind.Group,
            Role.Administrator or Role.TownStaff or Role.Operator or Role.Leader or Role.Member => unit.Kind != Domain.Organization.OrgUnitKind.Partner,
        };

        /// <summary>
        /// A user is in an administrator's scope when all their posts are. A user without posts (made
        /// before every account needed one) belongs to no area, so only the top level manages them.
        /// </summary>
        private static bool InScope(AdminScope.Scope scope, AppUser user) =>
            user.Posts.Count == 0 ? scope.IsTopLevel : user.Posts.All(p => scope.Covers(p.OrgUnitId));

        private static string PostsText(AdminScope.Scope scope, IEnumerable<UserPost> posts) =>
            string.Join(", ", posts.Select(p => $"{p.Role}@{scope.Units.Ref(p.OrgUnitId)?.Code}"));

        private async Task<UserView> ViewAsync(AppUser u, AdminScope.Scope scope, CancellationToken ct) =>
            View(u, scope, await throttle.StatesAsync(u.Id, ct));

        private static UserView View(AppUser u, AdminScope.Scope scope, IReadOnlyDictionary<long, SignInThrottle.State> states)
        {
            var state = states.GetValueOrDefault(u.Id) ?? SignInThrottle.State.None;
            return new(
                u.Id, u.UserName ?? string.Empty, u.DisplayName, PersonalData.MaskPhone(u.PhoneNumber), u.IsDisabled,
                state.LockedOutUntil is not null, state.LockedOutUntil, state.FailedSignIns, state.ThrottledAddresses, u.CreatedAt,
                u.Posts.OrderBy(p => p.Id).Select(p => new PostView(p.Id, p.Role, scope.Units.Ref(p.OrgUnitId))).ToList(),
                u.MustChangePassword);
        }

        private void Check(IdentityResult result, string field) => CheckResult(result, field, texts);
    }

    /// <summary>
    /// Sets a password someone else now knows (an administrator's reset, the command line's): the
    /// rules of every password, "must change password", a new security stamp (ending the sessions
    /// signed in with the old one) and every sign-in refusal lifted (the guesses at the old one no
    /// longer matter), recorded with <paramref name="actor"/> in the same save.
    /// </summary>
    public static async Task ResetPasswordAsync(TaizhangDb db, UserManager<AppUser> users, SignInThrottle throttle, AppUser user, string password,
        Domain.Cases.Actor actor, DateTime now, string? details, Texts texts, CancellationToken ct, long? unit = null)
    {
        foreach (var validator in users.PasswordValidators)
        {
            CheckResult(await validator.ValidateAsync(users, user, password), "password", texts);
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.MustChangePassword = true;
        db.Record(actor, now, "user.password-reset", "user:" + user.Id, details, unit);
        await users.UpdateSecurityStampAsync(user);
        await throttle.LiftAsync(user.Id, ct);
    }

    /// <summary>Where an entry about an account is filed: the area of its posts.</summary>
    private static long? AreaOf(AdminScope.Scope scope, AppUser user) => AdminAudit.AreaOf(scope.Units, user.Posts.Select(p => p.OrgUnitId));

    private static void CheckResult(IdentityResult result, string field, Texts texts)
    {
        if (!result.Succeeded)
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [field] = result.Errors.Select(e => texts.Lookup("identity." + e.Code) ?? e.Description).ToArray(),
            });
        }
    }

    /// <summary>
    /// The accounts as an array (compatible with clients that read all of them); <c>q</c> finds by
    /// user name, display name or unit, <c>page</c>/<c>pageSize</c> page it, and <c>X-Total-Count</c>
    /// says how many match.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<UserView>>> ListEndpoint(string? q, string? page, string? pageSize, Handler h, HttpContext http, CancellationToken ct)
    {
        var result = await h.SearchAsync(q, page, pageSize, ct);
        http.Response.Headers["X-Total-Count"] = result.Total.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(result.Items);
    }

    public static async Task<Ok<PostChoices>> ChoicesEndpoint(Handler h, CancellationToken ct) => TypedResults.Ok(await h.ChoicesAsync(ct));

    public static async Task<Ok<UserView>> GetEndpoint(long id, Handler h, CancellationToken ct) => TypedResults.Ok(await h.GetAsync(id, ct));

    public static async Task<Created<UserView>> CreateEndpoint(CreateRequest? r, Handler h, CancellationToken ct)
    {
        var user = await h.CreateAsync(r ?? new CreateRequest(null, null, null, null, null), ct);
        return TypedResults.Created($"/api/v1/admin/users/{user.Id}", user);
    }

    public static async Task<Ok<UserView>> UpdateEndpoint(long id, UpdateRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.UpdateAsync(id, r ?? new UpdateRequest(null, null, null), ct));

    public static async Task<Ok<UserView>> PasswordEndpoint(long id, PasswordRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.SetPasswordAsync(id, r ?? new PasswordRequest(null), ct));

    public static async Task<Ok<UserView>> UnlockEndpoint(long id, Handler h, CancellationToken ct) => TypedResults.Ok(await h.UnlockAsync(id, ct));

    public static async Task<Ok<UserView>> AddPostEndpoint(long id, PostBody? body, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.AddPostAsync(id, body ?? new PostBody(null, null), ct));

    public static async Task<Ok<UserView>> RemovePostEndpoint(long id, long postId, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.RemovePostAsync(id, postId, ct));
}
