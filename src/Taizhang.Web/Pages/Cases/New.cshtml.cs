using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Attachments;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Cases;

/// <summary>
/// 登记事项: registration at the desk for every channel a person enters by hand (来访, 干部走访, 会议点,
/// 信访转办, 上级转办, 民生平台, 电话), through the same handler as the API. A meeting's items are entered
/// in one sitting: after each one the form comes back with the meeting, the village and the channel
/// kept, and lists what this sitting registered. The sitting's case ids (never a resident's data)
/// travel in the URL and the form, so it works without JavaScript and survives a reload.
/// </summary>
[Requires(Permission.Register)]
[UploadEndpoint(Files = MaxFiles)]
public sealed class NewModel(GetIntakeChoices.Handler choices, Texts texts, AttachmentOptions attachmentOptions) : StaffPage
{
    /// <summary>How many of a sitting's cases the page carries from one item to the next.</summary>
    public const int SittingLimit = 100;

    /// <summary>Photos and documents one registration may carry (each up to Attachments:MaxBytes).</summary>
    public const int MaxFiles = 3;

    public string MaxAttachmentSize => AttachmentOptions.Megabytes(attachmentOptions.MaxBytes);

    [BindProperty]
    public string? Channel { get; set; }

    /// <summary>The meeting picked, as posted (a number when it is one).</summary>
    [BindProperty]
    public string? Meeting { get; set; }

    [BindProperty]
    public string? OrgUnit { get; set; }

    /// <summary>The resident agreed to progress SMS and to the processing of their personal information (PIPL).</summary>
    [BindProperty]
    public string? ContactConsent { get; set; }

    public bool Consented => ContactConsent is "true" or "on";

    /// <summary>仍然登记为新事项: registered although likely duplicates were shown.</summary>
    [BindProperty]
    public string? ConfirmNew { get; set; }

    /// <summary>The likely duplicates that stopped this submit (none: registered, or nothing like it).</summary>
    public IReadOnlyList<SuggestDuplicates.Suggestion> Duplicates { get; private set; } = [];

    public Shared.LikelyDuplicatesPanel DuplicatesPanel => new(Duplicates, Duplicates.Count > 0, false, "case-form", FilesDropped);

    /// <summary>匿名 ticked: the resident asked not to be named.</summary>
    [BindProperty]
    public string? Anonymous { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Urgency { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>The Idempotency-Key of this form: made when the form is shown, so a resubmit replays the same case.</summary>
    [BindProperty]
    public string? Key { get; set; }

    /// <summary>The cases registered so far in this sitting (ids, comma-separated).</summary>
    [BindProperty]
    public string? Sitting { get; set; }

    /// <summary>Files were chosen on a submit the likely duplicates stopped: they must be chosen again.</summary>
    public bool FilesDropped { get; private set; }

    public bool IsAnonymous => Anonymous is not null && (Anonymous.Equals("true", StringComparison.OrdinalIgnoreCase) || Anonymous == "on");

    /// <summary>The channels offered, in the desk's order.</summary>
    public static IReadOnlyList<Channel> Channels => Domain.Cases.Channels.EnteredByStaff;

    public IReadOnlyList<GetIntakeChoices.UnitOption> Units { get; private set; } = [];

    public IReadOnlyList<CategoryInfo> Categories { get; private set; } = [];

    public IReadOnlyList<GetIntakeChoices.MeetingOption> Meetings { get; private set; } = [];

    /// <summary>This sitting's cases from the chosen meeting, in the order registered.</summary>
    public IReadOnlyList<GetIntakeChoices.Registered> SittingCases { get; private set; } = [];

    /// <summary>The case just registered, shown once after the redirect.</summary>
    public string? RegisteredCode { get; private set; }

    public string? RegisteredCaseId { get; private set; }

    /// <summary>The 评价码 of the case just registered, given to the resident with the tracking code: shown this once only.</summary>
    public string? RegisteredRatingCode { get; private set; }

    // Set through the dictionary, not [TempData] properties: a replayed post (double submit) sets
    // the same value the request loaded, which a property would treat as unchanged and drop.
    private const string CodeKey = "desk.registered-code";
    private const string CaseIdKey = "desk.registered-id";
    private const string RatingCodeKey = "desk.rating-code";

    /// <summary>
    /// GET /cases/new: an empty form; after a meeting's item, the form for the next one with
    /// <paramref name="channel"/>, <paramref name="meeting"/> and <paramref name="orgUnit"/> kept and
    /// <paramref name="sitting"/> listing what was registered. Nothing else is read from the URL.
    /// </summary>
    public async Task<IActionResult> OnGetAsync(string? channel, string? meeting, string? orgUnit, string? sitting, CancellationToken ct)
    {
        await PrepareAsync(ct);
        RegisteredCode = TempData[CodeKey] as string;
        RegisteredCaseId = TempData[CaseIdKey] as string;
        RegisteredRatingCode = TempData[RatingCodeKey] as string;
        Channel = Channels.Where(c => string.Equals(c.ToString(), channel, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.ToString()).FirstOrDefault();
        Meeting = MeetingId(meeting) is { } m && Meetings.Any(x => x.Id == m) ? meeting : null;
        OrgUnit = Units.FirstOrDefault(u => string.Equals(u.Code, orgUnit, StringComparison.OrdinalIgnoreCase))?.Code
            ?? (Units.Count == 1 ? Units[0].Code : null);
        Sitting = Meeting is null ? null : string.Join(',', SittingIds(sitting));
        Urgency = nameof(Domain.Cases.Urgency.Normal);
        Key = Guid.NewGuid().ToString("N");
        await LoadSittingAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] RegisterCase.Handler register,
        [FromServices] AttachmentIntake intake, [FromServices] AddAttachment.Handler attach, [FromServices] SuggestDuplicates.Handler suggest, CancellationToken ct)
    {
        await PrepareAsync(ct);
        // Likely duplicates stop the submit once (before the files are read): the form comes back as typed, with
        // them and the box to register anyway. A browser cannot keep chosen files, so the message says so.
        Duplicates = await suggest.BeforeRegisterAsync(new SuggestDuplicates.Draft(Title, Description, OrgUnit, Phone),
            Shared.LikelyDuplicates.Confirmed(ConfirmNew), Key, ct);
        if (Duplicates.Count > 0)
        {
            FilesDropped = Request.HasFormContentType && Request.Form.Files.GetFiles("files").Any(f => f.Length > 0);
            Key = string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString("N") : Key;
            await LoadSittingAsync(ct);
            return Page();
        }
        // The files are checked (type by content, size, images re-encoded) before anything is
        // registered: a refused file registers nothing, and the message is next to the file input.
        var files = Request.HasFormContentType ? Request.Form.Files.GetFiles("files").Where(f => f.Length > 0 || f.FileName.Length > 0).ToList() : [];
        var prepared = new List<PreparedAttachment>();
        try
        {
            if (files.Count > MaxFiles)
            {
                ModelState.AddModelError("Files", texts.Format("desk.files-too-many", MaxFiles));
            }
            else
            {
                foreach (var file in files)
                {
                    if (!await TryAsync(async () => prepared.Add(await intake.PrepareAsync(file, "files", ct))))
                    {
                        break;
                    }
                }
            }
            return await RegisterAsync(register, attach, prepared, ct);
        }
        finally
        {
            foreach (var p in prepared)
            {
                p.Dispose();
            }
        }
    }

    private async Task<IActionResult> RegisterAsync(RegisterCase.Handler register, AddAttachment.Handler attach, List<PreparedAttachment> files, CancellationToken ct)
    {
        Key = string.IsNullOrWhiteSpace(Key) ? Guid.NewGuid().ToString("N") : Key;
        var atMeeting = string.Equals(Channel?.Trim(), nameof(Domain.Cases.Channel.Meeting), StringComparison.OrdinalIgnoreCase);
        var request = new RegisterCase.Request(
            Channel, Title, Description, Reporter(), OrgUnit, Category, Urgency,
            string.IsNullOrWhiteSpace(Address) ? null : new RegisterCase.LocationBody(null, null, Address),
            ExternalRef: null,
            // The picker is on the form whatever the channel (without JavaScript it cannot hide): it counts only for 会议点.
            MeetingId: atMeeting ? MeetingId(Meeting) : null,
            Anonymous: IsAnonymous,
            ContactConsent: Consented);
        if (atMeeting && !string.IsNullOrWhiteSpace(Meeting) && MeetingId(Meeting) is null)
        {
            ModelState.AddModelError("MeetingId", texts["desk.field.meeting-choose"]);
        }
        // The form was sent again with different content: another item only if the clerk says so.
        var outcome = ModelState.IsValid
            ? await TryRegisterAsync(register, request, Key, texts["desk.key-reused"], () => Key = Guid.NewGuid().ToString("N"), ct)
            : null;
        if (outcome is null)
        {
            if (Response.StatusCode < 400)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            await LoadSittingAsync(ct);
            return Page();
        }
        var registered = outcome.Case;
        // A replayed submit (the same key) found the case the first one made, with its files.
        if (outcome.Created)
        {
            foreach (var file in files)
            {
                // The case exists now (intake commits it on its own); a file refused at this point
                // (the case left the registrar's hands in the meantime) is said, not lost silently.
                try
                {
                    await attach.AddAsync(registered.Id, file, AttachmentKind.Registration, ct);
                }
                catch (Exception e) when (e is Domain.DomainRuleException or RequestValidationException or ForbiddenException or NotFoundException)
                {
                    Notice = texts.Format("desk.file-not-attached", file.FileName);
                }
            }
        }
        TempData[CodeKey] = registered.TrackingCode;
        TempData[CaseIdKey] = registered.Id.ToString(CultureInfo.InvariantCulture);
        // In the (encrypted) TempData cookie until the next page shows it once; a replayed double submit derives the same code.
        TempData[RatingCodeKey] = registered.RatingCode;
        if (!atMeeting)
        {
            return LocalRedirect("/cases/new");
        }
        // 登记下一条: the same meeting, village and channel; the sitting grows by this case (once, even when replayed).
        var ids = SittingIds(Sitting).Append(registered.Id).Distinct().TakeLast(SittingLimit);
        return LocalRedirect(QueryString.Create(new Dictionary<string, string?>
        {
            ["channel"] = nameof(Domain.Cases.Channel.Meeting),
            ["meeting"] = MeetingId(Meeting)!.Value.ToString(CultureInfo.InvariantCulture),
            ["orgUnit"] = OrgUnit?.Trim(),
            ["sitting"] = string.Join(',', ids),
        }).ToUriComponent().Insert(0, "/cases/new"));
    }

    /// <summary>
    /// The reporter as the handler takes it. Anonymous: no name, the phone if one was left. 来访: the
    /// resident is at the desk, so the reporter is always sent and the handler asks for the name
    /// unless 匿名 is ticked. Other channels may come without anyone to name.
    /// </summary>
    private RegisterCase.ReporterBody? Reporter()
    {
        if (IsAnonymous)
        {
            return new RegisterCase.ReporterBody(Name, Phone);
        }
        var walkIn = string.Equals(Channel?.Trim(), nameof(Domain.Cases.Channel.WalkIn), StringComparison.OrdinalIgnoreCase);
        return walkIn || !string.IsNullOrWhiteSpace(Name) || !string.IsNullOrWhiteSpace(Phone)
            ? new RegisterCase.ReporterBody(Name, Phone)
            : null;
    }

    /// <summary>Messages that belong to no field on the form (a reused key, the intake queue being full …).</summary>
    public IEnumerable<string> OtherErrors() => ModelState
        .Where(kv => !FormFields.Contains(kv.Key))
        .SelectMany(kv => kv.Value!.Errors.Select(e => e.ErrorMessage))
        .Where(m => !string.IsNullOrEmpty(m));

    /// <summary>The form's fields by the handler's names for them (as <see cref="StaffPage.TryAsync"/> files the messages).</summary>
    public static readonly string[] FieldOrder =
    [
        "Channel", "MeetingId", "OrgUnit", "Reporter.Name", "Reporter.Phone", "Location.Address", "Category", "Urgency", "Title", "Description", "Files",
    ];

    private static readonly HashSet<string> FormFields = new(FieldOrder.Concat(
    [
        "Meeting", "Anonymous", "ContactConsent", "ConfirmNew", "Name", "Phone", "Address", "Key", "Sitting", "Reporter", "Location", "Files",
    ]), StringComparer.OrdinalIgnoreCase);

    private static long? MeetingId(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static IEnumerable<long> SittingIds(string? value) => (value ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : 0)
        .Where(id => id > 0)
        .Distinct()
        .TakeLast(SittingLimit);

    private async Task LoadSittingAsync(CancellationToken ct)
    {
        var ids = SittingIds(Sitting).ToList();
        SittingCases = MeetingId(Meeting) is { } meeting && ids.Count > 0 ? await choices.SittingAsync(meeting, ids, ct) : [];
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        var offered = await choices.HandleAsync(ct, meetings: true);
        Units = offered.Units;
        Categories = offered.Categories;
        Meetings = offered.Meetings;
    }
}
