using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Taizhang.Domain;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Open311;

/// <summary>
/// POST Service Request: a form-encoded (or multipart) body with the spec's fields, an API client's
/// <c>api_key</c>, registered through the ordinary <see cref="RegisterCase.Handler"/> as that client on
/// the Open311 channel. The answer's <c>service_request_id</c> is the tracking code.
/// </summary>
/// <remarks>
/// Repeats: GeoReport v2 has no idempotency key. A client may send an <c>Idempotency-Key</c> header (the
/// common practice; the same key again from the same client answers the first request's id and creates
/// nothing). Without one, a submission that names its sender (<c>device_id</c> or <c>account_id</c>) is
/// recognised by a fingerprint of everything it carries and the local day: the same device sending word
/// for word the same report the same day is a retry. A submission with neither cannot be told from a
/// second resident's, and is registered again.
/// </remarks>
public static class PostServiceRequest
{
    /// <summary>The longest description the spec allows (and the ledger keeps).</summary>
    public const int DescriptionMax = Case.DescriptionMaxLength;

    private const int TitleLength = 40;

    public sealed record Answer(string ServiceRequestId, string ServiceNotice, bool Created);

    public sealed class Handler(RegisterCase.Handler register, OrgDirectory org, Texts texts, DuePolicy due, TimeProvider clock)
    {
        public async Task<Answer> HandleAsync(HttpContext http, IFormCollection form, CancellationToken ct)
        {
            if (await Open311Clients.AuthenticateAsync(http, Single(form, Open311Clients.KeyField)) is not { } client)
            {
                throw new GeoReportException(StatusCodes.Status403Forbidden, texts["open311.error.api-key-missing"]);
            }
            var units = await org.GetAsync(ct);
            var serviceCode = Single(form, "service_code")?.Trim();
            if (string.IsNullOrEmpty(serviceCode))
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.service-code-missing"]);
            }
            if (!units.CategoriesByCode.TryGetValue(serviceCode, out var category))
            {
                throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.service-code-unknown"]);
            }

            var location = Location(form);
            var village = Single(form, "attribute[" + Open311Services.VillageAttribute + "]")?.Trim();
            string orgUnit;
            if (!string.IsNullOrEmpty(village))
            {
                if (!Open311Services.Handler.Villages(units).Any(v => string.Equals(v.Code, village, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.village"]);
                }
                orgUnit = village;
            }
            else
            {
                orgUnit = units.UnitsById.TryGetValue(client.OrgUnitId, out var own) ? own.Code : string.Empty;
            }

            var description = Single(form, "description")?.Trim();
            var mediaUrl = Single(form, "media_url")?.Trim();
            var text = string.IsNullOrEmpty(description) ? texts.Format("open311.no-description", category.Name) : description;
            if (Uri.TryCreate(mediaUrl, UriKind.Absolute, out var media) && media.Scheme is "http" or "https"
                && text.Length + mediaUrl!.Length + 10 <= DescriptionMax)
            {
                // The ledger keeps no media links of its own: staff see it at the end of the description.
                text += "\n" + texts.Format("open311.media-line", mediaUrl);
            }
            var title = Cases.CaseTitles.FromDescription(description, TitleLength) ?? category.Name;

            var first = Single(form, "first_name")?.Trim();
            var last = Single(form, "last_name")?.Trim();
            var phone = Single(form, "phone")?.Trim();
            var name = Name(first, last);
            // No name given: the resident did not say who they are (匿名); a phone left for the return visit is kept.
            var anonymous = name is null;
            var request = new RegisterCase.Request(
                Channel: nameof(Channel.Open311),
                Title: title,
                Description: text,
                Reporter: anonymous ? (string.IsNullOrEmpty(phone) ? null : new RegisterCase.ReporterBody(null, phone)) : new RegisterCase.ReporterBody(name, phone),
                OrgUnit: orgUnit,
                Category: category.Code,
                Urgency: null,
                Location: location,
                ExternalRef: null,
                MeetingId: null,
                Anonymous: anonymous,
                // Open311 has no field for the resident's consent to be contacted: none is assumed.
                ContactConsent: false);

            var key = http.Request.Headers[RegisterCase.IdempotencyHeader].ToString();
            if (string.IsNullOrWhiteSpace(key))
            {
                key = Fingerprint(form) ?? string.Empty;
            }
            RegisterCase.Outcome outcome;
            try
            {
                outcome = await register.HandleAsync(request, key, ct);
            }
            catch (RequestValidationException e)
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, string.Join("; ",
                    e.Errors.SelectMany(f => f.Value.Select(m => Parameter(f.Key) + ": " + m))));
            }
            catch (DomainRuleException e)
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts.Rule(e));
            }
            catch (ForbiddenException)
            {
                throw new GeoReportException(StatusCodes.Status403Forbidden, texts["open311.error.api-key-channel"]);
            }
            var code = outcome.Case.TrackingCode;
            var track = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/track/{code}";
            var dueDate = outcome.Case.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // The 评价码 goes to the client that registered, to hand on to the resident (as the web form's answer
            // shows it); no GET ever answers it.
            var notice = outcome.Case.RatingCode is { } rating
                ? texts.Format("open311.notice.registered-rating", code, track, dueDate, rating)
                : texts.Format("open311.notice.registered", code, track, dueDate);
            return new Answer(code, notice, outcome.Created);
        }

        /// <summary>
        /// The spec's location: lat and long together, or address_string, or address_id. The address
        /// (or the address id, as text: no master address repository here) is kept with the coordinates.
        /// </summary>
        private RegisterCase.LocationBody Location(IFormCollection form)
        {
            var latText = Single(form, "lat")?.Trim();
            var longText = Single(form, "long")?.Trim();
            var address = Single(form, "address_string")?.Trim();
            var addressId = Single(form, "address_id")?.Trim();
            double? lat = null, lng = null;
            if (!string.IsNullOrEmpty(latText) || !string.IsNullOrEmpty(longText))
            {
                if (!Coordinate(latText, 90, out var la) || !Coordinate(longText, 180, out var lo))
                {
                    throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.lat-long"]);
                }
                (lat, lng) = (la, lo);
            }
            if (string.IsNullOrEmpty(address) && !string.IsNullOrEmpty(addressId))
            {
                address = texts.Format("open311.address-id", addressId);
            }
            if (lat is null && string.IsNullOrEmpty(address))
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.location-missing"]);
            }
            return new RegisterCase.LocationBody(lat, lng, string.IsNullOrEmpty(address) ? null : address);
        }

        /// <summary>
        /// When the submission names its sender (device_id or account_id): a hash of every field it carries
        /// and the local day, so that the same device's retry of the same report is the same request.
        /// </summary>
        private string? Fingerprint(IFormCollection form)
        {
            if (string.IsNullOrWhiteSpace(Single(form, "device_id")) && string.IsNullOrWhiteSpace(Single(form, "account_id")))
            {
                return null;
            }
            var sb = new StringBuilder();
            sb.Append(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), due.Zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var (k, v) in form.Where(f => f.Key != Open311Clients.KeyField).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                sb.Append('\n').Append(k).Append('=').Append(string.Join("\u001f", v.ToArray()));
            }
            return "open311:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        }
    }

    /// <summary>The spec's parameter a field error of the ledger is about.</summary>
    private static string Parameter(string field) => field switch
    {
        "title" or "description" => "description",
        "reporter.name" => "first_name/last_name",
        "reporter.phone" => "phone",
        "orgUnit" => "attribute[" + Open311Services.VillageAttribute + "]",
        "category" => "service_code",
        "location.lat" => "lat",
        "location.lng" => "long",
        "location.address" => "address_string",
        _ => field,
    };

    /// <summary>One value of a field; a field given twice is ambiguous and refused like a malformed one.</summary>
    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) ? values.Count == 1 ? values[0] : throw Twice(name) : null;

    private static GeoReportException Twice(string name) => new(StatusCodes.Status400BadRequest, name + ": ×2");

    private static bool Coordinate(string? text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= limit;

    /// <summary>Chinese names family name first and unspaced (张 + 三 = 张三); others "first last".</summary>
    private static string? Name(string? first, string? last)
    {
        if (string.IsNullOrEmpty(first) && string.IsNullOrEmpty(last))
        {
            return null;
        }
        if (string.IsNullOrEmpty(first) || string.IsNullOrEmpty(last))
        {
            return string.IsNullOrEmpty(first) ? last : first;
        }
        return (first + last).Any(c => c >= '\u3400' && c <= '\u9fff') ? last + first : first + " " + last;
    }

    public static async Task<IResult> Endpoint(string format, HttpContext http, Handler handler, CancellationToken ct)
    {
        return await GeoReport.RunAsync(http, format, async f =>
        {
            var texts = http.RequestServices.GetRequiredService<Texts>();
            if (!http.Request.HasFormContentType)
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.form"]);
            }
            IFormCollection form;
            try
            {
                form = await http.Request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException or DecoderFallbackException)
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.form"]);
            }
            var answer = await handler.HandleAsync(http, form, ct);
            if (!answer.Created)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }
            http.Response.Headers.CacheControl = "no-store";
            return GeoReport.Write(f, "service_requests", new GeoList("request",
            [
                new GeoObject()
                    .Add("service_request_id", answer.ServiceRequestId)
                    .Add("service_notice", answer.ServiceNotice)
                    .Add("account_id", null),
            ]));
        });
    }
}
