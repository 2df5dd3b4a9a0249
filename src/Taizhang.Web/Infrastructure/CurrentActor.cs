using Taizhang.Domain.Cases;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Who is making the request. Until accounts exist (the next piece of work) this is the
/// name the caller puts in the development header <see cref="HeaderName"/>; the API is
/// unauthenticated and the README says so.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http)
{
    public const string HeaderName = "X-Taizhang-Dev-Actor";
    public const string Anonymous = "anonymous";

    public Actor Actor
    {
        get
        {
            // Percent-encoded, so that Chinese names survive HTTP headers ("%E9%95%87…").
            var value = http.HttpContext?.Request.Headers[HeaderName].ToString();
            var name = string.IsNullOrWhiteSpace(value) ? Anonymous : Uri.UnescapeDataString(value.Trim());
            if (name.Length > 64)
            {
                name = name[..64];
            }
            return new Actor(ActorKind.Development, "dev:" + name, name);
        }
    }
}
