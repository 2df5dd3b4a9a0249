using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Plans;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Plans;

/// <summary>A step as the API and the pages show it.</summary>
public sealed record PlanStepView(int Number, string Title, UnitRef? Unit, DateOnly TargetDate, int Progress, string? Note,
    DateTime? CompletedAt, bool Completed, bool Overdue, int DaysOverdue);

/// <summary>A topic's plan: its summary, steps, and the figures the topic ledger shows.</summary>
public sealed record PlanView(long CaseId, string Summary, int StepCount, int StepsDone, int OverallProgress, DateOnly? NextTargetDate,
    DateOnly LastTargetDate, bool Overdue, int Amendments, DateTime UpdatedAt, IReadOnlyList<PlanStepView> Steps);

/// <summary>GET /api/v1/cases/{id}/plan: the plan of a case the caller can see (404 when out of scope or without a plan).</summary>
public static class GetPlan
{
    public sealed class Handler(TaizhangDb db, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock)
    {
        /// <summary>The plan, or null when the case (which the caller sees) has none; 404 when the case is out of scope.</summary>
        public async Task<PlanView?> FindAsync(long caseId, CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            if (!await access.Visible(db.Cases.AsNoTracking()).AnyAsync(c => c.Id == caseId, ct))
            {
                throw new NotFoundException("case");
            }
            var plan = await db.Set<HandlingPlan>().AsNoTracking().Include(p => p.Steps).FirstOrDefaultAsync(p => p.CaseId == caseId, ct);
            return plan is null ? null : ViewOf(plan, await org.GetAsync(ct), due.LocalDate(clock.GetUtcNow().UtcDateTime));
        }

        public async Task<PlanView> HandleAsync(long caseId, CancellationToken ct) =>
            await FindAsync(caseId, ct) ?? throw new NotFoundException("plan");

        public static PlanView ViewOf(HandlingPlan p, OrgDirectory.Snapshot units, DateOnly today) => new(
            p.CaseId, p.Summary, p.StepCount, p.StepsDone, p.OverallProgress, p.NextTargetDate, p.LastTargetDate,
            p.NextTargetDate is { } next && next < today, p.Amendments, p.UpdatedAt,
            p.Steps.OrderBy(s => s.Number).Select(s => new PlanStepView(s.Number, s.Title, units.Ref(s.UnitId), s.TargetDate, s.Progress, s.Note,
                s.CompletedAt, s.Completed, s.IsOverdue(today), s.IsOverdue(today) ? today.DayNumber - s.TargetDate.DayNumber : 0)).ToList());
    }

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<PlanView>> Endpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, ct));
}
