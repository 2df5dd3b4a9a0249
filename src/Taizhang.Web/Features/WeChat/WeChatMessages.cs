using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.WeChat;

/// <summary>
/// What a message to the official account does: a text registers a matter (or, when it is a tracking code,
/// answers with that matter's public progress); subscribing is welcomed with how to use the account and
/// the privacy notice; anything else is answered politely. Each message is recorded once
/// (<see cref="WeChatInbound"/>); the registration's Idempotency-Key ("wechat:" + MsgId) makes every retry
/// of a message answer with the same case and the same rating code.
/// </summary>
public static class WeChatMessages
{
    public const string ActorId = "public:wechat";

    /// <summary>The reply body: a passive text reply, or none ("success").</summary>
    public sealed record Reply(string? Text)
    {
        public static readonly Reply None = new((string?)null);

        public static Reply Failed(Texts texts, WeChatProtocol.Message m) =>
            m.MsgType == "text" ? new Reply(texts["wechat.reply.failed"]) : None;
    }

    /// <param name="IsQuery">The text was a tracking code: nothing was registered.</param>
    public sealed record Outcome(Reply Reply, long? CaseId = null, string? TrackingCode = null, string? RatingCode = null, bool IsQuery = false);

    /// <summary>The answer when handling outlives the reply window.</summary>
    public static Reply Pending(Texts texts, WeChatProtocol.Message m) =>
        m.MsgType == "text" ? new Reply(texts["wechat.reply.pending"]) : Reply.None;

    /// <summary>
    /// The documentation's advice on retries: messages by MsgId, events by FromUserName + CreateTime (here with
    /// the event's name). The sender is hashed: the table keeps no OpenID.
    /// </summary>
    public static string DedupeKey(WeChatProtocol.Message m) => m.MsgId is { } id
        ? "msg:" + id
        : string.Create(CultureInfo.InvariantCulture,
            $"{(m.IsEvent ? "event" : m.MsgType)}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(m.FromUserName)))[..32]}:{m.CreateTime}:{Truncate(m.Event ?? string.Empty, 40)}");

    /// <summary>Most characters of a title made from the message: its first sentence, cut here.</summary>
    public const int TitleLength = 30;

    public sealed class Handler(
        TaizhangDb db, CurrentUser user, RegisterCase.Handler register, TrackCase.Handler track, OrgDirectory org,
        WeChatOptions options, CalendarOptions calendar, TimeProvider clock, Texts texts, ILogger<Handler> log)
    {
        public async Task<Outcome> HandleAsync(WeChatProtocol.Message m, string key, CancellationToken ct)
        {
            var kind = m.IsEvent ? "event:" + Truncate(m.Event?.ToLowerInvariant() ?? string.Empty, 40) : Truncate(m.MsgType, 32);
            var content = m.Content?.Trim() ?? string.Empty;
            var registers = m.MsgType == "text" && content.Length > 0 && TrackingCodes.Normalize(content) is null;
            var first = await RecordAsync(key, kind, completed: !registers, ct);
            if (!first)
            {
                log.LogInformation("WeChat {Message} was received before: answered again", WeChatInbox.Describe(m));
            }
            if (m.IsEvent)
            {
                return new Outcome(m.Event?.ToLowerInvariant() switch
                {
                    "subscribe" => new Reply(texts.Format("wechat.reply.welcome", TrackUrl())),
                    // Unsubscribing, menu clicks, location reports …: nothing to say.
                    _ => Reply.None,
                });
            }
            if (m.MsgType != "text")
            {
                return new Outcome(new Reply(texts["wechat.reply.text-only"]));
            }
            if (content.Length == 0)
            {
                return new Outcome(new Reply(texts["wechat.reply.empty"]));
            }
            if (TrackingCodes.Normalize(content) is { } code)
            {
                return new Outcome(await StatusAsync(code, ct), IsQuery: true);
            }
            return await RegisterAsync(m, key, content, ct);
        }

        private async Task<Outcome> RegisterAsync(WeChatProtocol.Message m, string key, string content, CancellationToken ct)
        {
            await user.ActAsChannelAsync(Channel.WeChat, ActorId, texts["channel.WeChat"], ct);
            var request = new RegisterCase.Request(
                Channel: nameof(Channel.WeChat),
                Title: Cases.CaseTitles.FromDescription(content, TitleLength) ?? content.Trim(),
                Description: Truncate(content, Case.DescriptionMaxLength),
                // No name or phone: the reporter is the sender's OpenID. No consent is recorded: the account's
                // welcome text states the privacy notice, but nobody ticked a box.
                Reporter: null,
                OrgUnit: await OrgUnitAsync(ct),
                Category: null,
                Urgency: null,
                Location: null,
                ExternalRef: null,
                MeetingId: null,
                Anonymous: false,
                ContactConsent: false);
            RegisterCase.Outcome outcome;
            try
            {
                outcome = await register.HandleAsync(request, "wechat:" + (m.MsgId ?? key), m.FromUserName, ct);
            }
            catch (RequestValidationException e)
            {
                // Text the ledger cannot take (control characters); the resident can send it again in other words.
                log.LogInformation("WeChat {Message} refused by registration: {Fields}", WeChatInbox.Describe(m), string.Join(", ", e.Errors.Keys));
                await CompleteAsync(key, null, ct);
                return new Outcome(new Reply(texts["wechat.reply.invalid"]));
            }
            var c = outcome.Case;
            await CompleteAsync(key, c.Id, ct);
            log.LogInformation("WeChat {Message} registered as case {CaseId}{Repeat}", WeChatInbox.Describe(m), c.Id,
                outcome.Created ? string.Empty : " (a repeat)");
            var text = c.RatingCode is { } rating
                ? texts.Format("wechat.reply.registered", c.TrackingCode, RatingCodes.Display(rating), TrackUrl())
                : texts.Format("wechat.reply.registered-no-rating", c.TrackingCode, TrackUrl());
            return new Outcome(new Reply(text), c.Id, c.TrackingCode, c.RatingCode);
        }

        /// <summary>The matter's public progress, as the tracking page shows it: never names, texts or internal reasons.</summary>
        private async Task<Reply> StatusAsync(string code, CancellationToken ct)
        {
            TrackCase.Response c;
            try
            {
                c = await track.HandleAsync(code, ct);
            }
            catch (NotFoundException)
            {
                return new Reply(texts.Format("wechat.reply.track-unknown", code));
            }
            // The unit handling it now: the last assignment or transfer, else where it was registered.
            var unit = c.Timeline.LastOrDefault(e => e.Action is CaseAction.Assign or CaseAction.Transfer && e.Unit is not null)?.Unit ?? c.OrgUnit;
            var lines = new List<string>
            {
                texts.Format("wechat.reply.track-status", c.TrackingCode, texts["status." + c.Status]),
            };
            if (unit is not null)
            {
                lines.Add(texts.Format("wechat.reply.track-unit", unit));
            }
            lines.Add(texts.Format("wechat.reply.track-registered", Local(c.RegisteredAt)));
            if (c.ResolvedAt is { } resolved)
            {
                lines.Add(texts.Format("wechat.reply.track-resolved", Local(resolved)));
            }
            else
            {
                lines.Add(texts.Format("wechat.reply.track-due", c.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }
            lines.Add(texts.Format("wechat.reply.track-more", TrackUrl(c.TrackingCode)));
            return new Reply(string.Join("\n", lines));
        }

        private string Local(DateTime utc) =>
            TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZone)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private string TrackUrl(string? code = null) =>
            (options.PublicBaseUrl?.TrimEnd('/') ?? string.Empty) + "/track" + (code is null ? string.Empty : "/" + code);

        private async Task<string> OrgUnitAsync(CancellationToken ct)
        {
            if (!string.IsNullOrWhiteSpace(options.OrgUnit))
            {
                return options.OrgUnit.Trim();
            }
            var units = await org.GetAsync(ct);
            return units.Units.Where(u => u.Kind == OrgUnitKind.Town).OrderBy(u => u.Id).FirstOrDefault()?.Code
                ?? throw new UnavailableException();
        }

        /// <summary>Records the message; false when it was recorded before (a retry).</summary>
        private async Task<bool> RecordAsync(string key, string kind, bool completed, CancellationToken ct)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var row = new WeChatInbound { DedupeKey = key, Kind = kind, ReceivedAt = now, CompletedAt = completed ? now : null };
            db.Set<WeChatInbound>().Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.Entry(row).State = EntityState.Detached;
                return false;
            }
        }

        private Task CompleteAsync(string key, long? caseId, CancellationToken ct)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return db.Set<WeChatInbound>().Where(r => r.DedupeKey == key)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CaseId, caseId).SetProperty(r => r.CompletedAt, now), ct);
        }
    }

    private static string Truncate(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text[..max];
        return char.IsHighSurrogate(cut[^1]) ? cut[..^1] : cut;
    }
}
