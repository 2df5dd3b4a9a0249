using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>What a transition's handler works with: the tracked case and the request's context.</summary>
public sealed class CaseChange(Case @case, TaizhangDb db, OrgDirectory.Snapshot units, Actor by, DateTime at, DuePolicy due, Texts texts)
{
    public Case Case { get; } = @case;
    public TaizhangDb Db { get; } = db;
    public OrgDirectory.Snapshot Units { get; } = units;
    public Actor By { get; } = by;
    public DateTime At { get; } = at;
    public DuePolicy Due { get; } = due;
    public Texts Texts { get; } = texts;
    public FieldErrors Errors { get; } = new();

    /// <summary>A unit that can be given this case: exists, can handle cases, and serves the case's town.</summary>
    public long? HandlingUnit(string field, string? code, bool required)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            if (required)
            {
                Errors.Add(field, Texts["field.required"]);
            }
            return null;
        }
        if (!Units.UnitsByCode.TryGetValue(code.Trim(), out var unit))
        {
            Errors.Add(field, Texts.Format("field.unknown-org-unit", code.Trim()));
            return null;
        }
        if (!unit.CanHandleCases)
        {
            Errors.Add(field, Texts.Format("field.not-assignable", unit.Name));
            return null;
        }
        // Partners of the county (police, courts) serve every town; other units only their own.
        if (unit.TownId is not null && unit.TownId != Case.TownId)
        {
            Errors.Add(field, Texts.Format("field.other-town", unit.Name));
            return null;
        }
        return unit.Id;
    }
}

/// <summary>
/// Load → check → one domain call → save, for every transition. The domain method refuses an
/// illegal move before anything is written; a concurrent change to the same case fails the
/// save (the event count is the concurrency token) and is answered 409.
/// </summary>
public sealed class CaseWorkbench(TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentActor actor, CaseReader reader, Texts texts)
{
    public async Task<CaseDetail> ChangeAsync(long id, Func<CaseChange, Task> change, CancellationToken ct)
    {
        var @case = await LoadAsync(id, ct) ?? throw new NotFoundException("case");
        var units = await org.GetAsync(ct);
        var context = new CaseChange(@case, db, units, actor.Actor, clock.GetUtcNow().UtcDateTime, due, texts);
        await change(context);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another request appended the same event sequence number first.
            throw new DbUpdateConcurrencyException(e.Message, e);
        }
        db.ChangeTracker.Clear();
        return await reader.DetailAsync(id, ct);
    }

    public Task<CaseDetail> ChangeAsync(long id, Action<CaseChange> change, CancellationToken ct) =>
        ChangeAsync(id, c =>
        {
            change(c);
            return Task.CompletedTask;
        }, ct);

    /// <summary>Reporters are loaded because merging and adding reporters compare them; events are not.</summary>
    public Task<Case?> LoadAsync(long id, CancellationToken ct) =>
        db.Cases.Include(c => c.Reporters).FirstOrDefaultAsync(c => c.Id == id, ct);
}
