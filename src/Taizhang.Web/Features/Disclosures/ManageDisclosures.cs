using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Disclosures;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Disclosures;

/// <summary>An objection as staff see it: the contact masked unless revealed (recorded in the audit trail).</summary>
public sealed record ObjectionView(long Id, string Reference, long DisclosureId, string Text, DateTime SubmittedAt,
    string? ContactName, string? ContactPhone, bool ContactRevealed, string Status, string? Answer, DateTime? AnsweredAt, string? AnsweredBy);

/// <summary>
/// The staff's side of 公示: the list of the caller's area (units where they may disclose), withdrawing
/// a disclosure, and the objections with their answers. Every one is scoped by
/// <c>CaseAccess.ReachOf(Permission.Disclose).Area</c>: outside it a disclosure does not exist (404).
/// </summary>
public static class ManageDisclosures
{
    public sealed record ListQuery(string? Unit, string? Kind, bool? Open);

    public sealed record WithdrawRequest(string? Reason);

    public sealed record AnswerRequest(string? Answer);

    public sealed class Handler(TaizhangDb db, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock, Texts texts, DisclosureReader reader)
    {
        private DateOnly Today => due.LocalDate(clock.GetUtcNow().UtcDateTime);

        public async Task<IReadOnlyList<DisclosureView>> ListAsync(ListQuery query, CancellationToken ct)
        {
            var area = (await user.AccessAsync(ct)).ReachOf(Permission.Disclose).Area;
            var errors = new FieldErrors();
            var units = await org.GetAsync(ct);
            var q = db.Set<Disclosure>().Where(d => area.Contains(d.OrgUnitId));
            if (!string.IsNullOrWhiteSpace(query.Unit))
            {
                if (units.UnitsByCode.TryGetValue(query.Unit.Trim(), out var unit))
                {
                    var under = units.SelfAndDescendants(unit);
                    q = q.Where(d => under.Contains(d.OrgUnitId));
                }
                else
                {
                    errors.Add("unit", texts.Format("field.unknown-org-unit", query.Unit.Trim()));
                }
            }
            var kind = RequestParsing.Enum<Domain.Cases.DisclosureKind>(errors, texts, "kind", query.Kind);
            errors.ThrowIfAny();
            if (kind is { } k)
            {
                q = q.Where(d => d.Kind == k);
            }
            var today = Today;
            if (query.Open is true)
            {
                q = q.Where(d => d.WithdrawnAt == null && d.From <= today && d.Until >= today);
            }
            else if (query.Open is false)
            {
                q = q.Where(d => d.WithdrawnAt != null || d.From > today || d.Until < today);
            }
            var list = await reader.ListAsync(q.OrderByDescending(d => d.PublishedAt).ThenByDescending(d => d.Id).Take(500), today, ct);
            // Current ones first, then the rest, each newest first.
            return list.OrderByDescending(d => d.Open).ToList();
        }

        public async Task<DisclosureView> GetAsync(long id, CancellationToken ct)
        {
            await LoadAsync(id, ct);
            return await reader.OneAsync(id, Today, ct);
        }

        public async Task<DisclosureView> WithdrawAsync(long id, WithdrawRequest request, CancellationToken ct)
        {
            var errors = new FieldErrors();
            RequestParsing.Printable(errors, texts, "reason", request.Reason);
            errors.ThrowIfAny();
            var d = await LoadAsync(id, ct);
            d.Withdraw(request.Reason!, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return await reader.OneAsync(id, Today, ct);
        }

        public async Task<IReadOnlyList<ObjectionView>> ObjectionsAsync(long disclosureId, bool reveal, CancellationToken ct)
        {
            var d = await LoadAsync(disclosureId, ct);
            var access = await user.AccessAsync(ct);
            var mayReveal = access.Can(Permission.RevealPersonalData, d.OrgUnitId, null);
            if (reveal && !mayReveal)
            {
                throw new ForbiddenException();
            }
            var rows = await db.Set<DisclosureObjection>().AsNoTracking().Where(o => o.DisclosureId == disclosureId)
                .OrderBy(o => o.SubmittedAt).ThenBy(o => o.Id).ToListAsync(ct);
            if (reveal && rows.Any(o => o.ContactName is not null || o.ContactPhone is not null))
            {
                // Seeing a resident's contact is recorded, as on a case (there: an event on the timeline).
                db.Record(await user.ActorAsync(ct), clock.GetUtcNow().UtcDateTime, "disclosure.objections-revealed", "disclosure:" + d.Id, unit: d.OrgUnitId);
                await db.SaveChangesAsync(ct);
            }
            return rows.Select(o => View(o, reveal)).ToList();
        }

        public async Task<ObjectionView> AnswerAsync(long objectionId, AnswerRequest request, CancellationToken ct)
        {
            var errors = new FieldErrors();
            RequestParsing.Printable(errors, texts, "answer", request.Answer);
            errors.ThrowIfAny();
            var o = await db.Set<DisclosureObjection>().FirstOrDefaultAsync(x => x.Id == objectionId, ct) ?? throw new NotFoundException("objection");
            await LoadAsync(o.DisclosureId, ct);
            o.AnswerWith(request.Answer!, (await user.ActorAsync(ct)).Name, clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
            return View(o, reveal: false);
        }

        /// <summary>The disclosure, tracked, when it lies in the caller's area (404 otherwise: another village's does not exist for them).</summary>
        private async Task<Disclosure> LoadAsync(long id, CancellationToken ct)
        {
            var d = await db.Set<Disclosure>().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("disclosure");
            var access = await user.AccessAsync(ct);
            if (!access.Can(Permission.Disclose, d.OrgUnitId, null))
            {
                throw access.CanSee(d.OrgUnitId, null) ? new ForbiddenException() : new NotFoundException("disclosure");
            }
            return d;
        }

        private static ObjectionView View(DisclosureObjection o, bool reveal) => new(
            o.Id, o.Reference, o.DisclosureId, o.Text, o.SubmittedAt,
            reveal ? o.ContactName : o.ContactName is null ? null : PersonalData.MaskName(o.ContactName),
            reveal ? o.ContactPhone : PersonalData.MaskPhone(o.ContactPhone),
            reveal, o.Status.ToString(), o.Answer, o.AnsweredAt, o.AnsweredBy);
    }

    public static async Task<Ok<IReadOnlyList<DisclosureView>>> ListEndpoint(string? unit, string? kind, bool? open, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.ListAsync(new ListQuery(unit, kind, open), ct));

    public static async Task<Ok<DisclosureView>> GetEndpoint(long id, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.GetAsync(id, ct));

    public static async Task<Ok<DisclosureView>> WithdrawEndpoint(long id, WithdrawRequest? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.WithdrawAsync(id, request ?? new WithdrawRequest(null), ct));

    public static async Task<Ok<IReadOnlyList<ObjectionView>>> ObjectionsEndpoint(long id, bool? reveal, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.ObjectionsAsync(id, reveal == true, ct));

    public static async Task<Ok<ObjectionView>> AnswerEndpoint(long id, AnswerRequest? request, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.AnswerAsync(id, request ?? new AnswerRequest(null), ct));
}
