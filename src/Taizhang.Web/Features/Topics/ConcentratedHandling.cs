using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Topics;

/// <summary>Consultation settings ("Consultation" section).</summary>
/// <param name="TopicWaitDays">A topic ledgered longer than this many days without a plan is a concentrated-handling candidate.</param>
public sealed record TopicOptions(int TopicWaitDays = 30);

/// <summary>Why a topic is a candidate for concentrated handling.</summary>
public enum CandidateReason
{
    /// <summary>A plan step is past its target date.</summary>
    StepOverdue,
    /// <summary>Ledgered longer than the wait period without a plan.</summary>
    Waiting,
}

/// <summary>A candidate and its reason in words (第2步「…」逾期 3 天 / 入账已 31 天).</summary>
public sealed record ConcentratedCandidate(long Id, string TrackingCode, string Title, UnitRef? Village, CaseStatus Stage, CandidateReason ReasonKind,
    string Reason, int Days, int? Step, string? StepTitle);

/// <summary>
/// 集中办理: the topics that wait — a plan step past its target date, or ledgered longer than
/// <see cref="TopicOptions.TopicWaitDays"/> without a plan — in the caller's scope, with the reason.
/// Two indexed queries (plans by town and next date; topics in the ledger's states by town and status).
/// </summary>
public static class GetConcentratedCandidates
{
    public const int Limit = 500;

    public sealed class Handler(TaizhangDb db, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock, Texts texts, TopicOptions options)
    {
        public int WaitDays => options.TopicWaitDays;

        /// <summary>Whether the caller may call a concentrated-handling meeting: RunMeetings at a town (town staff).</summary>
        public async Task<bool> MayCallAsync(CancellationToken ct) =>
            (await user.AccessAsync(ct)).Principal.Posts.Any(p => p.Unit.Kind == OrgUnitKind.Town && Permissions.Allows(p.Role, Permission.RunMeetings));

        public async Task<IReadOnlyList<ConcentratedCandidate>> HandleAsync(CancellationToken ct, long[]? only = null)
        {
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var today = due.LocalDate(now);
            var visible = access.Visible(db.Cases.AsNoTracking());
            if (only is not null)
            {
                visible = visible.Where(c => only.Contains(c.Id));
            }
            // A topic already on the agenda of a concentrated-handling meeting not yet held waits for that meeting:
            // listing it again would invite a second meeting for the same topic. Read first, from the caller's towns'
            // meetings (a few planned ones): as a subquery of both queries below, SQLite listed every agenda item of
            // the county with a case (300 ms each at 50,000 meetings, docs/BENCHMARKS.md).
            var meetings = db.Meetings.AsNoTracking().Where(m => m.Kind == MeetingKind.ConcentratedHandling && m.Status == MeetingStatus.Planned);
            if (access.TownIds is { } towns)
            {
                meetings = meetings.Where(m => towns.Contains(m.TownId));
            }
            // Two steps: joined, SQLite drove the join from the agenda items' partial index (every item with a case).
            var planned = await meetings.Select(m => m.Id).ToListAsync(ct);
            var scheduled = planned.Count == 0 ? new List<long>() : await db.Set<AgendaItem>().AsNoTracking()
                .Where(a => planned.Contains(a.MeetingId) && a.CaseId != null)
                .Select(a => a.CaseId!.Value).Distinct().ToListAsync(ct);
            if (scheduled.Count > 0)
            {
                visible = visible.Where(c => !scheduled.Contains(c.Id));
            }
            var open = ListTopics.OpenStatuses;

            var overduePlans = await (
                from c in ListTopics.Topics(visible)
                join p in db.Set<HandlingPlan>().AsNoTracking() on c.Id equals p.CaseId
                where p.NextTargetDate < today && open.Contains(c.Status)
                orderby p.NextTargetDate, c.Id
                select new { c.Id, c.TrackingCode, c.Title, c.OrgUnitId, c.Status, PlanId = p.Id })
                .Take(Limit).ToListAsync(ct);
            var planIds = overduePlans.Select(p => p.PlanId).ToArray();
            var late = (await db.Set<PlanStep>().AsNoTracking()
                    .Where(s => planIds.Contains(s.PlanId) && s.CompletedAt == null && s.TargetDate < today)
                    .Select(s => new { s.PlanId, s.Number, s.Title, s.TargetDate }).ToListAsync(ct))
                .GroupBy(s => s.PlanId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.TargetDate).ThenBy(s => s.Number).First());

            // 入账已 X 天: X > wait days ⇔ ledgered before the start of the local day (today − wait days).
            var cutoff = due.EndOfLocalDay(today.AddDays(-options.TopicWaitDays - 1));
            var events = db.CaseEvents.AsNoTracking();
            var plans = db.Set<HandlingPlan>().AsNoTracking();
            var waiting = await visible
                .Where(c => c.Status == CaseStatus.Ledgered || c.Status == CaseStatus.Deliberating)
                .Where(c => !plans.Any(p => p.CaseId == c.Id))
                .Select(c => new
                {
                    c.Id, c.TrackingCode, c.Title, c.OrgUnitId, c.Status, c.RegisteredAt,
                    LedgeredAt = events.Where(e => e.CaseId == c.Id && e.Action == CaseAction.Triage && e.ToStatus == CaseStatus.Ledgered)
                        .Max(e => (DateTime?)e.At),
                })
                .Where(c => (c.LedgeredAt ?? c.RegisteredAt) < cutoff)
                .OrderBy(c => c.LedgeredAt ?? c.RegisteredAt).ThenBy(c => c.Id)
                .Take(Limit).ToListAsync(ct);

            var result = new List<ConcentratedCandidate>();
            foreach (var c in overduePlans)
            {
                if (!late.TryGetValue(c.PlanId, out var s))
                {
                    continue;
                }
                var days = today.DayNumber - s.TargetDate.DayNumber;
                result.Add(new ConcentratedCandidate(c.Id, c.TrackingCode, c.Title, units.Ref(c.OrgUnitId), c.Status, CandidateReason.StepOverdue,
                    texts.Format("topics.reason.step-overdue", s.Number, s.Title, days), days, s.Number, s.Title));
            }
            foreach (var c in waiting)
            {
                var days = today.DayNumber - due.LocalDate(c.LedgeredAt ?? c.RegisteredAt).DayNumber;
                result.Add(new ConcentratedCandidate(c.Id, c.TrackingCode, c.Title, units.Ref(c.OrgUnitId), c.Status, CandidateReason.Waiting,
                    texts.Format("topics.reason.waiting", days), days, null, null));
            }
            return result;
        }
    }

    public static async Task<Ok<IReadOnlyList<ConcentratedCandidate>>> Endpoint(Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(ct));
}

/// <summary>
/// POST /api/v1/topics/concentrated-meetings: a concentrated-handling meeting (集中办理会) at the town,
/// with every chosen candidate on its agenda (source: cadres' proposal), and each case's Deliberate
/// event naming the meeting (a ledgered topic is now in deliberation; a planned one stays where it
/// is). All of it or nothing: the meeting is inserted first for its id (the cases' events name it),
/// inside one transaction with the cases' changes.
/// </summary>
public static class CreateConcentratedMeeting
{
    public const int MaxCases = 100;

    public sealed record Request(string? Title, DateTimeOffset? At, string? Place, IReadOnlyList<long>? CaseIds);

    public sealed record Created(long Id, string Title, DateTime At, long TownId, IReadOnlyList<long> CaseIds);

    public sealed class Handler(TaizhangDb db, CurrentUser user, OrgDirectory org, TimeProvider clock, Texts texts,
        GetConcentratedCandidates.Handler candidates, Notifications.NotificationOutbox outbox)
    {
        public async Task<Created> HandleAsync(Request request, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var access = await user.AccessAsync(ct);
            var units = await org.GetAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            Cases.RequestParsing.Printable(errors, texts, "title", request.Title);
            Cases.RequestParsing.Printable(errors, texts, "place", request.Place);
            if (string.IsNullOrWhiteSpace(request.Title))
            {
                errors.Add("title", texts["field.required"]);
            }
            if (request.At is null)
            {
                errors.Add("at", texts["field.required"]);
            }
            var ids = (request.CaseIds ?? []).Distinct().ToArray();
            if (ids.Length == 0)
            {
                errors.Add("caseIds", texts["topics.error.no-cases"]);
            }
            else if (ids.Length > MaxCases)
            {
                errors.Add("caseIds", texts.Format("topics.error.too-many-cases", MaxCases));
            }
            errors.ThrowIfAny();

            var cases = await access.Visible(db.Cases).Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            var eligible = (await candidates.HandleAsync(ct, ids)).Select(c => c.Id).ToHashSet();
            // The meeting is the town of the first case the caller can see; every case must be of that town.
            var town = ids.Select(id => cases.FirstOrDefault(x => x.Id == id)?.TownId).FirstOrDefault(t => t is not null);
            for (var i = 0; i < ids.Length; i++)
            {
                var c = cases.FirstOrDefault(x => x.Id == ids[i]);
                if (c is null)
                {
                    errors.Add($"caseIds[{i}]", texts.Format("field.unknown-case", ids[i]));
                }
                else if (c.TownId != town)
                {
                    errors.Add($"caseIds[{i}]", texts["topics.error.one-town"]);
                }
                else if (!eligible.Contains(c.Id))
                {
                    errors.Add($"caseIds[{i}]", texts.Format("topics.error.not-candidate", c.TrackingCode));
                }
            }
            errors.ThrowIfAny();
            // Town staff run the town's meetings (RunMeetings at the town itself, not a village's cadre).
            if (!units.UnitsById.TryGetValue(town!.Value, out var townUnit) || townUnit.Kind != OrgUnitKind.Town
                || !access.Can(Permission.RunMeetings, townUnit.Id, null))
            {
                throw new ForbiddenException();
            }

            var by = await user.ActorAsync(ct);
            var meeting = Meeting.Plan(townUnit.Id, townUnit.Id, MeetingKind.ConcentratedHandling, request.Title!, request.At!.Value.UtcDateTime,
                string.IsNullOrWhiteSpace(request.Place) ? null : request.Place.Trim(), null, null, 0, null, by.Name, now);
            foreach (var id in ids)
            {
                var c = cases.First(x => x.Id == id);
                meeting.AddAgendaItem(c.Id, c.Title, AgendaSource.Cadres, now);
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Meetings.Add(meeting);
            try
            {
                await db.SaveChangesAsync(ct);
                foreach (var id in ids)
                {
                    cases.First(x => x.Id == id).Deliberate(meeting.Id, by, now);
                }
                await outbox.AddForChangesAsync(db, ct);
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException e)
            {
                throw new ConcurrentChangeException(e);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                throw new ConcurrentChangeException(e);
            }
            await tx.CommitAsync(ct);
            return new Created(meeting.Id, meeting.Title, meeting.HeldAt, townUnit.Id, ids);
        }
    }

    public static async Task<Created<Created>> Endpoint(Request? request, Handler handler, CancellationToken ct)
    {
        var created = await handler.HandleAsync(request ?? new Request(null, null, null, null), ct);
        return TypedResults.Created($"/api/v1/meetings/{created.Id}", created);
    }
}
