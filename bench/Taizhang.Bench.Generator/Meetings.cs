using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;

namespace Taizhang.Bench.Generator;

/// <summary>
/// The county's meetings (default 50,000 over the generated year): each village's council meets in
/// turn, the towns hold forums and concentrated-handling meetings. Built with the domain's own
/// methods (plan, members, agenda, hold, outcomes, minutes, confirm, publish), so every row is one the
/// app could have written; the agenda draws on each village's topic cases. Inserted through EF in
/// batches: a few hundred thousand rows, a minute at most.
/// </summary>
internal static class MeetingGenerator
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "马", "何", "苏", "梁"];
    private static readonly string[] Given = ["建国", "秀兰", "志强", "桂英", "海涛", "玉梅", "永红", "德明", "春花", "国庆", "文华", "小军"];

    public static async Task<int> GenerateAsync(IServiceProvider services, County county, int count, int seed, DateTime now)
    {
        if (count <= 0)
        {
            return 0;
        }
        var clock = Stopwatch.StartNew();
        var rng = new Random(seed + 15);
        Dictionary<long, long[]> topicsByUnit;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            topicsByUnit = (await db.Cases.AsNoTracking().Where(c => c.Track == Track.Topic)
                    .Select(c => new { c.Id, c.OrgUnitId }).ToListAsync())
                .GroupBy(c => c.OrgUnitId).ToDictionary(g => g.Key, g => g.Select(c => c.Id).ToArray());
        }
        var start = now.AddDays(-365);
        var written = 0;
        const int batch = 2_000;
        var added = new List<Meeting>(batch);
        while (written < count)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var n = Math.Min(batch, count - written);
            for (var i = 0; i < n; i++)
            {
                var index = written + i;
                var village = county.Villages[index % county.Villages.Count];
                var townId = village.TownId!.Value;
                // One in ten is the town's forum or concentrated-handling meeting; the rest are the village's council.
                var atTown = index % 10 == 9;
                var kind = atTown ? (index % 20 == 19 ? MeetingKind.ConcentratedHandling : MeetingKind.Forum)
                    : index % 7 == 0 ? MeetingKind.RepresentativesAssembly : MeetingKind.Deliberation;
                var unitId = atTown ? townId : village.Id;
                var at = start.AddMinutes(rng.Next(0, 365 * 24 * 60));
                var title = string.Create(CultureInfo.InvariantCulture, $"{(atTown ? "镇" : village.Name)}{KindName(kind)}（第{index / county.Villages.Count + 1}次）");
                var members = atTown ? 0 : 15 + rng.Next(0, 16);
                var m = Meeting.Plan(townId, unitId, kind, title, at, atTown ? "镇政府会议室" : village.Name + "村委会议室",
                    Person(rng), null, members, null, "bench", at.AddDays(-7));
                for (var p = 0; p < members; p++)
                {
                    m.AddParticipant(ParticipantRole.Member, Person(rng), p == 0 ? "议事会会长" : "成员", null, null, at.AddDays(-7));
                }
                topicsByUnit.TryGetValue(unitId, out var topics);
                var items = 1 + rng.Next(0, 4);
                for (var a = 0; a < items; a++)
                {
                    long? caseId = topics is { Length: > 0 } && a < 2 ? topics[rng.Next(topics.Length)] : null;
                    if (caseId is { } cid && m.Agenda.Any(x => x.CaseId == cid))
                    {
                        caseId = null;
                    }
                    m.AddAgendaItem(caseId, $"议题{a + 1}：{(caseId is null ? "村内公共事务" : "台账议题")}", AgendaSource.Residents, at.AddDays(-5));
                }
                if (at < now.AddDays(-1))
                {
                    var present = m.Participants.Where(_ => rng.NextDouble() < 0.8).Select(p => p.Seq).ToArray();
                    m.Hold(present, null, null, at, at.AddHours(3));
                    foreach (var item in m.Agenda)
                    {
                        if (MeetingRules.Votes(kind) && rng.NextDouble() < 0.5)
                        {
                            var f = rng.Next(0, m.Present + 1);
                            var ag = rng.Next(0, m.Present - f + 1);
                            m.RecordOutcome(item.Seq, AgendaOutcomeKind.Vote, "同意按方案实施", f, ag, m.Present - f - ag, at.AddHours(3));
                        }
                        else
                        {
                            m.RecordOutcome(item.Seq, AgendaOutcomeKind.Opinion, "村级意见：同意，报镇上研究办理", null, null, null, at.AddHours(3));
                        }
                    }
                    m.SaveMinutes("会议由主持人主持，到会成员逐项讨论了议程所列事项，形成意见如上。", at.AddHours(3));
                    if (rng.NextDouble() < 0.9)
                    {
                        m.ConfirmMinutes("bench", present.Take(3).ToArray(), at.AddDays(1));
                        if (rng.NextDouble() < 0.8)
                        {
                            m.Publish(at.AddDays(2));
                        }
                    }
                }
                db.Meetings.Add(m);
                added.Add(m);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            // Every third published meeting's first decision goes on its unit's notice board (公示), as a cadre would post it.
            foreach (var m in added.Where(x => x.Status == MeetingStatus.Published && x.Agenda.Count > 0 && x.Id % 3 == 0))
            {
                var item = m.Agenda[0];
                var day = DateOnly.FromDateTime(m.PublishedAt!.Value.AddHours(8));
                db.Set<Disclosure>().Add(Disclosure.Publish(m.TownId, m.OrgUnitId, DisclosureKind.Decision, item.CaseId, m.Id, item.Seq,
                    "关于" + item.Title + "的决定事项公示", item.OutcomeText ?? "经会议议定，同意实施。", day, day.AddDays(7), day, "bench", m.PublishedAt.Value));
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            added.Clear();
            written += n;
            if (written % 10_000 == 0 || written == count)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {written,9:N0} meetings ({written / clock.Elapsed.TotalSeconds:N0}/s)"));
            }
        }
        return written;
    }

    /// <summary>
    /// Every topic past deliberation gets its handling plan (two or three steps at the town's units),
    /// so the topic ledger's progress and next-date columns read real rows; one in five open plans has
    /// a step past its target date (a concentrated-handling candidate).
    /// </summary>
    public static async Task<int> GeneratePlansAsync(IServiceProvider services, County county, int seed, DateTime now)
    {
        var rng = new Random(seed + 16);
        var clock = Stopwatch.StartNew();
        List<(long Id, long TownId, long OrgUnitId, DateTime RegisteredAt, CaseStatus Status)> topics;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            topics = (await db.Cases.AsNoTracking()
                    .Where(c => c.Track == Track.Topic && c.Status != CaseStatus.Ledgered && c.Status != CaseStatus.Deliberating
                        && c.Status != CaseStatus.Rejected && c.Status != CaseStatus.Merged)
                    .Select(c => new { c.Id, c.TownId, c.OrgUnitId, c.RegisteredAt, c.Status }).ToListAsync())
                .Select(c => (c.Id, c.TownId, c.OrgUnitId, c.RegisteredAt, c.Status)).ToList();
        }
        var partnersByTown = county.ByCode.Values.Where(u => u.Code.Length > 4 && u.Code[3] == '-' && !u.Code.Contains("-V", StringComparison.Ordinal))
            .GroupBy(u => u.TownId ?? 0).ToDictionary(g => g.Key, g => g.Select(u => u.Id).ToArray());
        const int batch = 5_000;
        for (var i = 0; i < topics.Count; i += batch)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var t in topics.Skip(i).Take(batch))
            {
                var at = t.RegisteredAt.AddDays(10);
                var start = DateOnly.FromDateTime(at.AddHours(8));
                var units = partnersByTown.GetValueOrDefault(t.TownId) is { Length: > 0 } p ? p : [t.OrgUnitId];
                var open = t.Status is CaseStatus.Planned or CaseStatus.Assigned or CaseStatus.InProgress;
                var late = open && rng.Next(5) == 0;
                var steps = Enumerable.Range(1, 2 + rng.Next(2)).Select(n => new PlanStepInput(
                    n switch { 1 => "勘察论证", 2 => "组织实施", _ => "验收公示" }, n == 1 ? t.OrgUnitId : units[rng.Next(units.Length)],
                    late && n == 1 ? DateOnly.FromDateTime(now.AddHours(8)).AddDays(-rng.Next(3, 40)) : start.AddDays(15 * n))).ToList();
                if (late)
                {
                    steps = steps.Select((s, k) => k == 0 ? s : s with { TargetDate = DateOnly.FromDateTime(now.AddHours(8)).AddDays(10 * k) }).ToList();
                }
                db.Set<HandlingPlan>().Add(HandlingPlan.Create(t.TownId, t.Id, "按村级意见分步实施", steps, steps.Min(s => s.TargetDate), at));
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done: {topics.Count:N0} plans in {clock.Elapsed.TotalSeconds:F1} s"));
        return topics.Count;
    }

    private static string Person(Random rng) => Surnames[rng.Next(Surnames.Length)] + Given[rng.Next(Given.Length)];

    private static string KindName(MeetingKind kind) => kind switch
    {
        MeetingKind.Deliberation => "协商议事会",
        MeetingKind.RepresentativesAssembly => "村民代表会议",
        MeetingKind.Forum => "座谈会",
        MeetingKind.ConcentratedHandling => "集中办理会",
        _ => "会议",
    };
}
