using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>What a meeting's change works with: the tracked meeting (participants, agenda, amendments loaded) and the request's context.</summary>
public sealed class MeetingChange(Meeting meeting, TaizhangDb db, OrgDirectory.Snapshot units, MeetingAccess access, Actor by, DateTime at, Texts texts)
{
    public Meeting Meeting { get; } = meeting;
    public TaizhangDb Db { get; } = db;
    public OrgDirectory.Snapshot Units { get; } = units;
    public MeetingAccess Access { get; } = access;
    public Actor By { get; } = by;
    public DateTime At { get; } = at;
    public Texts Texts { get; } = texts;
    public FieldErrors Errors { get; } = new();

    public void CheckText(string field, string? value) => RequestParsing.Printable(Errors, Texts, field, value);

    /// <summary>The case of an agenda item, tracked, for its events in the same save.</summary>
    public Task<Case?> CaseAsync(long id, CancellationToken ct) => Db.Cases.FirstOrDefaultAsync(c => c.Id == id, ct);
}

/// <summary>
/// Load → check scope (404) and the right to run the meeting (403) → the change → one save. The
/// meeting's Version is the concurrency token: a concurrent change is 409, and the cases an agenda
/// item moves on are saved in the same transaction, or nothing is.
/// </summary>
public sealed class MeetingWorkbench(TaizhangDb db, OrgDirectory org, TimeProvider clock, CurrentUser user, MeetingReader reader, MeetingScope scope,
    Texts texts, Notifications.NotificationOutbox outbox)
{
    public async Task<MeetingDetail> ChangeAsync(long id, Func<MeetingChange, Task> change, CancellationToken ct, int? expectedVersion = null)
    {
        var meeting = await reader.LoadAsync(id, tracked: true, ct) ?? throw new NotFoundException("meeting");
        var access = await scope.GetAsync(ct);
        access.EnsureRun(meeting);
        if (expectedVersion is { } v && v != meeting.Version)
        {
            throw new ConcurrentChangeException();
        }
        var context = new MeetingChange(meeting, db, await org.GetAsync(ct), access, await user.ActorAsync(ct), clock.GetUtcNow().UtcDateTime, texts);
        await change(context);
        await SaveAsync(ct);
        return await reader.DetailAsync(id, ct);
    }

    public Task<MeetingDetail> ChangeAsync(long id, Action<MeetingChange> change, CancellationToken ct, int? expectedVersion = null) =>
        ChangeAsync(id, c =>
        {
            change(c);
            return Task.CompletedTask;
        }, ct, expectedVersion);

    public async Task SaveAsync(CancellationToken ct)
    {
        // The notifications of the cases' events (Features/Notifications) are saved with them, or not at all.
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
            throw new ConcurrentChangeException(e);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The If-Match header's version, when the client sent one ("3" or "\"3\"").</summary>
    public static int? IfMatch(HttpRequest request) =>
        int.TryParse(request.Headers.IfMatch.ToString().Trim('"', 'W', '/', ' '), out var v) ? v : null;
}
