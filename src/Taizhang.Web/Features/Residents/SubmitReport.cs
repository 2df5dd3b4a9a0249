using System.Globalization;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Attachments;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Residents;

/// <summary>
/// 我要反映: a resident's matter from the public web form (电子平台), registered through the ordinary
/// <see cref="RegisterCase.Handler"/> as the web channel itself. Before anything is read or stored:
/// the address's hourly bucket, the honeypot, the proof of work; then the files are checked (images
/// re-encoded without their metadata) before the case is registered, so a refused file registers
/// nothing. Refusals are field errors ("form" for what belongs to no field) or
/// <see cref="TooManyRequestsException"/>; nothing is stored for any of them.
/// </summary>
public static class SubmitReport
{
    public const string ActorId = "public:web";

    public const string ActorName = "电子平台";

    /// <summary>The field errors that belong to no one field of the form.</summary>
    public const string FormField = "form";

    public const string FilesField = "files";

    public sealed record Request(
        string? OrgUnit,
        string? Category,
        string? Description,
        string? Address,
        string? Name,
        string? Phone,
        bool Anonymous,
        bool Consent,
        string? Challenge,
        string? Solution,
        string? Honeypot);

    /// <param name="RatingCode">The 评价码, given to the resident once (again when the same form is sent again).</param>
    /// <param name="FilesNotAttached">Files that could not be put on the case after it was registered (named, never lost silently).</param>
    public sealed record Answer(string TrackingCode, string? RatingCode, DateOnly DueDate, DateTime RegisteredAt, bool Created,
        IReadOnlyList<string> FilesNotAttached);

    public sealed class Handler(
        ProofOfWork proofOfWork, ReportLimiter limiter, RequestLimitOptions limits, AttachmentOptions attachmentOptions,
        CurrentUser user, RegisterCase.Handler register, AttachmentIntake intake, AddAttachment.Handler attach, Texts texts,
        ILogger<Handler> log)
    {
        /// <param name="key">The form's Idempotency-Key (made when the form was shown).</param>
        public async Task<Answer> HandleAsync(Request request, string key, IReadOnlyList<IFormFile> files, string clientAddress, CancellationToken ct)
        {
            if (!limiter.TryAcquire(clientAddress))
            {
                throw new TooManyRequestsException();
            }
            if (!string.IsNullOrEmpty(request.Honeypot))
            {
                // Filled by a machine that fills every field: the same words as any refusal, nothing about why.
                throw Refused(FormField, texts["report.refused"]);
            }
            var verdict = await proofOfWork.VerifyAsync(request.Challenge, request.Solution, key, ct);
            if (verdict != ProofOfWork.Verdict.Ok)
            {
                throw Refused(FormField, texts["report.pow." + verdict.ToString().ToLowerInvariant()]);
            }

            var errors = new FieldErrors();
            if (!request.Consent)
            {
                errors.Add("consent", texts["report.consent-required"]);
            }
            // The common mistakes said together with the rest (the intake handler checks them all again).
            if (string.IsNullOrWhiteSpace(request.OrgUnit))
            {
                errors.Add("orgUnit", texts["report.org-unit-required"]);
            }
            var description = request.Description?.Trim();
            if (string.IsNullOrEmpty(description))
            {
                errors.Add("description", texts["report.description-required"]);
            }
            else if (description.Length > Case.DescriptionMaxLength)
            {
                errors.Add("description", texts.Format("report.description-too-long", Case.DescriptionMaxLength, description.Length));
            }
            if (!request.Anonymous && string.IsNullOrWhiteSpace(request.Name) && !string.IsNullOrWhiteSpace(request.Phone))
            {
                errors.Add("reporter.name", texts["report.name-or-anonymous"]);
            }
            var given = files.Where(f => f.Length > 0 || f.FileName.Length > 0).ToList();
            var fileBytes = RequestLimits.PublicFileBytes(limits.PublicFileBytes, attachmentOptions);
            if (given.Count > ReportOptions.MaxFiles)
            {
                errors.Add(FilesField, texts.Format("report.files-too-many", ReportOptions.MaxFiles));
            }
            else if (given.FirstOrDefault(f => f.Length > fileBytes) is { } large)
            {
                errors.Add(FilesField, texts.Format("report.file-too-big", Shown(large.FileName), AttachmentOptions.Megabytes(fileBytes)));
            }
            errors.ThrowIfAny();

            var prepared = new List<PreparedAttachment>();
            try
            {
                foreach (var file in given)
                {
                    prepared.Add(await intake.PrepareAsync(file, FilesField, ct));
                }
                return await RegisterAsync(request, description, key, prepared, ct);
            }
            finally
            {
                foreach (var p in prepared)
                {
                    p.Dispose();
                }
            }
        }

        private async Task<Answer> RegisterAsync(Request request, string? description, string key, List<PreparedAttachment> files, CancellationToken ct)
        {
            await user.ActAsChannelAsync(Channel.Web, ActorId, ActorName, ct);
            var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
            var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
            var outcome = await register.HandleAsync(new RegisterCase.Request(
                nameof(Channel.Web), Cases.CaseTitles.FromDescription(description, ReportOptions.TitleLength), description,
                request.Anonymous || name is not null || phone is not null ? new RegisterCase.ReporterBody(name, phone) : null,
                request.OrgUnit, request.Category, Urgency: null,
                string.IsNullOrWhiteSpace(request.Address) ? null : new RegisterCase.LocationBody(null, null, request.Address),
                ExternalRef: null, MeetingId: null, Anonymous: request.Anonymous, ContactConsent: true), key, ct);
            var registered = outcome.Case;
            var notAttached = new List<string>();
            // A repeat of the same form found the case the first one made, with its files.
            if (outcome.Created)
            {
                foreach (var file in files)
                {
                    try
                    {
                        await attach.AddAsync(registered.Id, file, AttachmentKind.Registration, ct);
                    }
                    catch (Exception e) when (e is Domain.DomainRuleException or RequestValidationException or ForbiddenException or NotFoundException)
                    {
                        notAttached.Add(file.FileName);
                    }
                }
                // The tracking code only: never the resident's name, phone or words.
                log.LogInformation("Web report registered as {TrackingCode} with {Files} file(s)", registered.TrackingCode, files.Count - notAttached.Count);
            }
            return new Answer(registered.TrackingCode, registered.RatingCode, registered.DueDate, registered.RegisteredAt, outcome.Created, notAttached);
        }
    }

    private static RequestValidationException Refused(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    public static IServiceCollection AddPublicReport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ReportOptions.From(configuration));
        services.AddSingleton<ProofOfWork>();
        services.AddSingleton<ReportLimiter>();
        services.AddSingleton<ReportChoices>();
        services.AddScoped<Handler>();
        return services;
    }

    /// <summary>A file's name as a message names it: the last segment, not too long.</summary>
    private static string Shown(string? name)
    {
        var last = Path.GetFileName((name ?? "").Replace('\\', '/'));
        return last.Length <= 60 ? last : last[..60] + "…";
    }
}
