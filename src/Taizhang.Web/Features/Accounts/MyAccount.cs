using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// 我的账户: who I am, my posts, and changing my own password (the page <c>/account</c> and
/// <c>POST /api/v1/account/password</c>). The current password is checked within the sign-in
/// limits (<see cref="SignInThrottle.VerifyPasswordAsync"/>); the new one goes through the same
/// rules as every password (length, the common-password list, not the user name or phone) and may
/// not be the current one. Changing it clears "must change password", ends every other session of
/// the person (a new security stamp), keeps this one, and is recorded in the audit trail.
/// </summary>
public static class MyAccount
{
    public sealed record PostView(Role Role, UnitRef Unit);

    public sealed record AccountView(string UserName, string DisplayName, IReadOnlyList<PostView> Posts, bool MustChangePassword);

    /// <param name="ConfirmPassword">The new password typed again; checked when given (the page always gives it).</param>
    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword, string? ConfirmPassword = null);

    public sealed class Handler(
        TaizhangDb db, UserManager<AppUser> users, SignInManager<AppUser> signIn, SignInThrottle throttle, CurrentUser current,
        IHttpContextAccessor http, TimeProvider clock, Texts texts)
    {
        public async Task<AccountView> GetAsync(CancellationToken ct)
        {
            var principal = await current.GetAsync(ct);
            var id = principal.UserId ?? throw new ForbiddenException();
            var user = await db.Users.AsNoTracking().Where(u => u.Id == id)
                .Select(u => new { u.UserName, u.DisplayName, u.MustChangePassword })
                .FirstOrDefaultAsync(ct) ?? throw new UnauthorizedException();
            return new AccountView(user.UserName ?? string.Empty, user.DisplayName, Posts(principal), user.MustChangePassword);
        }

        public async Task<AccountView> ChangePasswordAsync(PasswordRequest r, CancellationToken ct)
        {
            var principal = await current.GetAsync(ct);
            // Integrations have tokens, not passwords.
            var id = principal.UserId ?? throw new ForbiddenException();
            var errors = new FieldErrors();
            if (string.IsNullOrEmpty(r.CurrentPassword))
            {
                errors.Add("currentPassword", texts["field.required"]);
            }
            if (string.IsNullOrEmpty(r.NewPassword))
            {
                errors.Add("newPassword", texts["field.required"]);
            }
            else if (r.ConfirmPassword is not null && r.ConfirmPassword != r.NewPassword)
            {
                errors.Add("confirmPassword", texts["account.confirm-mismatch"]);
            }
            // An incomplete form is not an attempt at the current password: nothing is counted.
            errors.ThrowIfAny();

            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new UnauthorizedException();
            if (!await throttle.VerifyPasswordAsync(user, r.CurrentPassword!, ct))
            {
                errors.Add("currentPassword", texts.Format("account.current-wrong", throttle.WaitMinutes));
            }
            else if (r.NewPassword == r.CurrentPassword)
            {
                errors.Add("newPassword", texts["account.same-password"]);
            }
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user, r.NewPassword);
                foreach (var e in result.Errors)
                {
                    errors.Add("newPassword", texts.Lookup("identity." + e.Code) ?? e.Description);
                }
            }
            errors.ThrowIfAny();

            var required = user.MustChangePassword;
            user.PasswordHash = users.PasswordHasher.HashPassword(user, r.NewPassword!);
            user.MustChangePassword = false;
            db.Record(principal.Actor, clock.GetUtcNow().UtcDateTime, "account.password-change", "user:" + user.Id,
                required ? "was required" : null, AdminAudit.AreaOf(principal));
            // Saves the change and the audit event together; the new stamp ends every other session
            // (one signed in with the old password elsewhere, perhaps by whoever else knew it).
            await users.UpdateSecurityStampAsync(user);
            // This session goes on: a cookie with the new stamp and the original sign-in time, so the
            // absolute session lifetime still counts from the sign-in.
            var signedInAt = http.HttpContext?.User.FindFirst(SignInThrottle.SignedInAtClaim)?.Value;
            await signIn.SignInWithClaimsAsync(user, isPersistent: false,
                signedInAt is null ? [] : [new Claim(SignInThrottle.SignedInAtClaim, signedInAt)]);
            return new AccountView(user.UserName ?? string.Empty, user.DisplayName, Posts(principal), MustChangePassword: false);
        }

        private static List<PostView> Posts(CurrentUser.Principal principal) =>
            principal.Posts.Select(p => new PostView(p.Role, new UnitRef(p.Unit.Code, p.Unit.Name))).ToList();
    }

    public static async Task<Ok<AccountView>> ChangePasswordEndpoint(PasswordRequest? r, Handler h, CancellationToken ct) =>
        TypedResults.Ok(await h.ChangePasswordAsync(r ?? new PasswordRequest(null, null), ct));
}
