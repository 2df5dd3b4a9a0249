namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The closed set of expected failures. Each becomes one problem+json shape in
/// <see cref="ProblemExceptionHandler"/>; anything else is a bug and a 500.
/// </summary>
public abstract class ProblemException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

/// <summary>Bad input: 400 with per-field errors (field name → messages).</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ProblemException("validation", "The request has invalid fields.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>404: the thing does not exist or is not visible to the caller.</summary>
public sealed class NotFoundException(string what) : ProblemException("not-found", $"{what} was not found.")
{
    public string What { get; } = what;
}

/// <summary>403: the thing is visible but the caller's posts do not allow this.</summary>
public sealed class ForbiddenException() : ProblemException("forbidden", "Not allowed.");

/// <summary>401: the session is no longer valid (signed out elsewhere, password reset, account disabled).</summary>
public sealed class UnauthorizedException() : ProblemException("unauthorized", "Not signed in.");

/// <summary>
/// 401: a sign-in was refused. One answer for an unknown name, a wrong password, a disabled account
/// and an account throttled after failed sign-ins, so that it never tells which names exist. The
/// message says how long repeated failures make one wait (<see cref="WaitMinutes"/>), for everyone.
/// </summary>
public sealed class SignInFailedException(int waitMinutes) : ProblemException("sign-in-failed", "Sign-in failed.")
{
    public int WaitMinutes { get; } = waitMinutes;
}

/// <summary>429: too many failed sign-ins from the caller's address; <see cref="RetryAfter"/> says for how long.</summary>
public sealed class TooManySignInsException(TimeSpan retryAfter) : ProblemException("too-many-requests", "Too many failed sign-ins from this address.")
{
    public TimeSpan RetryAfter { get; } = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter;

    /// <summary>Whole minutes to wait, at least one: what the message says.</summary>
    public int Minutes => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalMinutes));
}

/// <summary>
/// 403: the person's password is one someone else knows (generated, set by an administrator):
/// until they set their own, the API answers this to everything but changing it and the session.
/// </summary>
public sealed class PasswordChangeRequiredException() : ProblemException("password-change-required", "Change your password first.");

/// <summary>409: someone else changed the same thing first; read it again and retry.</summary>
public sealed class ConcurrentChangeException(Exception? inner = null)
    : ProblemException("concurrent-change", "Changed by someone else meanwhile.", inner);

/// <summary>503: the service cannot take the request now (the intake writer is stopping, the database is unreachable); retry.</summary>
public sealed class UnavailableException(Exception? inner = null) : ProblemException("unavailable", "Not accepting requests now.", inner);

/// <summary>429: the caller did this too often just now; the limit is per person or per address.</summary>
public sealed class TooManyRequestsException() : ProblemException("too-many-requests", "Too many requests.");

/// <summary>Collects field errors; throws them all at once so a caller fixes everything in one go.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new RequestValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}

public static class ProblemTypes
{
    public const string Prefix = "urn:taizhang:problem:";
    public const string Validation = Prefix + "validation";
    public const string IllegalTransition = Prefix + "illegal-transition";
    public const string BusinessRule = Prefix + "business-rule";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "concurrent-change";
    public const string BadRequest = Prefix + "bad-request";
    public const string Unavailable = Prefix + "unavailable";
    public const string Forbidden = Prefix + "forbidden";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Antiforgery = Prefix + "antiforgery";
    public const string Internal = Prefix + "internal";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string TooManyRequests = Prefix + "too-many-requests";
    public const string RequestFailed = Prefix + "request-failed";
    public const string PasswordChangeRequired = Prefix + "password-change-required";
}
