using System.Text;
using System.Globalization;
using System.Text.RegularExpressions;
using Taizhang.Domain.Cases;
using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Disclosures;

/// <summary>
/// 公示 (the 两公开 of 四议两公开): a decision, and later the result of carrying it out, posted on a
/// village's (or the town's) public notice board for a disclosure period, during which residents may
/// object. The wording is the staff's, written for the public: it never carries a resident's name or
/// phone number (a mobile number is refused outright; names cannot be recognised, so the form says so).
/// </summary>
public sealed partial class Disclosure
{
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 4000;
    public const int ReasonMaxLength = 1000;
    public const int NameMaxLength = 50;

    private Disclosure()
    {
        Title = Body = PublishedBy = string.Empty;
    }

    public long Id { get; private set; }
    public long TownId { get; private set; }

    /// <summary>The village or community (or town) whose notice board it is on.</summary>
    public long OrgUnitId { get; private set; }
    public DisclosureKind Kind { get; private set; }
    public long? CaseId { get; private set; }
    public long? MeetingId { get; private set; }
    public int? AgendaItemSeq { get; private set; }
    public string Title { get; private set; }

    /// <summary>The public wording.</summary>
    public string Body { get; private set; }

    /// <summary>UTC.</summary>
    public DateTime PublishedAt { get; private set; }

    /// <summary>First day of the disclosure period (local date of the town, inclusive).</summary>
    public DateOnly From { get; private set; }

    /// <summary>Last day of the disclosure period (inclusive).</summary>
    public DateOnly Until { get; private set; }

    /// <summary>Who published it (display name of the staff member).</summary>
    public string PublishedBy { get; private set; }
    public DateTime? WithdrawnAt { get; private set; }
    public string? WithdrawReason { get; private set; }

    public bool Withdrawn => WithdrawnAt is not null;

    /// <summary>Objections are taken on these days: the period, unless withdrawn.</summary>
    public bool IsOpen(DateOnly today) => !Withdrawn && From <= today && today <= Until;

    /// <summary>
    /// Publishes. <paramref name="today"/> is the town's local date: a period starts today or later
    /// (a back-dated notice was never on the board). The caller has checked that the decision or
    /// result exists (a confirmed meeting's outcome, a case's plan or result).
    /// </summary>
    public static Disclosure Publish(long townId, long orgUnitId, DisclosureKind kind, long? caseId, long? meetingId, int? agendaItemSeq,
        string title, string body, DateOnly from, DateOnly until, DateOnly today, string publishedBy, DateTime now)
    {
        RequireText(title, TitleMaxLength, "title");
        RequireText(body, BodyMaxLength, "body");
        RefusePhone(title, "title");
        RefusePhone(body, "body");
        if (now.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(now));
        }
        if (caseId is null && meetingId is null)
        {
            throw new DomainRuleException("disclosure.nothing-disclosed", "A disclosure is of a case or a meeting's decision.");
        }
        if (kind == DisclosureKind.Result && caseId is null)
        {
            throw new DomainRuleException("disclosure.result-needs-case", "An implementation result is a case's result.");
        }
        if ((meetingId is null) != (agendaItemSeq is null))
        {
            throw new ArgumentException("A meeting's decision names its agenda item.", nameof(agendaItemSeq));
        }
        if (from < today)
        {
            throw new DomainRuleException("disclosure.from-past", "The disclosure period cannot start in the past.", field: "from");
        }
        if (until < from)
        {
            throw new DomainRuleException("case.disclosure-period", "The disclosure period ends before it starts.", field: "until");
        }
        return new Disclosure
        {
            TownId = townId,
            OrgUnitId = orgUnitId,
            Kind = kind,
            CaseId = caseId,
            MeetingId = meetingId,
            AgendaItemSeq = agendaItemSeq,
            Title = title.Trim(),
            Body = body.Trim(),
            From = from,
            Until = until,
            PublishedAt = now,
            PublishedBy = publishedBy,
        };
    }

    /// <summary>撤回: taken off the board (a mistake, a decision overturned); the reason is kept and shown to staff.</summary>
    public void Withdraw(string reason, DateTime now)
    {
        if (Withdrawn)
        {
            throw new DomainRuleException("disclosure.withdrawn", "The disclosure was already withdrawn.");
        }
        RequireText(reason, ReasonMaxLength, "reason");
        WithdrawnAt = now;
        WithdrawReason = reason.Trim();
    }

    /// <summary>A resident's objection (异议), taken only during the period.</summary>
    public DisclosureObjection Object(string text, string? contactName, string? contactPhone, bool consent, DateOnly today, DateTime now)
    {
        if (!IsOpen(today))
        {
            throw new DomainRuleException("disclosure.closed", "Objections are taken only during the disclosure period.",
                new Dictionary<string, string>
                {
                    ["from"] = From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["until"] = Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                });
        }
        RequireText(text, DisclosureObjection.TextMaxLength, "text");
        OptionalText(contactName, NameMaxLength, "name");
        OptionalText(contactPhone, 20, "phone");
        var name = string.IsNullOrWhiteSpace(contactName) ? null : contactName.Trim();
        var phone = string.IsNullOrWhiteSpace(contactPhone) ? null : contactPhone.Trim();
        if ((name is not null || phone is not null) && !consent)
        {
            throw new DomainRuleException("disclosure.contact-consent", "Contact details are kept only with consent.", field: "consent");
        }
        return new DisclosureObjection(this, text.Trim(), name, phone, now);
    }

    /// <summary>
    /// Whether the text holds what looks like a mainland mobile number (11 digits from 1, up to two
    /// spaces, dashes or dots between them, with or without +86 before): read after compatibility
    /// normalisation, so full-width digits (１３９…) and full-width spaces count as ordinary ones.
    /// </summary>
    public static bool ContainsPhone(string? text) => text is not null && MobileNumber().IsMatch(text.Normalize(NormalizationForm.FormKC));

    /// <summary>
    /// A text of the staff's shown on the public page beside a notice (a meeting's name): unchanged
    /// without a phone number; with one, compatibility-normalised and every number replaced by asterisks.
    /// </summary>
    public static string WithoutPhones(string text) => ContainsPhone(text)
        ? MobileNumber().Replace(text.Normalize(NormalizationForm.FormKC), m => new string('*', m.Length))
        : text;

    private static void RefusePhone(string text, string field)
    {
        if (ContainsPhone(text))
        {
            throw new DomainRuleException("disclosure.phone-in-text",
                "A public notice carries no phone numbers: remove the number (and any name) of residents.", field: field);
        }
    }

    [GeneratedRegex(@"(?<![0-9])(?:\+?86[\s\-.]{0,2})?1[3-9](?:[\s\-.]{0,2}[0-9]){9}(?![0-9])")]
    private static partial Regex MobileNumber();
}

public enum ObjectionStatus
{
    /// <summary>已登记: waiting for the staff's answer.</summary>
    Recorded,
    /// <summary>已答复.</summary>
    Answered,
}

/// <summary>
/// 异议: what a resident said against a disclosure during its period. The contact details are
/// personal data: kept only with consent, masked for staff, never shown publicly.
/// </summary>
public sealed class DisclosureObjection
{
    public const int TextMaxLength = 1000;
    public const int AnswerMaxLength = 2000;

    private DisclosureObjection()
    {
        Text = string.Empty;
    }

    internal DisclosureObjection(Disclosure disclosure, string text, string? name, string? phone, DateTime now)
    {
        DisclosureId = disclosure.Id;
        TownId = disclosure.TownId;
        Text = text;
        ContactName = name;
        ContactPhone = phone;
        ContactConsent = name is not null || phone is not null;
        SubmittedAt = now;
        Status = ObjectionStatus.Recorded;
    }

    public long Id { get; private set; }
    public long DisclosureId { get; private set; }
    public long TownId { get; private set; }
    public string Text { get; private set; }
    public DateTime SubmittedAt { get; private set; }
    public string? ContactName { get; private set; }
    public string? ContactPhone { get; private set; }
    public bool ContactConsent { get; private set; }
    public ObjectionStatus Status { get; private set; }
    public string? Answer { get; private set; }
    public DateTime? AnsweredAt { get; private set; }
    public string? AnsweredBy { get; private set; }

    /// <summary>What the resident is given to quote: 异议 YY000123.</summary>
    public string Reference => ReferenceOf(Id);

    public static string ReferenceOf(long id) => "YY" + id.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The staff's answer (recorded again to correct it; the time is the latest).</summary>
    public void AnswerWith(string answer, string by, DateTime now)
    {
        RequireText(answer, AnswerMaxLength, "answer");
        Answer = answer.Trim();
        AnsweredBy = by;
        AnsweredAt = now;
        Status = ObjectionStatus.Answered;
    }
}
