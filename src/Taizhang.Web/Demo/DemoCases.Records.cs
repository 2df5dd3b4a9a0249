// The demo year's meeting records (issue 15): the bodies that sit (the town's 议事会 of 25, a village's
// representatives), guests, attendance (one deliberation without quorum), the agenda of the topics each
// meeting deliberated with their outcomes (the same as the topics' DeliberationOutcome events), confirmed
// and published minutes, and a few outcome measures. Drawn from a Random of its own, so the rest of the
// demo year (which draws from _rng) is exactly what it was without them.
using System.Globalization;
using System.Text;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>What a meeting did with one topic: the agenda item and the topic's outcome event say the same.</summary>
    private sealed record AgendaEntry(Plan Plan, AgendaOutcomeKind Kind, string Text, int? For, int? Against, int? Abstain);

    private Random _recordRng = new(0);
    private readonly Dictionary<Meeting, List<AgendaEntry>> _agendas = [];
    private readonly List<(Plan Plan, DateTime At, string By, Dictionary<string, int> Measures)> _caseMeasures = [];
    private readonly HashSet<string> _memberNames = [];
    private List<string> _townCouncil = [];
    private Meeting? _inquorate;

    private const int TownCouncilSize = 25;

    /// <summary>The town's 议事会: the 15 council members who raise matters, and ten more (村干部代表, 党员, 乡贤).</summary>
    private void CreateCouncil()
    {
        _townCouncil = _villages.SelectMany(v => _councilMembers.GetValueOrDefault(v.Id) ?? []).Select(m => m.Name).ToList();
        foreach (var name in _townCouncil)
        {
            _memberNames.Add(name);
        }
        while (_townCouncil.Count < TownCouncilSize)
        {
            _townCouncil.Add(MemberName());
        }
    }

    private string MemberName()
    {
        for (var i = 0; ; i++)
        {
            var given = _recordRng.NextDouble() < 0.55 ? R(DemoTexts.GivenMale) : R(DemoTexts.GivenFemale);
            var name = R(DemoTexts.Surnames) + given;
            if ((!_names.Contains(name) && _memberNames.Add(name)) || i > 30)
            {
                return name;
            }
        }
    }

    private T R<T>(IReadOnlyList<T> items) => items[_recordRng.Next(items.Count)];

    /// <summary>
    /// A meeting with its body and guests, held: the town's deliberations seat the 25-member council (the
    /// second of the year misses its quorum), forums a village's representatives or a dozen council members,
    /// concentrated handling the town's officials and partner units.
    /// </summary>
    private Meeting NewMeeting(OrgUnit unit, MeetingKind kind, string title, DateTime at)
    {
        var village = unit.Kind is OrgUnitKind.Village or OrgUnitKind.Community;
        var place = village ? unit.Name + "村委会议室" : "三岔镇政府三楼会议室";
        // The body that sits: the town's 议事会 at its deliberations, a village's representatives at its forums.
        var body = kind switch
        {
            MeetingKind.Deliberation => _bodies[(unit.Id, BodyKind.DeliberationCouncil)],
            MeetingKind.Forum when village => _bodies[(unit.Id, BodyKind.RepresentativesAssembly)],
            _ => null,
        };
        var members = body is not null ? body.ActiveMembers.Select(b => b.Name).ToList() : kind switch
        {
            MeetingKind.Forum => _townCouncil.Take(12).ToList(),
            _ => [],
        };
        var host = kind == MeetingKind.Forum && village ? unit.Name + "党支部书记" : "镇党委副书记";
        var m = body is not null
            ? Meeting.Plan(_town.Id, unit.Id, kind, title, at, place, host, body, DemoCatalogue.Council.Name, at.AddDays(-7))
            : Meeting.Plan(_town.Id, unit.Id, kind, title, at, place, host, null, 0, null, DemoCatalogue.Council.Name, at.AddDays(-7));
        var plannedAt = at.AddDays(-6);
        if (body is null)
        {
            foreach (var name in members)
            {
                m.AddParticipant(ParticipantRole.Member, name, "议事会成员", null, null, plannedAt);
            }
        }
        m.AddParticipant(ParticipantRole.TownOfficial, MemberName(), "镇党委副书记", null, null, plannedAt);
        if (kind is MeetingKind.Deliberation or MeetingKind.ConcentratedHandling)
        {
            m.AddParticipant(ParticipantRole.TownOfficial, MemberName(), "副镇长", null, null, plannedAt);
            m.AddParticipant(ParticipantRole.PartnerUnit, MemberName(), "司法所所长", _units["SCH-SFS"].Id, null, plannedAt);
            m.AddParticipant(ParticipantRole.PartnerUnit, MemberName(), "派出所副所长", _units["SCH-PCS"].Id, null, plannedAt);
        }
        if (kind == MeetingKind.ConcentratedHandling)
        {
            m.AddParticipant(ParticipantRole.TownOfficial, MemberName(), "镇综治办主任", null, null, plannedAt);
            m.AddParticipant(ParticipantRole.TownOfficial, MemberName(), "镇农业服务中心主任", null, null, plannedAt);
        }
        // 实到: most members come; the year's second town deliberation falls short of its quorum (more than half).
        var memberCount = members.Count;
        var inquorate = kind == MeetingKind.Deliberation && _inquorate is null
            && _meetings.Count(x => x.Kind == MeetingKind.Deliberation) == 1;
        var present = memberCount == 0 ? 0
            : inquorate ? memberCount / 2 - 1
            : memberCount - _recordRng.Next(0, Math.Max(1, memberCount / 5));
        var absent = Enumerable.Range(1, memberCount).OrderBy(_ => _recordRng.Next()).Take(memberCount - present).ToHashSet();
        var presentSeqs = m.Participants.Where(p => p.Role != ParticipantRole.Member || !absent.Contains(p.Seq)).Select(p => p.Seq).ToList();
        m.Hold(presentSeqs, null, null, at, at.AddHours(3));
        if (inquorate)
        {
            _inquorate = m;
        }
        _agendas[m] = [];
        return m;
    }

    /// <summary>The topic goes on the meeting's agenda with the outcome the meeting gives it; the case's outcome event says the same.</summary>
    private void PlanAgendaItem(Plan p, Meeting meeting, DateTime at)
    {
        var opinion = "会议议定：" + Render(p.Template!.Plan!, p);
        var items = _agendas[meeting];
        AgendaEntry entry;
        if (meeting.Kind == MeetingKind.Deliberation && meeting.Quorate)
        {
            var present = meeting.Present;
            var against = _recordRng.Next(0, 3);
            var abstain = _recordRng.Next(0, 3);
            entry = new AgendaEntry(p, AgendaOutcomeKind.Vote, opinion, present - against - abstain, against, abstain);
        }
        else if (meeting.Kind == MeetingKind.Deliberation)
        {
            entry = new AgendaEntry(p, AgendaOutcomeKind.ReportedToTown, "到会成员未过半数，不作表决；与会成员意见报镇上研究：" + Render(p.Template!.Plan!, p),
                null, null, null);
        }
        else
        {
            entry = new AgendaEntry(p, AgendaOutcomeKind.Opinion, opinion, null, null, null);
        }
        items.Add(entry);
        var item = items.Count;
        var kind = (DeliberationOutcomeKind)Enum.Parse(typeof(DeliberationOutcomeKind), entry.Kind.ToString());
        var vote = entry.Kind == AgendaOutcomeKind.Vote ? MeetingRules.Count(meeting.Kind, meeting.Expected, meeting.Present, entry.For!.Value,
            entry.Against!.Value, entry.Abstain!.Value) : null;
        var meetingRef = meeting;
        p.Add(at.AddMinutes(5), (c, when) => c.RecordDeliberationOutcome(meetingRef.Id, item, kind, entry.Text,
            entry.For, entry.Against, entry.Abstain, vote?.Valid, vote?.Passed, DemoCatalogue.Council, when));
    }

    /// <summary>成效 of a topic that was carried out: what its category achieved, recorded by whoever resolved it.</summary>
    private void PlanMeasures(Plan p, DateTime resolvedAt, string by)
    {
        var measures = new Dictionary<string, int>(StringComparer.Ordinal);
        switch (p.CategoryCode)
        {
            case "employment":
                measures["jobs"] = 5 + _recordRng.Next(36);
                break;
            case "environment":
                measures["clean-ups"] = 1 + _recordRng.Next(3);
                break;
            default:
                measures["practical-matters"] = 1;
                break;
        }
        if (p.CategoryCode is "water" or "roads" or "infrastructure")
        {
            measures["households-helped"] = 20 + _recordRng.Next(100);
        }
        var at = resolvedAt.AddMinutes(30);
        _caseMeasures.Add((p, at, by, measures));
        p.Add(at, (c, when) => c.RecordMeasures(measures, new Actor(ActorKind.Development, "demo-measures", by), when));
    }

    /// <summary>After the cases are saved: each meeting's agenda and outcomes, its minutes confirmed and (for deliberations) published, and the tallies.</summary>
    private void CompleteMeetingRecords(TaizhangDb db)
    {
        foreach (var m in _meetings)
        {
            var done = m.HeldAt.AddHours(3);
            foreach (var e in _agendas.GetValueOrDefault(m) ?? [])
            {
                var item = m.AddAgendaItem(e.Plan.Case!.Id, e.Plan.Title, e.Plan.Channel == Channel.Meeting ? AgendaSource.RaisedAtMeeting : AgendaSource.Residents, done);
                m.RecordOutcome(item.Seq, e.Kind, e.Text, e.For, e.Against, e.Abstain, done);
            }
            m.SaveMinutes(Minutes(m), done);
            // The last fortnight's minutes are still a draft waiting for signatures.
            if (m.HeldAt > _end.AddDays(-14))
            {
                continue;
            }
            var signers = m.Participants.Where(x => x.Present).Select(x => x.Seq).ToList();
            m.ConfirmMinutes(m.Host ?? DemoCatalogue.Council.Name, signers, m.HeldAt.AddDays(1));
            if (m.Kind == MeetingKind.Deliberation)
            {
                m.Publish(m.HeldAt.AddDays(2));
            }
            if (m.Kind is MeetingKind.Deliberation or MeetingKind.Forum)
            {
                db.OutcomeTallies.Add(new OutcomeTally
                {
                    TownId = m.TownId, OrgUnitId = m.OrgUnitId, MeetingId = m.Id, MeasureKey = "opinions-collected",
                    Quantity = 5 + _recordRng.Next(30), RecordedAt = m.HeldAt.AddDays(1), RecordedBy = DemoCatalogue.Council.Name,
                });
            }
        }
        foreach (var (p, at, by, measures) in _caseMeasures)
        {
            foreach (var (key, quantity) in measures)
            {
                db.OutcomeTallies.Add(new OutcomeTally
                {
                    TownId = p.Case!.TownId, OrgUnitId = p.Case.OrgUnitId, CaseId = p.Case.Id, MeasureKey = key, Quantity = quantity,
                    RecordedAt = at, RecordedBy = by,
                });
            }
        }
    }

    /// <summary>会议纪要 in the office's usual form: time, place, host, attendance, and what was decided on each item.</summary>
    private string Minutes(Meeting m)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(m.HeldAt, _due.Zone);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{local:yyyy年M月d日H:mm}，{m.Title}在{m.Place}召开，由{m.Host}主持。");
        if (m.Expected > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"应到{m.Expected}人，实到{m.Present}人");
            sb.Append(m.Kind == MeetingKind.Deliberation ? (m.Quorate ? "，符合议事规则规定的人数。" : "，未过半数，会议不作表决。") : "。");
        }
        var guests = m.Participants.Where(p => p.Role is ParticipantRole.PartnerUnit or ParticipantRole.TownOfficial && p.Present).Select(p => p.Post).ToList();
        if (guests.Count > 0)
        {
            sb.Append("列席：").Append(string.Join("、", guests)).Append('。');
        }
        var items = m.Agenda;
        if (items.Count == 0)
        {
            sb.Append("会议听取了群众意见和建议，逐条登记，会后分类交办。");
        }
        else
        {
            sb.Append("会议议定如下：");
            foreach (var a in items)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{a.Seq}. {a.Title}：");
                sb.Append(a.OutcomeKind == AgendaOutcomeKind.Vote
                    ? $"表决赞成{a.VotesFor}票、反对{a.VotesAgainst}票、弃权{a.VotesAbstain}票，{(a.Passed == true ? "通过" : "未通过")}。"
                    : (a.OutcomeText ?? string.Empty) + "。");
            }
        }
        sb.Append("以上议定事项按程序公示，由责任单位抓好落实。");
        var text = sb.ToString();
        return text.Length > Meeting.MinutesMaxLength ? text[..Meeting.MinutesMaxLength] : text;
    }
}
