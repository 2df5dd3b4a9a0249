namespace Taizhang.Domain.Cases;

/// <summary>Who performed an action. Recorded on every event.</summary>
public sealed record Actor(ActorKind Kind, string Id, string Name)
{
    public static readonly Actor System = new(ActorKind.System, "system", "system");
}
