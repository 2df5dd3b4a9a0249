using Taizhang.Domain.Meetings;

namespace Taizhang.Domain.Tests.Meetings;

/// <summary>The meeting's record: planning with a body, attendance, outcomes and the vote rules, minutes, confirmation, amendments.</summary>
public sealed class MeetingTests
{
    private static readonly DateTime T0 = new(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

    private static Body Council(int members, long townId = 1)
    {
        var body = new Body(townId, 10, BodyKind.DeliberationCouncil, "马家村议事会", null, null, T0);
        for (var i = 1; i <= members; i++)
        {
            body.AddMember($"成员{i}", i == 1 ? "会长" : null, i == 2 ? 99 : null, T0);
        }
        return body;
    }

    private static Meeting Planned(MeetingKind kind = MeetingKind.Deliberation, int members = 5) =>
        Meeting.Plan(1, 10, kind, "议事会", T0.AddDays(1), "村委会", "马书记", Council(members), "u-1", T0);

    private static int[] Seqs(Meeting m, int count) => m.Participants.Where(p => p.Role == ParticipantRole.Member).Take(count).Select(p => p.Seq).ToArray();

    private static Meeting Held(MeetingKind kind = MeetingKind.Deliberation, int members = 5, int present = 3)
    {
        var m = Planned(kind, members);
        m.AddAgendaItem(7, "修路", AgendaSource.Residents, T0);
        m.Hold(Seqs(m, present), null, null, T0.AddDays(1), T0.AddDays(1));
        return m;
    }

    [Fact]
    public void Planning_with_a_body_copies_its_active_members_and_expects_them()
    {
        var body = Council(5);
        body.EditMember(3, "成员3", null, null, active: false, T0);
        var m = Meeting.Plan(1, 10, MeetingKind.Deliberation, "议事会", T0.AddDays(1), null, null, body, "u-1", T0);
        Assert.Equal(MeetingStatus.Planned, m.Status);
        Assert.Equal(4, m.Expected);
        Assert.Equal(4, m.Participants.Count(p => p.Role == ParticipantRole.Member));
        Assert.DoesNotContain(m.Participants, p => p.Name == "成员3");
        Assert.Equal(99, m.Participants.Single(p => p.Name == "成员2").UserId);
        Assert.Equal("会长", m.Participants.Single(p => p.Name == "成员1").Post);
    }

    [Fact]
    public void A_villagers_assembly_expects_the_adult_villagers_and_knows_the_households()
    {
        var body = new Body(1, 10, BodyKind.VillagersAssembly, "马家村村民会议", 800, 240, T0);
        var m = Meeting.Plan(1, 10, MeetingKind.VillagersAssembly, "村民会议", T0.AddDays(1), null, null, body, "u-1", T0);
        Assert.Equal(800, m.Expected);
        Assert.Equal(240, m.Households);
        // Households only matter to a villagers' assembly.
        var council = Meeting.Plan(1, 10, MeetingKind.Deliberation, "议事会", T0.AddDays(1), null, null, body, "u-1", T0);
        Assert.Null(council.Households);
    }

    [Fact]
    public void A_body_of_another_town_is_refused()
    {
        var e = Assert.Throws<DomainRuleException>(() =>
            Meeting.Plan(2, 10, MeetingKind.Deliberation, "议事会", T0, null, null, Council(3, townId: 1), "u-1", T0));
        Assert.Equal("meeting.body-other-town", e.Code);
        Assert.Equal("bodyId", e.Field);
    }

    [Fact]
    public void Without_a_body_the_members_listed_are_expected()
    {
        var m = Meeting.Plan(1, 10, MeetingKind.Deliberation, "议事会", T0, null, null, null, 0, null, "u-1", T0);
        m.AddParticipant(ParticipantRole.Member, "甲", null, null, null, T0);
        m.AddParticipant(ParticipantRole.Member, "乙", null, null, null, T0);
        m.AddParticipant(ParticipantRole.Resident, "丙", null, null, null, T0);
        Assert.Equal(2, m.Expected);
        m.RemoveParticipant(1, T0);
        Assert.Equal(1, m.Expected);
    }

    [Fact]
    public void A_partner_units_guest_names_the_unit()
    {
        var m = Planned();
        var e = Assert.Throws<DomainRuleException>(() => m.AddParticipant(ParticipantRole.PartnerUnit, "司法所", null, null, null, T0));
        Assert.Equal("meeting.partner-unit-required", e.Code);
    }

    [Fact]
    public void Edit_only_while_planned()
    {
        var m = Planned();
        m.Edit("改名", T0.AddDays(2), "新址", null, m.Expected, null, T0);
        Assert.Equal("改名", m.Title);
        m.Hold(Seqs(m, 3), null, null, T0, T0.AddDays(2));
        var e = Assert.Throws<DomainRuleException>(() => m.Edit("再改", T0, null, null, 5, null, T0.AddDays(2)));
        Assert.Equal("meeting.illegal-transition", e.Code);
        Assert.Equal("MeetingHeld", e.Args["state"]);
    }

    [Fact]
    public void Held_records_attendance_and_ratio()
    {
        var m = Held(members: 5, present: 3);
        Assert.Equal(MeetingStatus.Held, m.Status);
        Assert.Equal(3, m.Present);
        Assert.Equal(0.6m, m.AttendanceRatio);
        Assert.True(m.Quorate);
        Assert.Equal(3, m.Participants.Count(p => p.Present));
    }

    [Fact]
    public void Hold_refuses_the_future_unknown_participants_and_counts_out_of_range()
    {
        var m = Planned(members: 5);
        Assert.Equal("meeting.held-in-future", Assert.Throws<DomainRuleException>(() => m.Hold([], null, null, T0.AddDays(3), T0.AddDays(2))).Code);
        Assert.Equal("meeting.unknown-participant", Assert.Throws<DomainRuleException>(() => m.Hold([42], null, null, T0, T0.AddDays(2))).Code);
        Assert.Equal("meeting.present-below-named", Assert.Throws<DomainRuleException>(() => m.Hold(Seqs(m, 3), 2, null, T0, T0.AddDays(2))).Code);
        Assert.Equal("meeting.present-exceeds-expected", Assert.Throws<DomainRuleException>(() => m.Hold([], 6, null, T0, T0.AddDays(2))).Code);
        Assert.Equal(MeetingStatus.Planned, m.Status);
    }

    [Theory]
    // 议事会: more than half of the members.
    [InlineData(MeetingKind.Deliberation, 10, 5, false)]
    [InlineData(MeetingKind.Deliberation, 10, 6, true)]
    [InlineData(MeetingKind.Deliberation, 9, 5, true)]
    [InlineData(MeetingKind.Deliberation, 9, 4, false)]
    // 村民代表会议: two thirds of the members (at least).
    [InlineData(MeetingKind.RepresentativesAssembly, 30, 20, true)]
    [InlineData(MeetingKind.RepresentativesAssembly, 30, 19, false)]
    [InlineData(MeetingKind.RepresentativesAssembly, 31, 21, true)]
    [InlineData(MeetingKind.RepresentativesAssembly, 31, 20, false)]
    // 村民会议: more than half of the adult villagers.
    [InlineData(MeetingKind.VillagersAssembly, 800, 400, false)]
    [InlineData(MeetingKind.VillagersAssembly, 800, 401, true)]
    // Kinds that do not vote have no quorum.
    [InlineData(MeetingKind.Forum, 10, 10, false)]
    [InlineData(MeetingKind.ConcentratedHandling, 10, 10, false)]
    [InlineData(MeetingKind.Mediation, 10, 10, false)]
    [InlineData(MeetingKind.TrainingByMeeting, 10, 10, false)]
    public void Quorum_per_kind(MeetingKind kind, int expected, int present, bool quorate) =>
        Assert.Equal(quorate, MeetingRules.IsQuorate(kind, expected, present));

    [Theory]
    [InlineData(240, 160, true)]
    [InlineData(240, 159, false)]
    public void A_villagers_assembly_is_also_quorate_with_two_thirds_of_the_households(int households, int present, bool quorate) =>
        Assert.Equal(quorate, MeetingRules.IsQuorate(MeetingKind.VillagersAssembly, 800, 100, households, present));

    [Fact]
    public void Nothing_expected_is_never_quorate() =>
        Assert.False(MeetingRules.IsQuorate(MeetingKind.Deliberation, 0, 0));

    [Theory]
    // More than half of those present.
    [InlineData(6, 3, 2, 1, false)]
    [InlineData(6, 4, 1, 1, true)]
    [InlineData(7, 4, 3, 0, true)]
    [InlineData(7, 3, 0, 0, false)]
    public void Majority_is_more_than_half_of_those_present(int present, int votesFor, int against, int abstain, bool passed)
    {
        var r = MeetingRules.Count(MeetingKind.Deliberation, 10, present, votesFor, against, abstain);
        Assert.True(r.Valid);
        Assert.Equal(passed, r.Passed);
    }

    [Fact]
    public void A_vote_without_quorum_is_recorded_as_not_valid_and_not_passed()
    {
        var m = Held(members: 5, present: 2);
        Assert.False(m.Quorate);
        var item = m.RecordOutcome(1, AgendaOutcomeKind.Vote, "同意修路", 2, 0, 0, T0.AddDays(1));
        Assert.Equal(AgendaOutcomeKind.Vote, item.OutcomeKind);
        Assert.False(item.VoteValid);
        Assert.False(item.Passed);
        Assert.Equal(2, item.VotesFor);
    }

    [Fact]
    public void A_vote_is_counted_by_the_rule()
    {
        var m = Held(members: 5, present: 3);
        var item = m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, 2, 1, 0, T0.AddDays(1));
        Assert.True(item.VoteValid);
        Assert.True(item.Passed);
        item = m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, 1, 1, 1, T0.AddDays(1));
        Assert.False(item.Passed);
    }

    [Fact]
    public void More_ballots_than_members_present_are_refused_and_change_nothing()
    {
        var m = Held(members: 5, present: 3);
        var version = m.Version;
        var e = Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, 3, 1, 0, T0.AddDays(1)));
        Assert.Equal("meeting.vote-exceeds-present", e.Code);
        Assert.Equal("vote", e.Field);
        Assert.Null(m.Agenda[0].OutcomeKind);
        Assert.Equal(version, m.Version);
    }

    [Fact]
    public void A_forum_does_not_vote()
    {
        var m = Held(MeetingKind.Forum);
        var e = Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, 1, 0, 0, T0.AddDays(1)));
        Assert.Equal("meeting.no-vote", e.Code);
        Assert.Null(m.Agenda[0].OutcomeKind);
        // It forms an opinion.
        Assert.Equal(AgendaOutcomeKind.Opinion, m.RecordOutcome(1, AgendaOutcomeKind.Opinion, "大家同意", null, null, null, T0.AddDays(1)).OutcomeKind);
    }

    [Fact]
    public void Outcome_refusals()
    {
        var m = Held();
        Assert.Equal("meeting.vote-incomplete", Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, 1, null, 0, T0)).Code);
        Assert.Equal("meeting.vote-negative", Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Vote, null, -1, 0, 0, T0)).Code);
        Assert.Equal("meeting.vote-without-vote", Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Opinion, "x", 1, 0, 0, T0)).Code);
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => m.RecordOutcome(1, AgendaOutcomeKind.Opinion, " ", null, null, null, T0)).Code);
        Assert.Equal("meeting.unknown-item", Assert.Throws<DomainRuleException>(() => m.RecordOutcome(9, AgendaOutcomeKind.Deferred, null, null, null, null, T0)).Code);
        // Before the meeting is held there is no outcome.
        var planned = Planned();
        planned.AddAgendaItem(null, "事项", AgendaSource.Cadres, T0);
        Assert.Equal("meeting.illegal-transition",
            Assert.Throws<DomainRuleException>(() => planned.RecordOutcome(1, AgendaOutcomeKind.Deferred, null, null, null, null, T0)).Code);
    }

    [Fact]
    public void The_same_case_goes_on_an_agenda_once_and_a_decided_item_stays()
    {
        var m = Held();
        Assert.Equal("meeting.agenda-duplicate", Assert.Throws<DomainRuleException>(() => m.AddAgendaItem(7, "again", AgendaSource.Residents, T0)).Code);
        m.RecordOutcome(1, AgendaOutcomeKind.ReportedToTown, null, null, null, null, T0);
        Assert.Equal("meeting.agenda-decided", Assert.Throws<DomainRuleException>(() => m.RemoveAgendaItem(1, T0)).Code);
    }

    [Fact]
    public void Minutes_draft_confirm_with_signatures_amend_and_publish()
    {
        var m = Held(members: 5, present: 3);
        m.RecordOutcome(1, AgendaOutcomeKind.Opinion, "同意", null, null, null, T0.AddDays(1));
        Assert.Equal("meeting.minutes-empty", Assert.Throws<DomainRuleException>(() => m.ConfirmMinutes("马书记", [], T0.AddDays(1))).Code);
        m.SaveMinutes("  会议记录：同意修路。 ", T0.AddDays(1));
        Assert.Equal("会议记录：同意修路。", m.Minutes);
        var present = Seqs(m, 3);
        m.ConfirmMinutes("马书记", present[..2], T0.AddDays(1));
        Assert.Equal(MeetingStatus.MinutesConfirmed, m.Status);
        Assert.Equal("马书记", m.MinutesConfirmedBy);
        Assert.Equal(2, m.Participants.Count(p => p.SignedAt is not null));

        var e = Assert.Throws<DomainRuleException>(() => m.SaveMinutes("改了", T0.AddDays(2)));
        Assert.Equal("meeting.minutes-confirmed", e.Code);
        Assert.Equal("minutes", e.Field);
        Assert.Equal("会议记录：同意修路。", m.Minutes);

        var a = m.AmendMinutes("会议记录：同意修路，年底前完工。", "补记完工时间", "马书记", T0.AddDays(2));
        Assert.Equal("会议记录：同意修路。", a.Before);
        Assert.Equal("会议记录：同意修路，年底前完工。", a.After);
        Assert.Equal("补记完工时间", a.Reason);
        Assert.Equal(a.After, m.Minutes);
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => m.AmendMinutes("x", " ", "马书记", T0.AddDays(2))).Code);

        m.Publish(T0.AddDays(3));
        Assert.Equal(MeetingStatus.Published, m.Status);
        Assert.Equal(T0.AddDays(3), m.PublishedAt);
        // Published minutes are still amended only by record.
        var second = m.AmendMinutes("第三版", "更正", "马书记", T0.AddDays(4));
        Assert.Equal(2, second.Seq);
        Assert.Equal(a.After, second.Before);
        Assert.Equal("meeting.illegal-transition", Assert.Throws<DomainRuleException>(() => m.Publish(T0.AddDays(4))).Code);
    }

    [Fact]
    public void An_absent_participant_cannot_sign_and_open_items_block_confirmation()
    {
        var m = Held(members: 5, present: 3);
        m.SaveMinutes("记录", T0.AddDays(1));
        Assert.Equal("meeting.agenda-open", Assert.Throws<DomainRuleException>(() => m.ConfirmMinutes("马书记", [], T0.AddDays(1))).Code);
        m.RecordOutcome(1, AgendaOutcomeKind.Deferred, null, null, null, null, T0.AddDays(1));
        var absent = m.Participants.First(p => !p.Present).Seq;
        var e = Assert.Throws<DomainRuleException>(() => m.ConfirmMinutes("马书记", [absent], T0.AddDays(1)));
        Assert.Equal("meeting.signer-absent", e.Code);
        Assert.Equal("signed", e.Field);
        Assert.Equal(MeetingStatus.Held, m.Status);
        Assert.All(m.Participants, p => Assert.Null(p.SignedAt));
    }

    [Fact]
    public void Cancel_only_a_planned_meeting_with_a_reason()
    {
        var m = Planned();
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => m.Cancel(" ", T0)).Code);
        m.Cancel("村里有事", T0);
        Assert.Equal(MeetingStatus.Cancelled, m.Status);
        Assert.Equal("meeting.illegal-transition", Assert.Throws<DomainRuleException>(() => m.Hold([], null, null, T0, T0)).Code);
        Assert.Equal("meeting.illegal-transition", Assert.Throws<DomainRuleException>(() => Held().Cancel("x", T0)).Code);
        Assert.Equal("meeting.illegal-transition", Assert.Throws<DomainRuleException>(() => Held().Publish(T0)).Code);
    }

    [Fact]
    public void Every_change_moves_the_version()
    {
        var m = Planned();
        var v = m.Version;
        m.AddAgendaItem(null, "事项", AgendaSource.Cadres, T0);
        Assert.True(m.Version > v);
    }

    [Fact]
    public void Body_refusals()
    {
        Assert.Equal("field.required", Assert.Throws<DomainRuleException>(() => new Body(1, 10, BodyKind.TwoCommittees, " ", null, null, T0)).Code);
        Assert.Equal("meeting.expected-negative", Assert.Throws<DomainRuleException>(() => new Body(1, 10, BodyKind.VillagersAssembly, "x", -1, null, T0)).Code);
        var body = Council(2);
        Assert.Equal("meeting.unknown-member", Assert.Throws<DomainRuleException>(() => body.EditMember(9, "x", null, null, true, T0)).Code);
        Assert.Equal(2, body.ExpectedFor(MeetingKind.VillagersAssembly));
    }
}
