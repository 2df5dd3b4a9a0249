using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Disclosures;

/// <summary>
/// 公示: put a decision (of a case, or of a meeting's agenda item) or a case's implementation result on
/// the village's public page for the disclosure period. What is disclosed must exist: a decision is an
/// agenda item's outcome on a meeting whose minutes are confirmed (or published), or a case's recorded
/// deliberation outcome or plan; a result is a case resolved (or followed up), or a plan step completed.
/// <para>
/// The case's <c>Disclose</c> event names the disclosure's id, so the row is inserted first and the
/// event appended after, in one transaction: the disclosure and the case's event are saved together or
/// not at all (no pre-allocated ids: SQLite has no sequences).
/// </para>
/// </summary>
public static class PublishDisclosure
{
    /// <param name="Kind">Decision or Result (the case route; a meeting's is a Decision).</param>
    /// <param name="From">yyyy-MM-dd, default today (Asia/Shanghai).</param>
    /// <param name="Until">yyyy-MM-dd, default From + Consultation:DisclosureDays − 1.</param>
    public sealed record Request(string? Kind, string? Title, string? Body, string? From = null, string? Until = null);

    /// <summary>What the publish form is pre-filled with; <see cref="Problem"/> says why it cannot be published now.</summary>
    public sealed record Draft(DisclosureKind Kind, string Title, string Body, DateOnly From, DateOnly Until, string UnitName,
        long? CaseId, string? CaseTrackingCode, long? MeetingId, int? AgendaItemSeq, string? MeetingTitle, string? Problem);

    public sealed class Handler(
        TaizhangDb db, CaseWorkbench work, CurrentUser user, OrgDirectory org, DuePolicy due, TimeProvider clock, Texts texts,
        DisclosureOptions options, DisclosureReader reader)
    {
        private DateOnly Today => due.LocalDate(clock.GetUtcNow().UtcDateTime);

        public async Task<DisclosureView> ForCaseAsync(long caseId, Request request, CancellationToken ct)
        {
            long id = 0;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await work.ChangeAsync(caseId, CaseAction.Disclose, async c =>
            {
                // Checked after scope and permission (the workbench), as every case action's input is.
                var errors = c.Errors;
                var kind = RequestParsing.Enum<DisclosureKind>(errors, texts, "kind", request.Kind, required: true);
                var (from, until) = Period(errors, request);
                CheckTexts(errors, request);
                errors.ThrowIfAny();
                var (meetingId, seq) = kind == DisclosureKind.Decision ? await CaseDecisionAsync(c.Case, ct) : (null, null);
                if (kind == DisclosureKind.Result)
                {
                    await RequireResultAsync(c.Case, ct);
                }
                var board = DisclosureReader.BoardOf(c.Units.UnitsById[c.Case.OrgUnitId], c.Units);
                var d = Disclosure.Publish(c.Case.TownId, board.Id, kind!.Value, c.Case.Id, meetingId, seq, request.Title!, request.Body!,
                    from!.Value, until!.Value, due.LocalDate(c.At), c.By.Name, c.At);
                db.Add(d);
                // The row's id for the case's event: inserted now, committed with the event below.
                await db.SaveChangesAsync(ct);
                id = d.Id;
                c.Case.Disclose(d.Id, d.Kind, d.From, d.Until, c.By, c.At);
            }, ct);
            await tx.CommitAsync(ct);
            return await reader.OneAsync(id, Today, ct);
        }

        public async Task<DisclosureView> ForMeetingAsync(long meetingId, int seq, Request request, CancellationToken ct)
        {
            var errors = new FieldErrors();
            if (!string.IsNullOrWhiteSpace(request.Kind))
            {
                var kind = RequestParsing.Enum<DisclosureKind>(errors, texts, "kind", request.Kind);
                if (kind is DisclosureKind.Result)
                {
                    errors.Add("kind", texts["disclosure.meeting-is-decision"]);
                }
            }
            var (meeting, item) = await DecisionAsync(meetingId, seq, ct);
            var (from, until) = Period(errors, request);
            CheckTexts(errors, request);
            errors.ThrowIfAny();
            var units = await org.GetAsync(ct);
            var board = DisclosureReader.BoardOf(units.UnitsById[meeting.OrgUnitId], units);
            var by = await user.ActorAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            long id = 0;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var d = Disclosure.Publish(meeting.TownId, board.Id, DisclosureKind.Decision, item.CaseId, meeting.Id, item.Seq,
                request.Title!, request.Body!, from!.Value, until!.Value, due.LocalDate(now), by.Name, now);
            db.Add(d);
            await db.SaveChangesAsync(ct);
            id = d.Id;
            if (item.CaseId is { } caseId)
            {
                // The linked topic's timeline says so, in the same transaction.
                await work.ChangeAsync(caseId, CaseAction.Disclose, c => c.Case.Disclose(id, d.Kind, d.From, d.Until, c.By, c.At), ct);
            }
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
            return await reader.OneAsync(id, Today, ct);
        }

        /// <summary>The publish form for a case: pre-filled with the case's public wording (never its internal result or its reporters).</summary>
        public async Task<Draft> DraftForCaseAsync(long caseId, DisclosureKind kind, CancellationToken ct)
        {
            var @case = await work.LoadAsync(caseId, ct) ?? throw new NotFoundException("case");
            await work.AuthorizeAsync(@case, CaseAction.Disclose, ct);
            var units = await org.GetAsync(ct);
            var board = DisclosureReader.BoardOf(units.UnitsById[@case.OrgUnitId], units);
            string? problem = null;
            string body = "";
            long? meetingId = null;
            int? seq = null;
            string? meetingTitle = null;
            try
            {
                if (!@case.AvailableActions.Contains(CaseAction.Disclose))
                {
                    throw new DomainRuleException("case.illegal-transition", "");
                }
                if (kind == DisclosureKind.Decision)
                {
                    (meetingId, seq) = await CaseDecisionAsync(@case, ct);
                    var outcome = meetingId is { } m
                        ? await db.Meetings.Where(x => x.Id == m).SelectMany(x => x.Agenda).Where(a => a.Seq == seq)
                            .Select(a => a.OutcomeText).FirstOrDefaultAsync(ct)
                        : null;
                    meetingTitle = meetingId is { } mm ? await db.Meetings.Where(x => x.Id == mm).Select(x => x.Title).FirstOrDefaultAsync(ct) : null;
                    body = outcome ?? @case.HandlingPlan ?? "";
                }
                else
                {
                    await RequireResultAsync(@case, ct);
                    body = @case.PublicReply ?? "";
                }
            }
            catch (DomainRuleException e)
            {
                problem = e.Code == "case.illegal-transition" ? texts["disclosure.case-not-now"] : texts.Rule(e);
            }
            var (from, until) = DefaultPeriod();
            return new Draft(kind, @case.Title, Disclosure.ContainsPhone(body) ? "" : body, from, until, board.Name, @case.Id, @case.TrackingCode,
                meetingId, seq, meetingTitle, problem);
        }

        /// <summary>The publish form for a meeting's agenda item, pre-filled with the item's outcome in words.</summary>
        public async Task<Draft> DraftForMeetingAsync(long meetingId, int seq, CancellationToken ct)
        {
            var meeting = await db.Meetings.AsNoTracking().Include(m => m.Agenda).FirstOrDefaultAsync(m => m.Id == meetingId, ct)
                ?? throw new NotFoundException("meeting");
            await AuthorizeMeetingAsync(meeting, ct);
            var units = await org.GetAsync(ct);
            var board = DisclosureReader.BoardOf(units.UnitsById[meeting.OrgUnitId], units);
            var item = meeting.Agenda.FirstOrDefault(a => a.Seq == seq) ?? throw new NotFoundException("agenda item");
            string? problem = null;
            try
            {
                CheckDecision(meeting, item);
            }
            catch (DomainRuleException e)
            {
                problem = texts.Rule(e);
            }
            var code = item.CaseId is { } c ? await db.Cases.Where(x => x.Id == c).Select(x => x.TrackingCode).FirstOrDefaultAsync(ct) : null;
            var (from, until) = DefaultPeriod();
            var body = item.OutcomeText ?? "";
            return new Draft(DisclosureKind.Decision, item.Title, Disclosure.ContainsPhone(body) ? "" : body, from, until, board.Name,
                item.CaseId, code, meeting.Id, item.Seq, meeting.Title, problem);
        }

        private (DateOnly From, DateOnly Until) DefaultPeriod() => (Today, Today.AddDays(options.DisclosureDays - 1));

        private (DateOnly? From, DateOnly? Until) Period(FieldErrors errors, Request request)
        {
            var from = RequestParsing.Date(errors, texts, "from", request.From);
            var until = RequestParsing.Date(errors, texts, "until", request.Until);
            if (errors.Any)
            {
                return (null, null);
            }
            var f = from ?? Today;
            return (f, until ?? f.AddDays(options.DisclosureDays - 1));
        }

        private void CheckTexts(FieldErrors errors, Request request)
        {
            RequestParsing.Printable(errors, texts, "title", request.Title);
            RequestParsing.Printable(errors, texts, "body", request.Body);
            if (string.IsNullOrWhiteSpace(request.Title))
            {
                errors.Add("title", texts["field.required"]);
            }
            if (string.IsNullOrWhiteSpace(request.Body))
            {
                errors.Add("body", texts["field.required"]);
            }
        }

        private async Task AuthorizeMeetingAsync(Meeting meeting, CancellationToken ct)
        {
            var access = await user.AccessAsync(ct);
            if (!access.Can(Permission.Disclose, meeting.OrgUnitId, null))
            {
                throw access.CanSee(meeting.OrgUnitId, null) ? new ForbiddenException() : new NotFoundException("meeting");
            }
        }

        private async Task<(Meeting Meeting, AgendaItem Item)> DecisionAsync(long meetingId, int seq, CancellationToken ct)
        {
            var meeting = await db.Meetings.AsNoTracking().Include(m => m.Agenda).FirstOrDefaultAsync(m => m.Id == meetingId, ct)
                ?? throw new NotFoundException("meeting");
            await AuthorizeMeetingAsync(meeting, ct);
            var item = meeting.Agenda.FirstOrDefault(a => a.Seq == seq) ?? throw new NotFoundException("agenda item");
            CheckDecision(meeting, item);
            return (meeting, item);
        }

        private static void CheckDecision(Meeting meeting, AgendaItem item)
        {
            if (meeting.Status is not (MeetingStatus.MinutesConfirmed or MeetingStatus.Published))
            {
                throw new DomainRuleException("disclosure.minutes-not-confirmed",
                    "A meeting's decision is made public once its minutes are confirmed.", field: "meeting");
            }
            if (item.OutcomeKind is null or AgendaOutcomeKind.Deferred)
            {
                throw new DomainRuleException("disclosure.no-decision", "The agenda item has no decision to make public.", field: "item");
            }
        }

        /// <summary>
        /// A case's decision: its latest deliberation outcome (not deferred), linked to its meeting when
        /// that meeting's minutes are confirmed; else its handling plan.
        /// </summary>
        private async Task<(long? MeetingId, int? Seq)> CaseDecisionAsync(Case @case, CancellationToken ct)
        {
            var payloads = await db.CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == @case.Id && e.Action == CaseAction.DeliberationOutcome)
                .OrderByDescending(e => e.Sequence).Select(e => e.Payload).ToListAsync(ct);
            foreach (var payload in payloads)
            {
                if (payload is null)
                {
                    continue;
                }
                using var doc = JsonDocument.Parse(payload);
                var p = doc.RootElement;
                if (Str(p, "kind") is { } k && (k == nameof(DeliberationOutcomeKind.Deferred) || k == ((int)DeliberationOutcomeKind.Deferred).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    continue;
                }
                if (p.TryGetProperty("meetingId", out var m) && m.TryGetInt64(out var meetingId)
                    && p.TryGetProperty("item", out var i) && i.TryGetInt32(out var seq))
                {
                    var confirmed = await db.Meetings.AnyAsync(x => x.Id == meetingId
                        && (x.Status == MeetingStatus.MinutesConfirmed || x.Status == MeetingStatus.Published), ct);
                    if (confirmed)
                    {
                        return (meetingId, seq);
                    }
                }
                if (@case.HandlingPlan is null)
                {
                    throw new DomainRuleException("disclosure.minutes-not-confirmed",
                        "A meeting's decision is made public once its minutes are confirmed.", field: "kind");
                }
                return (null, null);
            }
            if (@case.HandlingPlan is null)
            {
                throw new DomainRuleException("disclosure.no-decision", "The case has no decision to make public yet.", field: "kind");
            }
            return (null, null);
        }

        private async Task RequireResultAsync(Case @case, CancellationToken ct)
        {
            if (@case.Status is CaseStatus.Resolved or CaseStatus.FollowedUp)
            {
                return;
            }
            var payloads = await db.CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == @case.Id && e.Action == CaseAction.PlanProgress).Select(e => e.Payload).ToListAsync(ct);
            foreach (var payload in payloads)
            {
                if (payload is null)
                {
                    continue;
                }
                using var doc = JsonDocument.Parse(payload);
                if (doc.RootElement.TryGetProperty("completed", out var done) && done.ValueKind == JsonValueKind.True)
                {
                    return;
                }
            }
            throw new DomainRuleException("disclosure.no-result", "There is no result yet: the case is not resolved and no plan step is completed.", field: "kind");
        }

        private static string? Str(JsonElement p, string name) => p.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString()
            : null;
    }

    public static async Task<Created<DisclosureView>> CaseEndpoint(long id, Request? request, Handler handler, CancellationToken ct)
    {
        var view = await handler.ForCaseAsync(id, request ?? new Request(null, null, null), ct);
        return TypedResults.Created($"/api/v1/disclosures/{view.Id}", view);
    }

    public static async Task<Created<DisclosureView>> MeetingEndpoint(long id, int seq, Request? request, Handler handler, CancellationToken ct)
    {
        var view = await handler.ForMeetingAsync(id, seq, request ?? new Request(null, null, null), ct);
        return TypedResults.Created($"/api/v1/disclosures/{view.Id}", view);
    }
}
