// Stories of the deadline practice told whole after the year (issue 16's "Done means"): what a new user
// finds on their task lists — the judicial office's request for more time waiting for the clerk, a 马家村
// road repair suspended until spring, and an overdue water case under the leader's yellow card.
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;

namespace Taizhang.Web.Demo;

internal sealed partial class DemoCases
{
    /// <summary>The demo's town leader (the "leader" account), as the actor of the stories' supervision.</summary>
    private static readonly Actor TownLeader = new(ActorKind.Development, "demo-leader", "镇党委书记 徐明");

    private async Task SeedDeadlineStoriesAsync(TaizhangDb db, CancellationToken ct)
    {
        // Yesterday: the last day of the demo year (_end is the instant today begins).
        var endDay = _due.LocalDate(_end.AddTicks(-1));
        var staff = DemoCatalogue.IntakeStaff[0];
        var mjc = _units["SCH-MJC"];
        var sfs = _units["SCH-SFS"];

        // 三岔司法所 took a land dispute yesterday and asks for more time: the survey comes next week. The request waits for the clerk.
        var land = Dispute(_units["SCH-ZJC"], "dispute-land", "张家村两户承包地界址争议",
            "群众来访反映：张家村二组两户因承包地界桩移位发生争议，双方各执一词，请求司法所调处。",
            At(endDay, 8, 40), sfs, staff);
        var mediator = Handler(sfs);
        land.Contact("已电话联系双方当事人，约定现场勘查时间", ResponseWindow, mediator, At(endDay, 12, 5));
        var ask = At(endDay, 16, 30);
        land.RequestExtension(_due.LocalDate(land.DueAt).AddDays(7), "需会同县自然资源局测绘界址，测绘结果预计下周出具，申请延期七天。",
            _due, mediator, ask < land.DueAt ? ask : land.DueAt.AddHours(-3));

        // 马家村's road repair waits for spring: suspended, with its reason.
        var cadre = Handler(mjc);
        var road = Case.Register(_town.Id, _groups[mjc.Id][0].Id, Channel.CadreVisit, "马家村一组通组道路塌陷修复",
            "村民反映：一组通组道路一处路基塌陷约五米，车辆绕行，请求修复。", Urgency.Normal, _categories["roads"].Id,
            Resident(mjc), null, null, null, null, NewTrackingCode(), _due, staff, At(endDay.AddDays(-12), 10, 0), id: _lastId);
        road.Triage(Track.Direct, Urgency.Normal, _categories["roads"].Id, mjc.Id, _due, staff, At(endDay.AddDays(-12), 15, 0));
        road.Start(cadre, At(endDay.AddDays(-11), 9, 0));
        road.Contact("已告知反映人：路基需冻土解冻后施工", ResponseWindow, cadre, At(endDay.AddDays(-11), 9, 30));
        road.RequestSuspension("冬季冻土无法施工，待明年春季解冻后修复，已设置警示标志。", cadre, At(endDay.AddDays(-10), 16, 0));
        road.DecideSuspension(true, "同意挂起，请做好安全警示", false, staff, At(endDay.AddDays(-9), 9, 40));

        // An overdue water case: reminded the day after its due date, then the leader's yellow card.
        var water = Case.Register(_town.Id, _groups[mjc.Id][1].Id, Channel.Hotline, "马家村二组自来水停水三天",
            "来电反映：二组自来水已停水三天，村民生活用水困难，请求尽快维修。", Urgency.High, _categories["water"].Id,
            Resident(mjc), null, null, null, null, NewTrackingCode(), _due, DemoCatalogue.Operator, At(endDay.AddDays(-9), 8, 40), id: _lastId);
        water.Triage(Track.Direct, Urgency.High, _categories["water"].Id, mjc.Id, _due, staff, At(endDay.AddDays(-9), 9, 10));
        water.Start(cadre, At(endDay.AddDays(-9), 11, 0));
        var remindDay = _due.LocalDate(water.DueAt).AddDays(1);
        if (remindDay <= endDay)
        {
            water.Remind(null, automatic: true, Watch, At(remindDay, 9, 0));
            water.Supervise(SupervisionLevel.Yellow, endDay.AddDays(3), "停水影响群众生活，黄牌督办，请三日内恢复供水并反馈", _due, TownLeader,
                At(remindDay, 15, 30));
        }

        db.Cases.AddRange(land, road, water);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        _storyCases += 3;
    }
}
