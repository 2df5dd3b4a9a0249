using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Accounts;

/// <summary>
/// Scope rules: which cases a principal's posts reach, and whether one of those posts allows an
/// action on a case. Out of scope is answered 404 (a case you may not see does not exist for
/// you); in scope without the permission is 403.
/// </summary>
/// <remarks>
/// A unit that took part in a case (<see cref="CaseParticipant"/>: a partner unit at a mediation
/// session) keeps reading it after it moved on: when <paramref name="participants"/> is given, a
/// post reached by what is assigned to it also reads the cases its units took part in (reading only).
/// </remarks>
public sealed class CaseAccess(CurrentUser.Principal principal, OrgDirectory.Snapshot units, IQueryable<CaseParticipant>? participants = null)
{
    public CurrentUser.Principal Principal { get; } = principal;

    // Worked out when first asked, per permission (registering a case never asks): at a county post
    // these are a thousand units, and building them on every request was a tenth of intake's cost.
    private readonly Dictionary<Permission, Reach> _reach = [];

    /// <summary>The units a permission reaches through the principal's posts, by how a case is reached.</summary>
    /// <param name="Area">Units whose cases are reached by where the case was registered.</param>
    /// <param name="Assigned">Units whose cases are reached by who handles the case.</param>
    public sealed record Reach(long[] Area, long[] Assigned);

    public Reach ReachOf(Permission permission)
    {
        if (!_reach.TryGetValue(permission, out var reach))
        {
            _reach[permission] = reach = new Reach(UnitsOfPosts(permission, ScopeKind.Area), UnitsOfPosts(permission, ScopeKind.Assigned));
        }
        return reach;
    }

    /// <summary>Org units whose cases the principal reads (by where the case was registered).</summary>
    public long[] AreaUnitIds => ReachOf(Permission.ReadCases).Area;

    /// <summary>Units whose assigned cases the principal reads (by who handles the case).</summary>
    public long[] AssigneeUnitIds => ReachOf(Permission.ReadCases).Assigned;

    private long[] UnitsOfPosts(Permission permission, ScopeKind kind) => Principal.Posts
        .Where(p => Permissions.Allows(p.Role, permission) && Permissions.Scope(p.Role) is var s && (s == kind || s == ScopeKind.AreaOrAssigned))
        .SelectMany(p => units.SelfAndDescendants(p.Unit)).Distinct().ToArray();

    /// <summary>
    /// The units whose assigned cases are the principal's own work (the ledger's "assigned to me"):
    /// the unit of each post that handles cases (may resolve them) and, for a post reached by what is
    /// assigned to it (a village cadre, an agency), the units under it too. A town office's post is
    /// its own unit only: the villages under it handle their own.
    /// </summary>
    public long[] AssignedToMeUnitIds => _assignedToMe ??= Principal.Posts
        .Where(p => Permissions.Allows(p.Role, Permission.Resolve))
        .SelectMany(p => Permissions.Scope(p.Role) == ScopeKind.Area ? [p.Unit.Id] : units.SelfAndDescendants(p.Unit))
        .Distinct().ToArray();

    private long[]? _assignedToMe;

    /// <summary>The cases the principal may read: the scope of every list, queue and page.</summary>
    public IQueryable<Case> Visible(IQueryable<Case> cases) => Reachable(cases, Permission.ReadCases);

    /// <summary>
    /// The cases on which one of the principal's posts allows <paramref name="permission"/> (the
    /// triage queue: Triage). The same rule as <see cref="Can"/>, as a query.
    /// </summary>
    public IQueryable<Case> Reachable(IQueryable<Case> cases, Permission permission)
    {
        var reach = ReachOf(permission);
        // A post whose area holds a whole town (a town or county post) sees exactly the cases whose
        // TownId is that town: a case's town is the town of the unit it was registered at, and every
        // unit with that town lies under it. So those towns are one condition on the column every
        // case index leads with, instead of the id of every unit under them: at a county post that
        // list (a thousand ids) made every count walk all the cases.
        var wholeTowns = reach.Area.Where(id => units.UnitsById[id].Kind == Domain.Organization.OrgUnitKind.Town).ToArray();
        // The rest of the area, beyond those towns; only units that can own a case matter.
        var area = reach.Area.Where(id => units.UnitsById[id] is { CanOwnCases: true } u
            && !(u.TownId is { } t && wholeTowns.Contains(t))).ToArray();
        var assigned = reach.Assigned.Select(i => (long?)i).ToArray();
        // Reading also reaches the cases the Assigned-scope units took part in (CaseParticipants), only
        // for such posts (a town office's ledger is unchanged). "Assigned to them or taken part in" is
        // one id set, a UNION of two index lookups ((AssigneeUnitId, Status) and (UnitId, CaseId)):
        // measured on 250,000 cases (SQLite, a town of 6,259) a count stays at 2-5 ms, where an OR with
        // a correlated EXISTS walked the town's cases (16-70 ms).
        if (ParticipantUnits(permission) is { } took && participants is { } ps)
        {
            var mine = cases.Where(c => assigned.Contains(c.AssigneeUnitId)).Select(c => c.Id)
                .Union(ps.Where(p => took.Contains(p.UnitId)).Select(p => p.CaseId));
            var byParticipation = (wholeTowns.Length > 0, area.Length > 0) switch
            {
                (true, false) => cases.Where(c => wholeTowns.Contains(c.TownId) || mine.Contains(c.Id)),
                (true, true) => cases.Where(c => wholeTowns.Contains(c.TownId) || area.Contains(c.OrgUnitId) || mine.Contains(c.Id)),
                (false, _) => cases.Where(c => area.Contains(c.OrgUnitId) || mine.Contains(c.Id)),
            };
            return TownIdsOf(reach) is { } ts ? byParticipation.Where(c => ts.Contains(c.TownId)) : byParticipation;
        }
        var reachable = (wholeTowns.Length > 0, area.Length > 0, assigned.Length > 0) switch
        {
            (true, false, false) => cases.Where(c => wholeTowns.Contains(c.TownId)),
            (true, true, false) => cases.Where(c => wholeTowns.Contains(c.TownId) || area.Contains(c.OrgUnitId)),
            (true, false, true) => cases.Where(c => wholeTowns.Contains(c.TownId) || assigned.Contains(c.AssigneeUnitId)),
            (true, true, true) => cases.Where(c => wholeTowns.Contains(c.TownId) || area.Contains(c.OrgUnitId) || assigned.Contains(c.AssigneeUnitId)),
            (false, _, _) => cases.Where(c => area.Contains(c.OrgUnitId) || assigned.Contains(c.AssigneeUnitId)),
        };
        // Every case index leads with the town: name the towns so the ledger's queries can use them
        // (already done when the whole towns are all there is).
        return TownIdsOf(reach) is { } towns && (area.Length > 0 || assigned.Length > 0) ? reachable.Where(c => towns.Contains(c.TownId)) : reachable;
    }

    /// <summary>
    /// The scope of <paramref name="permission"/> as whole towns plus units beyond them, when it is reached by
    /// area only (a town, county or village post); null when any post reaches cases by what is assigned to
    /// its units (an agency, a village cadre: their scopes move with every assignment) or nothing is reached.
    /// The same split as <see cref="Reachable"/>: the county counters (<c>CaseCounters</c>) count exactly its cases.
    /// </summary>
    public (long[] WholeTowns, long[] Units)? AreaScope(Permission permission)
    {
        var reach = ReachOf(permission);
        if (reach.Assigned.Length > 0 || reach.Area.Length == 0)
        {
            return null;
        }
        var wholeTowns = reach.Area.Where(id => units.UnitsById[id].Kind == Domain.Organization.OrgUnitKind.Town).ToArray();
        var area = reach.Area.Where(id => units.UnitsById[id] is { CanOwnCases: true } u
            && !(u.TownId is { } t && wholeTowns.Contains(t))).ToArray();
        return (wholeTowns, area);
    }

    /// <summary>
    /// The towns the principal's cases can be in; null when unbounded (a county-level partner
    /// unit handles cases of any town).
    /// </summary>
    public long[]? TownIds => TownIdsOf(ReachOf(Permission.ReadCases));

    // Asked by the scope filter and again by text search: worked out once per request and reach.
    private readonly Dictionary<Reach, long[]?> _townIds = new(ReferenceEqualityComparer.Instance);

    private long[]? TownIdsOf(Reach reach)
    {
        if (!_townIds.TryGetValue(reach, out var towns))
        {
            _townIds[reach] = towns = ComputeTownIds(reach);
        }
        return towns;
    }

    private long[]? ComputeTownIds(Reach reach)
    {
        var reached = reach.Area.Concat(reach.Assigned).Select(id => units.UnitsById[id]).ToList();
        if (reached.Any(u => u.TownId is null && u.Kind == Domain.Organization.OrgUnitKind.Partner))
        {
            return null;
        }
        // A county post reaches every town under it; its descendants include those towns.
        return reached.Where(u => u.TownId is not null).Select(u => u.TownId!.Value).Distinct().ToArray();
    }

    /// <summary>The units whose participation lets the principal read a case: their Assigned reach, for reading only.</summary>
    private long[]? ParticipantUnits(Permission permission) =>
        permission == Permission.ReadCases && participants is not null && ReachOf(Permission.ReadCases).Assigned is { Length: > 0 } took ? took : null;

    /// <summary>
    /// Whether the principal reads the case: <see cref="CanSee"/>, or one of their Assigned-scope units
    /// took part in it (<see cref="CaseParticipant"/>).
    /// </summary>
    public async Task<bool> CanSeeAsync(long caseId, long orgUnitId, long? assigneeUnitId, CancellationToken ct)
    {
        if (CanSee(orgUnitId, assigneeUnitId))
        {
            return true;
        }
        return ParticipantUnits(Permission.ReadCases) is { } took && participants is { } ps
            && await ps.AnyAsync(p => p.CaseId == caseId && took.Contains(p.UnitId), ct);
    }

    public bool CanSee(long orgUnitId, long? assigneeUnitId) => Principal.Posts.Any(p => Reaches(p, Permission.ReadCases, orgUnitId, assigneeUnitId));

    public bool Can(Permission permission, long orgUnitId, long? assigneeUnitId) =>
        Principal.Posts.Any(p => Reaches(p, permission, orgUnitId, assigneeUnitId));

    /// <summary>
    /// Whether a post allows <paramref name="action"/> on a case of this unit and responsible unit. The
    /// responsible unit's own requests (延期, 挂起) and its contact with the reporter need a post that covers
    /// that unit, or the area's office (an Area-scoped post): a village cadre reads the cases registered in
    /// the village, but does not ask for time on one another unit handles (nor block that unit's own request).
    /// </summary>
    public bool CanDo(CaseAction action, long orgUnitId, long? assigneeUnitId) =>
        action is CaseAction.RequestExtension or CaseAction.RequestSuspension or CaseAction.Contact
            ? Principal.Posts.Any(p => Reaches(p, Permissions.For(action), orgUnitId, assigneeUnitId)
                && (Permissions.Scope(p.Role) == ScopeKind.Area || Covers(p, assigneeUnitId)))
            : Can(Permissions.For(action), orgUnitId, assigneeUnitId);

    private bool Covers(Post post, long? unitId) => unitId is { } v && units.UnitsById.TryGetValue(v, out var u)
        && u.Path.StartsWith(post.Unit.Path, StringComparison.Ordinal);

    /// <summary>Whether any post allows the permission at all, whatever the case.</summary>
    public bool HasAnywhere(Permission permission) => Principal.Posts.Any(p => Permissions.Allows(p.Role, permission));

    /// <summary>
    /// Whether a post lets its holder add attachments to a case in this state that they registered
    /// themselves (<see cref="Permissions.RegistrarMayAttach"/>); the caller checks who registered it.
    /// </summary>
    public bool MayAttachAsRegistrar(CaseStatus status) => Principal.Posts.Any(p => Permissions.RegistrarMayAttach(p.Role, status));

    /// <summary>Whether the principal is the actor an event names (a person, or an integration).</summary>
    public bool IsActor(ActorKind kind, string id) => Principal.Actor.Kind == kind && Principal.Actor.Id == id;

    /// <summary>Register a case against <paramref name="unit"/>: a post with Register whose area covers it.</summary>
    public bool CanRegisterAt(UnitInfo unit) => Principal.Posts.Any(p =>
        Permissions.Allows(p.Role, Permission.Register)
        && Permissions.Scope(p.Role) is ScopeKind.Area or ScopeKind.AreaOrAssigned
        && unit.Path.StartsWith(p.Unit.Path, StringComparison.Ordinal));

    private bool Reaches(Post post, Permission permission, long orgUnitId, long? assigneeUnitId)
    {
        if (!Permissions.Allows(post.Role, permission))
        {
            return false;
        }
        bool Under(long? id) => id is { } v && units.UnitsById.TryGetValue(v, out var u)
            && u.Path.StartsWith(post.Unit.Path, StringComparison.Ordinal);
        return Permissions.Scope(post.Role) switch
        {
            ScopeKind.Area => Under(orgUnitId),
            ScopeKind.AreaOrAssigned => Under(orgUnitId) || Under(assigneeUnitId),
            ScopeKind.Assigned => Under(assigneeUnitId),
        };
    }
}
