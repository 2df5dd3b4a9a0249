using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Mediation;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Mediation;

/// <summary>
/// Every mediation step is a case action (<see cref="CaseAction.Mediate"/>) through
/// <see cref="CaseWorkbench"/>: scope (404), permission (403), the case's concurrency token and the
/// one SaveChanges that writes the mediation's rows with the case's event. Answers the mediation.
/// </summary>
public sealed class MediationWork(CaseWorkbench work, MediationReader reader)
{
    public async Task<MediationView> ChangeAsync(long caseId, Func<CaseChange, MediationFile, DateOnly, Task> change, CancellationToken ct)
    {
        await work.ChangeAsync(caseId, CaseAction.Mediate, async c =>
        {
            var file = await LoadAsync(c, ct) ?? throw new DomainRuleException("mediation.not-accepted",
                "The dispute has not been accepted for mediation: record the intake first.");
            await change(c, file, Today(c));
        }, ct);
        return await reader.ReadAsync(caseId, ct) ?? throw new NotFoundException("mediation");
    }

    public Task<MediationView> ChangeAsync(long caseId, Action<CaseChange, MediationFile, DateOnly> change, CancellationToken ct) =>
        ChangeAsync(caseId, (c, f, d) =>
        {
            change(c, f, d);
            return Task.CompletedTask;
        }, ct);

    public static DateOnly Today(CaseChange c) => c.Due.LocalDate(c.At);

    public static Task<MediationFile?> LoadAsync(CaseChange c, CancellationToken ct) =>
        c.Db.Mediations.Include(m => m.Parties).Include(m => m.Sessions).Include(m => m.Extensions).Include(m => m.FollowUps)
            .AsSplitQuery().FirstOrDefaultAsync(m => m.CaseId == c.Case.Id, ct);

    /// <summary>A date field: yyyy-MM-dd; <paramref name="fallback"/> when blank (null: required).</summary>
    public static DateOnly? Date(CaseChange c, string field, string? value, DateOnly? fallback = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (fallback is null)
            {
                c.Errors.Add(field, c.Texts["field.required"]);
            }
            return fallback;
        }
        return RequestParsing.Date(c.Errors, c.Texts, field, value);
    }

    /// <summary>
    /// 办结 from the mediation, when the user asks: a settled mediation whose performance is complete
    /// resolves the case as solved (partly settled: partly solved); not settled or referred as explained.
    /// </summary>
    public static void ResolveCase(CaseChange c, MediationFile file, string? result)
    {
        file.EnsureCanResolveCase();
        var outcome = file.Outcome switch
        {
            MediationOutcome.Settled => Outcome.Solved,
            MediationOutcome.PartlySettled => Outcome.PartlySolved,
            _ => Outcome.Explained,
        };
        var text = string.IsNullOrWhiteSpace(result)
            ? c.Texts.Format("mediation-page.resolve-result." + file.Outcome, (file.ClosedOn ?? file.OutcomeOn)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "")
            : result;
        c.Case.Resolve(outcome, text, c.By, c.At);
    }
}
