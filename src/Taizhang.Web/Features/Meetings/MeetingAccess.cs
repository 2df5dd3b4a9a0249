using Taizhang.Domain.Access;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Meetings;

/// <summary>
/// Who sees a meeting and who runs it, in one place. Sees: a post whose area (ReadCases) holds the
/// meeting's unit; a partner unit invited (a PartnerUnit participant whose unit the post is assigned
/// cases for); a person listed as a participant (a member with an account). Runs: a post with
/// RunMeetings whose area holds the meeting's unit (a village cadre their village's, the town office
/// the town's). Out of sight is 404, in sight without the right 403.
/// </summary>
public sealed class MeetingAccess(CaseAccess access, OrgDirectory.Snapshot units)
{
    public CaseAccess Cases { get; } = access;

    private long[] Area => Cases.ReachOf(Permission.ReadCases).Area;

    /// <summary>Partner units whose invitations the principal reads: the units they handle cases for.</summary>
    private long[] Invited => Cases.ReachOf(Permission.ReadCases).Assigned;

    private long? UserId => Cases.Principal.UserId;

    /// <summary>The meetings the principal sees, as a query (every list).</summary>
    public IQueryable<Meeting> Visible(IQueryable<Meeting> meetings, IQueryable<MeetingParticipant> participants)
    {
        var area = Area;
        // A whole town in the area is one condition on the town column rather than every unit under it.
        var towns = area.Where(id => units.UnitsById[id].Kind == OrgUnitKind.Town).ToArray();
        var rest = area.Where(id => !(units.UnitsById[id].TownId is { } t && towns.Contains(t))).ToArray();
        var invited = Invited.Select(i => (long?)i).ToArray();
        var userId = UserId;
        if (invited.Length == 0 && userId is null)
        {
            return meetings.Where(m => towns.Contains(m.TownId) || rest.Contains(m.OrgUnitId));
        }
        // The meetings a person sits on or their unit was invited to, as one uncorrelated id list (two index
        // lookups): a correlated EXISTS per meeting made a town's list walk all 50,000 meetings (46 ms).
        var seated = participants.Where(p => (p.Role == ParticipantRole.PartnerUnit && invited.Contains(p.UnitId))
            || (userId != null && p.UserId == userId)).Select(p => p.MeetingId);
        return meetings.Where(m => towns.Contains(m.TownId) || rest.Contains(m.OrgUnitId) || seated.Contains(m.Id));
    }

    /// <summary>Whether the principal sees this meeting (its participants loaded).</summary>
    public bool CanSee(Meeting meeting) => CanSee(meeting.OrgUnitId, meeting.Participants);

    public bool CanSee(long orgUnitId, IEnumerable<MeetingParticipant> participants)
    {
        if (Area.Contains(orgUnitId))
        {
            return true;
        }
        var invited = Invited;
        var userId = UserId;
        return participants.Any(p => (p.Role == ParticipantRole.PartnerUnit && p.UnitId is { } u && invited.Contains(u))
            || (userId is not null && p.UserId == userId));
    }

    /// <summary>Whether the principal runs meetings of <paramref name="orgUnitId"/> (plans, records, confirms them).</summary>
    public bool CanRun(long orgUnitId) => Cases.ReachOf(Permission.RunMeetings).Area.Contains(orgUnitId);

    /// <summary>The units whose meetings the principal runs.</summary>
    public long[] RunArea => Cases.ReachOf(Permission.RunMeetings).Area;

    /// <summary>404 when out of sight, 403 when seen but not run by the principal.</summary>
    public void EnsureRun(Meeting meeting)
    {
        if (!CanSee(meeting))
        {
            throw new NotFoundException("meeting");
        }
        if (!CanRun(meeting.OrgUnitId))
        {
            throw new ForbiddenException();
        }
    }
}

/// <summary>Builds a request's <see cref="MeetingAccess"/>.</summary>
public sealed class MeetingScope(CurrentUser user, OrgDirectory org)
{
    private MeetingAccess? _access;

    public async ValueTask<MeetingAccess> GetAsync(CancellationToken ct) =>
        _access ??= new MeetingAccess(await user.AccessAsync(ct), await org.GetAsync(ct));
}
