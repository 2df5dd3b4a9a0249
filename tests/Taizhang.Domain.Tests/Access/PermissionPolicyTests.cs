using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Access;

/// <summary>
/// The permission policy written out by hand, as the product decided it (README "Access"). The
/// permission-matrix tests read the app's own table, so they prove the wiring; this proves the
/// table itself: a permission added to or taken from a role has to be changed here too, on purpose.
/// </summary>
public sealed class PermissionPolicyTests
{
    private static readonly Permission[] Handling =
        [
            Permission.ReadCases, Permission.Start, Permission.Return, Permission.Resolve, Permission.AddReporter, Permission.RevealPersonalData,
            Permission.AddAttachment, Permission.ReportProgress, Permission.Mediate, Permission.RequestDeadlineChange, Permission.Contact,
        ];

    public static TheoryData<Role, ScopeKind, Permission[]> Policy() => new()
    {
        { Role.Administrator, ScopeKind.Area, [Permission.ReadCases, Permission.Administer] },
        {
            Role.TownStaff, ScopeKind.Area,
            [
                Permission.ReadCases, Permission.Register, Permission.Triage, Permission.Assign, Permission.Start, Permission.Return,
                Permission.Transfer, Permission.Resolve, Permission.FollowUp, Permission.Reopen, Permission.Reject, Permission.Merge,
                Permission.Deliberate, Permission.Plan, Permission.AddReporter, Permission.RevealPersonalData, Permission.LookUpCallers,
                Permission.AddAttachment, Permission.Import, Permission.RunMeetings, Permission.ReportProgress, Permission.Mediate,
                Permission.Disclose, Permission.RequestDeadlineChange, Permission.DecideDeadlineChange, Permission.Remind, Permission.Contact,
            ]
        },
        { Role.VillageCadre, ScopeKind.AreaOrAssigned, [.. Handling, Permission.Register, Permission.FollowUp, Permission.Deliberate, Permission.Plan, Permission.RunMeetings, Permission.Disclose] },
        { Role.AgencyHandler, ScopeKind.Assigned, Handling },
        // Operators take calls: they look up callers, and nobody else outside the town office does.
        { Role.Operator, ScopeKind.Area, [Permission.ReadCases, Permission.Register, Permission.LookUpCallers] },
        { Role.Leader, ScopeKind.Area, [Permission.ReadCases, Permission.Reopen, Permission.DecideDeadlineChange, Permission.Remind, Permission.Supervise] },
        { Role.Member, ScopeKind.Area, [Permission.ReadCases, Permission.Register] },
    };

    [Theory]
    [MemberData(nameof(Policy))]
    public void Each_role_may_exactly_what_the_policy_says(Role role, ScopeKind scope, Permission[] may)
    {
        Assert.Equal(scope, Permissions.Scope(role));
        Assert.Equal(may.Order(), Permissions.Of(role).Order());
    }

    [Fact]
    public void Only_the_town_office_imports_batches()
    {
        // A sheet of hundreds of forwarded matters is the dispatching office's work: not a village's, an
        // operator's or a member's, who register one matter at a time.
        Assert.Equal([Role.TownStaff], Enum.GetValues<Role>().Where(r => Permissions.Allows(r, Permission.Import)));
    }

    [Fact]
    public void The_policy_names_every_role() =>
        Assert.Equal(Enum.GetValues<Role>().Order(), Policy().Select(row => (Role)row[0]).Order());

    [Fact]
    public void Whoever_may_add_a_reporter_may_reveal_the_reporters()
    {
        // Adding the same name and number again is answered as a repeat: an answer about the number.
        foreach (var role in Enum.GetValues<Role>().Where(r => Permissions.Allows(r, Permission.AddReporter)))
        {
            Assert.True(Permissions.Allows(role, Permission.RevealPersonalData), role.ToString());
        }
    }

    [Fact]
    public void Whoever_may_resolve_may_add_evidence()
    {
        // 办结佐证 goes with the resolution in one submit: a resolver who could not attach would be refused half-way.
        foreach (var role in Enum.GetValues<Role>().Where(r => Permissions.Allows(r, Permission.Resolve)))
        {
            Assert.True(Permissions.Allows(role, Permission.AddAttachment), role.ToString());
        }
    }

    /// <summary>
    /// Attachments beyond the table: whoever registered a case may add to it while it waits for
    /// triage (the desk's photo, the platform's file) — operators, members and integrations too —
    /// and never after, and never in a role that registers nothing.
    /// </summary>
    [Theory]
    [InlineData(Role.Operator, CaseStatus.Registered, true)]
    [InlineData(Role.Member, CaseStatus.Registered, true)]
    [InlineData(Role.VillageCadre, CaseStatus.Registered, true)]
    [InlineData(Role.Operator, CaseStatus.Triaged, false)]
    [InlineData(Role.Member, CaseStatus.Assigned, false)]
    [InlineData(Role.Operator, CaseStatus.Returned, false)]
    [InlineData(Role.Leader, CaseStatus.Registered, false)]
    [InlineData(Role.AgencyHandler, CaseStatus.Registered, false)]
    [InlineData(Role.Administrator, CaseStatus.Registered, false)]
    public void The_registrar_may_attach_only_while_the_case_waits_for_triage(Role role, CaseStatus status, bool may) =>
        Assert.Equal(may, Permissions.RegistrarMayAttach(role, status));

    [Fact]
    public void Only_administrators_administer_and_they_handle_no_case()
    {
        Assert.Equal([Role.Administrator], Enum.GetValues<Role>().Where(r => Permissions.Allows(r, Permission.Administer)));
        // 督办 and a second extension or suspension are a leader's, not the office's.
        Assert.Equal([Role.Leader], Enum.GetValues<Role>().Where(r => Permissions.Allows(r, Permission.Supervise)));
        Assert.Equal([Permission.ReadCases, Permission.Administer], Permissions.Of(Role.Administrator).Order());
    }
}
