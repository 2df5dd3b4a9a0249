using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
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

    /// <summary>
    /// Free text for the record (reason, result, note, plan): a field error when it holds control
    /// characters, which PostgreSQL refuses (NUL) or which hide text. The domain checks required and length.
    /// </summary>
    public void CheckText(string field, string? value) => RequestParsing.Printable(Errors, Texts, field, value);

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
        if (!OrgDirectory.Snapshot.CanHandle(unit, Case.TownId))
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
public sealed class CaseWorkbench(TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentUser user, CaseReader reader, Texts texts,
    Notifications.NotificationOutbox outbox)
{
    /// <summary>Whether the caller may perform <paramref name="action"/> on the case: 404 when out of scope, 403 when not allowed.</summary>
    public async Task<CaseAccess> AuthorizeAsync(Case @case, CaseAction action, CancellationToken ct)
    {
        var access = await user.AccessAsync(ct);
        if (!await access.CanSeeAsync(@case.Id, @case.OrgUnitId, @case.AssigneeUnitId, ct))
        {
            throw new NotFoundException("case");
        }
        if (!access.CanDo(action, @case.OrgUnitId, @case.AssigneeUnitId) && !await IsAttachingRegistrarAsync(@case, action, access, ct))
        {
            throw new ForbiddenException();
        }
        return access;
    }

    public async Task<bool> MayAsync(Case @case, CaseAction action, CancellationToken ct)
    {
        var access = await user.AccessAsync(ct);
        return access.CanDo(action, @case.OrgUnitId, @case.AssigneeUnitId) || await IsAttachingRegistrarAsync(@case, action, access, ct);
    }

    /// <summary>The registrar's rule beside the table (<see cref="Permissions.RegistrarMayAttach"/>): who registered the case is on its first event.</summary>
    private async Task<bool> IsAttachingRegistrarAsync(Case @case, CaseAction action, CaseAccess access, CancellationToken ct)
    {
        if (action != CaseAction.AddAttachment || !access.MayAttachAsRegistrar(@case.Status))
        {
            return false;
        }
        var registrar = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == @case.Id && e.Sequence == 1)
            .Select(e => new { e.ActorKind, e.ActorId }).FirstOrDefaultAsync(ct);
        return registrar is not null && access.IsActor(registrar.ActorKind, registrar.ActorId);
    }

    public async Task<CaseDetail> ChangeAsync(long id, CaseAction action, Func<CaseChange, Task> change, CancellationToken ct, bool reveal = false)
    {
        var @case = await LoadAsync(id, ct) ?? throw new NotFoundException("case");
        await AuthorizeAsync(@case, action, ct);
        var units = await org.GetAsync(ct);
        var context = new CaseChange(@case, db, units, await user.ActorAsync(ct), clock.GetUtcNow().UtcDateTime, due, texts);
        await change(context);
        // The change's notifications (Features/Notifications) are saved with it, or not at all.
        await outbox.AddForChangesAsync(db, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new ConcurrentChangeException(e);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another request appended the same event sequence number first.
            throw new ConcurrentChangeException(e);
        }
        db.ChangeTracker.Clear();
        return await reader.DetailAsync(id, ct, afterChange: true, reveal: reveal);
    }

    public Task<CaseDetail> ChangeAsync(long id, CaseAction action, Action<CaseChange> change, CancellationToken ct, bool reveal = false) =>
        ChangeAsync(id, action, c =>
        {
            change(c);
            return Task.CompletedTask;
        }, ct, reveal);

    /// <summary>The id of the case with this (normalized) tracking code, whoever may see it: the caller checks.</summary>
    public async Task<long?> IdOfAsync(string trackingCode, CancellationToken ct) =>
        await db.CaseIdOfAsync(trackingCode, ct);

    /// <summary>Reporters are loaded because merging and adding reporters compare them; events are not.</summary>
    public Task<Case?> LoadAsync(long id, CancellationToken ct) =>
        db.Cases.Include(c => c.Reporters).FirstOrDefaultAsync(c => c.Id == id, ct);
}
