// Stories of the demo's consultation told whole after the year (issue 15's "Done means"): what a new user
// finds to try — 马家村's ledgered topics, its 议事会's decision on the public page, a topic waiting past
// the wait period, and the judicial office's two marriage disputes. Each is saved as it goes, as the
// use cases do: a disclosure or a mediation file needs its case's id, the case's event the disclosure's.
using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Mediation;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>The cases these stories add (for the seeder's count).</summary>
    private int _storyCases;

    private async Task SeedConsultationStoriesAsync(TaizhangDb db, CancellationToken ct)
    {
        var endDay = _due.LocalDate(_end);
        var mjc = _units["SCH-MJC"];
        var staff = DemoCatalogue.IntakeStaff[0];
        var cadre = Handler(mjc);

        // 马家村's topics in the ledger, ready for the cadre's next 议事会 meeting.
        var a1 = Topic(mjc, 1, "infrastructure", "马家村二组巷道硬化及排水沟修建",
            "村民代表反映：二组主巷道约400米仍为土路，雨天泥泞，排水沟淤堵，请求硬化路面并修建排水沟。", At(endDay.AddDays(-5), 10, 20), staff);
        var a2 = Topic(mjc, 0, "water", "马家村一组灌溉渠渗漏维修",
            "一组村民反映：村东灌溉渠多处渗漏，春灌时下游农田缺水，请求统一维修，费用分担需村民商议。", At(endDay.AddDays(-3), 15, 5), staff);
        // A topic waiting in the ledger longer than the wait period (a concentrated-handling candidate).
        var b = Topic(_units["SCH-WJC"], 0, "water", "王家村饮水管网老化改造",
            "王家村自来水管网铺设于2008年，管道老化，冬季多次爆管停水，群众要求整体改造。", At(endDay.AddDays(-40), 9, 40), staff);

        // 马家村议事会 decided on street lights four days ago: the decision is on the village's public page, objections open.
        var c = Topic(mjc, 1, "infrastructure", "马家村村内主干道路灯安装",
            "群众反映：村内主干道夜间无照明，老人孩子出行不便，请求安装太阳能路灯。", At(endDay.AddDays(-14), 11, 0), staff);
        // An older decision and its implementation result, now in the archive.
        var d = Topic(mjc, 0, "environment", "马家村文化广场健身器材补充",
            "村民建议：文化广场健身器材老旧损坏，数量不足，请求补充更新并划定广场保洁责任。", At(endDay.AddDays(-80), 10, 0), staff);

        // The judicial office's marriage disputes: one settled, performed and resolved; one with a written agreement awaiting performance.
        var sfs = _units["SCH-SFS"];
        var m1 = Dispute(_units["SCH-ZJC"], "dispute-marriage", "张家村一组夫妻离婚财产分割及子女抚养纠纷",
            "当事人来所反映：夫妻双方协议离婚，因共同财产分割及孩子抚养费数额争执不下，请求司法所调解。", At(endDay.AddDays(-45), 9, 30), sfs, staff);
        var m2 = Dispute(mjc, "dispute-family", "马家村二组夫妻矛盾及老人赡养纠纷",
            "派出所转来：马家村二组一对夫妻因照顾老人及赡养费分担多次争吵，经出警劝解后仍有矛盾，请求司法所调解。", At(endDay.AddDays(-12), 14, 10), sfs, staff);

        db.Cases.AddRange(a1, a2, b, c, d, m1, m2);
        _storyCases = 7;
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);

        // The decision open for objections.
        await VillageDecisionAsync(db, c, mjc, endDay.AddDays(-4), endDay.AddDays(-2), cadre, "马家村议事会关于村内主干道路灯安装的决定",
            "经马家村议事会表决通过：在村内主干道安装太阳能路灯30盏，由村委会组织实施，所需资金申请镇上一事一议奖补，不足部分由村集体经济收益解决。", ct);

        // The archived decision, its plan with steps carried out, and the result disclosed.
        await VillageDecisionAsync(db, d, mjc, endDay.AddDays(-70), endDay.AddDays(-68), cadre, "马家村议事会关于文化广场健身器材补充的决定",
            "经马家村议事会表决通过：为文化广场补充健身器材8件、更换损坏器材3件，由村委会向镇上申请全民健身项目支持；广场保洁由一、二组轮流负责。", ct);
        var planAt = At(endDay.AddDays(-66), 10, 0);
        var steps = new List<PlanStepInput>
        {
            new("向镇上申请全民健身项目并确定器材清单", mjc.Id, endDay.AddDays(-55)),
            new("器材采购安装", _town.Id, endDay.AddDays(-45)),
            new("验收并公示办理结果", mjc.Id, endDay.AddDays(-41)),
        };
        var plan = HandlingPlan.Create(d.TownId, d.Id, "申请全民健身项目，补充更新广场健身器材，明确保洁责任。", steps, _due.LocalDate(planAt), planAt);
        db.Add(plan);
        d.Plan(plan.Summary, mjc.Id, cadre, planAt, _due, plan.LastTargetDate);
        d.Start(cadre, At(endDay.AddDays(-65), 9, 0));
        foreach (var (n, day) in new[] { (1, -56), (2, -46), (3, -41) })
        {
            var at = At(endDay.AddDays(day), 16, 0);
            var step = plan.ReportProgress(n, 100, true, "已按计划完成", at);
            d.RecordPlanProgress(step.Number, step.Title, step.Progress, step.Completed, "已按计划完成", cadre, at);
        }
        d.Resolve(Outcome.Solved, "已为文化广场补充健身器材8件、更换3件，验收合格；保洁由一、二组轮流负责。", cadre, At(endDay.AddDays(-41), 17, 0));
        var resultFrom = endDay.AddDays(-40);
        var result = Disclosure.Publish(d.TownId, mjc.Id, DisclosureKind.Result, d.Id, null, null, "马家村文化广场健身器材补充办理结果",
            "文化广场补充健身器材8件、更换损坏器材3件，已验收合格并投入使用；广场保洁由一、二组轮流负责。", resultFrom, resultFrom.AddDays(6),
            resultFrom, cadre.Name, At(resultFrom, 9, 0));
        db.Add(result);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        d.Disclose(result.Id, result.Kind, result.From, result.Until, cadre, result.PublishedAt);
        d.FollowUp(Satisfaction.Satisfied, "群众对新器材很满意。", _due, DemoCatalogue.Visitor, At(endDay.AddDays(-37), 10, 0));

        // The settled mediation (a complete file), and the one awaiting performance.
        Mediation(db, m1, endDay.AddDays(-44), settled: true, "张", "王");
        Mediation(db, m2, endDay.AddDays(-11), settled: false, "马", "刘");
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
    }

    private DateTime At(DateOnly day, int hour, int minute) => LocalToUtc(day, new TimeSpan(hour, minute, 0));

    private Case Topic(OrgUnit village, int group, string category, string title, string body, DateTime at, Actor staff)
    {
        var c = Case.Register(_town.Id, _groups[village.Id][group].Id, Channel.CadreVisit, title, body, Urgency.Normal, _categories[category].Id,
            Resident(village), new GeoLocation(null, null, $"甘肃省定西市漳县三岔镇{village.Name}"), null, null, null, NewTrackingCode(), _due, staff, at, id: _lastId);
        c.Triage(Track.Topic, Urgency.Normal, _categories[category].Id, null, _due, staff, at.AddHours(2));
        return c;
    }

    private Case Dispute(OrgUnit village, string category, string title, string body, DateTime at, OrgUnit unit, Actor staff)
    {
        var c = Case.Register(_town.Id, _groups[village.Id][1].Id, Channel.WalkIn, title, body, Urgency.High, _categories[category].Id,
            Resident(village), new GeoLocation(null, null, $"甘肃省定西市漳县三岔镇{village.Name}"), null, null, null, NewTrackingCode(), _due, staff, at, id: _lastId);
        c.Triage(Track.Direct, Urgency.High, _categories[category].Id, unit.Id, _due, staff, at.AddMinutes(40));
        c.Start(Handler(unit), at.AddHours(3));
        return c;
    }

    /// <summary>The village 议事会 deliberates the topic and votes; minutes confirmed and published; the decision disclosed for 7 days from <paramref name="from"/>.</summary>
    private async Task<Disclosure> VillageDecisionAsync(TaizhangDb db, Case topic, OrgUnit village, DateOnly day, DateOnly from, Actor cadre,
        string title, string text, CancellationToken ct)
    {
        var at = At(day, 9, 0);
        var m = NewMeeting(village, MeetingKind.Deliberation, $"{village.Name}议事会{day.Year}年{day.Month}月协商议事会议", at);
        db.Meetings.Add(m);
        _meetings.Add(m);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        topic.Deliberate(m.Id, cadre, at.AddMinutes(10));
        var done = at.AddHours(2);
        var against = 1;
        var abstain = 1;
        var votesFor = m.Present - against - abstain;
        var item = m.AddAgendaItem(topic.Id, topic.Title, AgendaSource.Residents, done);
        m.RecordOutcome(item.Seq, AgendaOutcomeKind.Vote, text, votesFor, against, abstain, done);
        var vote = MeetingRules.Count(m.Kind, m.Expected, m.Present, votesFor, against, abstain);
        topic.RecordDeliberationOutcome(m.Id, item.Seq, DeliberationOutcomeKind.Vote, text, votesFor, against, abstain, vote.Valid, vote.Passed, cadre, done);
        m.SaveMinutes(Minutes(m), done);
        m.ConfirmMinutes(m.Host!, m.Participants.Where(x => x.Present).Select(x => x.Seq).ToList(), at.AddDays(1));
        m.Publish(at.AddDays(1).AddHours(1));
        var d = Disclosure.Publish(topic.TownId, village.Id, DisclosureKind.Decision, topic.Id, m.Id, item.Seq, title, text, from, from.AddDays(6),
            from, cadre.Name, At(from, 9, 30));
        db.Add(d);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        topic.Disclose(d.Id, d.Kind, d.From, d.Until, cadre, d.PublishedAt);
        return d;
    }

    /// <summary>
    /// A mediation by the judicial office with the village and the police station, through MediationFile's
    /// steps and the case's events with the mediation use cases' payloads (no names on the timeline).
    /// </summary>
    private void Mediation(TaizhangDb db, Case c, DateOnly accepted, bool settled, string applicantSurname, string respondentSurname)
    {
        var sfs = _units["SCH-SFS"];
        var pcs = _units["SCH-PCS"];
        var by = Handler(sfs);
        var village = _units[DemoSeeder.Villages.First(v => _groups[_units[v.Code].Id].Any(g => g.Id == c.OrgUnitId)).Code];
        var now = At(accepted, 10, 0);
        var seq = _storyCases * 10 + (settled ? 1 : 2);
        var parties = new List<PartyInput>
        {
            new(PartyRole.Applicant, applicantSurname + (settled ? "秀兰" : "玉梅"), $"138000015{seq % 100:D2}", null, null, $"漳县三岔镇{village.Name}"),
            new(PartyRole.Respondent, respondentSurname + (settled ? "建军" : "志强"), $"139000015{seq % 100:D2}", null, null, $"漳县三岔镇{village.Name}"),
        };
        var file = MediationFile.Accept(c.TownId, c.Id, DisputeType.MarriageFamily, settled ? MediationSource.PartyApplication : MediationSource.PoliceTransfer,
            c.Title, settled ? 180000m : 12000m, 2, settled ? RiskGrade.Orange : RiskGrade.Yellow, "三岔司法所所长", "司法所所长", accepted,
            "三岔司法所调解员", parties, accepted, now);
        db.Mediations.Add(file);
        c.RecordMediation(MediationStep.Intake, new
        {
            disputeType = file.DisputeType, source = file.Source, riskGrade = file.RiskGrade, parties = file.Parties.Count,
            acceptedOn = file.AcceptedOn, deadline = file.Deadline,
        }, by, now, _due, file.Deadline);
        now = now.AddMinutes(20);
        file.GiveNotice(accepted, RecordForm.Written, accepted, now);
        c.RecordMediation(MediationStep.NoticeGiven, new { givenOn = accepted, form = RecordForm.Written }, by, now);

        var sessions = new[]
        {
            (Day: accepted.AddDays(2), Units: new[] { sfs.Id, pcs.Id }, Record: "司法所调解员与派出所民警共同主持，分别听取双方陈述，讲解相关法律规定，双方情绪平稳。", Outcome: "双方同意继续调解"),
            (Day: accepted.AddDays(6), Units: new[] { sfs.Id, pcs.Id, village.Id }, Record: "村调委会主任参加，背靠背做工作后面对面协商，双方就主要争议达成一致意见。", Outcome: "达成调解协议"),
        };
        var participants = new HashSet<long>();
        foreach (var s in sessions)
        {
            now = At(s.Day, 15, 0);
            var session = file.RecordSession(s.Day, "三岔司法所调解员", s.Units, "双方当事人", s.Record, s.Outcome, s.Day, now);
            foreach (var unit in s.Units.Where(participants.Add))
            {
                db.CaseParticipants.Add(new CaseParticipant
                {
                    CaseId = c.Id, TownId = c.TownId, UnitId = unit, Reason = CaseParticipant.MediationSession, AddedAt = now,
                });
            }
            c.RecordMediation(MediationStep.Session, new { session = session.Seq, heldOn = session.HeldOn, units = s.Units.ToList() }, by, now);
        }
        var signedOn = sessions[^1].Day;
        now = At(signedOn, 16, 30);
        var deadline = settled ? signedOn.AddDays(12) : signedOn.AddDays(12);
        file.MakeAgreement(new AgreementInput(RecordForm.Written,
            settled ? "双方于2015年登记结婚，育有一子。现双方自愿离婚，就共同财产分割及孩子抚养问题发生争议。" : "双方系夫妻，与男方父母共同生活。因照顾老人及赡养费分担问题多次发生争吵，曾报警处理。",
            settled ? "共同房屋归属、存款分割及孩子抚养费数额。" : "老人的日常照料安排及赡养费分担。",
            settled ? "双方均同意离婚，对共同财产分割各有理由。" : "双方均有照顾老人的义务，沟通不当是矛盾主要原因。",
            settled ? "一、孩子由女方抚养，男方每月支付抚养费1500元至孩子年满十八周岁；二、共同房屋归男方所有，男方一次性补偿女方12万元；三、双方不得以任何理由干涉对方正常生活。"
                : "一、男方兄弟二人轮流照顾老人，每人每月一半；二、男方每月向父母支付赡养费600元；三、双方互相尊重，不再因此争吵。",
            settled ? "银行转账" : "现金当面交付，村委会见证", settled ? "三岔司法所" : "马家村村委会", deadline, signedOn), signedOn, now);
        c.RecordMediation(MediationStep.Agreement, new { form = RecordForm.Written, signedOn, performanceDeadline = (DateOnly?)deadline }, by, now);
        if (!settled)
        {
            return;
        }
        var performedOn = deadline.AddDays(-1);
        now = At(performedOn, 10, 0);
        var followUp = file.RecordPerformance(performedOn, Performance.Full, null, "补偿款已转账，抚养费按月支付。", performedOn, now);
        c.RecordMediation(MediationStep.Performance, new
        {
            followUp = followUp.Seq, on = followUp.On, performance = followUp.Performance,
            chase = followUp.Performance != Performance.Full, completedOn = file.PerformanceCompletedOn,
        }, by, now);
        now = now.AddMinutes(30);
        file.RecordOutcome(MediationOutcome.Settled, null, "协议已全部履行。", performedOn, performedOn, now);
        c.RecordMediation(MediationStep.Outcome, new { outcome = MediationOutcome.Settled, referredTo = (ReferralRoute?)null, closedOn = file.ClosedOn }, by, now);
        file.EnsureCanResolveCase();
        c.Resolve(Outcome.Solved, $"经调解达成协议并于{file.ClosedOn:yyyy-MM-dd}履行完毕，调解成功。", by, now.AddMinutes(5));
        c.FollowUp(Satisfaction.Satisfied, "双方对调解结果满意。", _due, DemoCatalogue.Visitor, At(performedOn.AddDays(3), 10, 0));
    }
}
