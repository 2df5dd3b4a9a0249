using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Open311;

/// <summary>
/// GET Service Requests, GET Service Request and GET service_request_id from a token. The
/// <c>service_request_id</c> is the case's tracking code (the id /track knows, and not enumerable as a
/// number would be).
/// </summary>
/// <remarks>
/// Privacy, by policy (the spec lets a server leave fields out): a caller without an api_key sees what the
/// public tracking page shows — status, the richer status in words, the service, the responsible unit,
/// dates — and never a description, an address, coordinates, a media link, a name or a phone. A caller
/// with an Open311 api_key sees description, address and coordinates of the requests it sent itself
/// (the app reads back what its user told it), the public fields of every other case; its listing is
/// limited to its unit's scope. Listing (without explicit ids)
/// leaves out what could point at a person in a village: 信访 (petition) cases and dispute categories;
/// asked for by its id (which only its holder knows), such a case answers as /track does. Listing needs
/// an api_key unless <see cref="Open311Options.AnonymousListing"/> is on: tracking codes are not published.
/// </remarks>
public static partial class GetServiceRequests
{
    /// <summary>The spec's default and widest window of a listing.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    public const int MaxIds = 100;

    public sealed class Handler(TaizhangDb db, OrgDirectory org, Texts texts, TimeProvider clock, DuePolicy due, CurrentUser user, Open311Options options,
        Open311Lookups lookups)
    {
        /// <param name="ids">The one request of GET Service Request (its route id); null: the query's arguments.</param>
        public async Task<GeoList> ListAsync(HttpContext http, string[]? ids, CancellationToken ct)
        {
            var query = http.Request.Query;
            var client = await Open311Clients.AuthenticateAsync(http, Single(query, Open311Clients.KeyField));
            var keyHolder = client is not null;
            var clientId = client?.Id;
            var units = await org.GetAsync(ct);
            var cases = db.Cases.AsNoTracking();
            int page = 1, pageSize = options.MaxPageSize;
            ids ??= List(query, "service_request_id");
            if (ids is not null)
            {
                // The spec: explicit ids override every other argument.
                if (ids.Length > MaxIds)
                {
                    throw new GeoReportException(StatusCodes.Status400BadRequest, texts.Format("open311.error.too-many-ids", MaxIds));
                }
                var codes = ids.Select(TrackingCodes.Normalize).OfType<string>().Distinct().ToArray();
                if (!keyHolder)
                {
                    // Each code is a guess an anonymous caller pays for, as on /track.
                    lookups.Charge(http, codes.Length);
                }
                var named = (await db.CaseIdsOfAsync(codes, ct)).Values.ToList();
                cases = cases.Where(c => named.Contains(c.Id));
            }
            else
            {
                if (!keyHolder && !options.AnonymousListing)
                {
                    throw new GeoReportException(StatusCodes.Status403Forbidden, texts["open311.error.listing-needs-key"]);
                }
                var now = clock.GetUtcNow().UtcDateTime;
                var start = Date(query, "start_date");
                var end = Date(query, "end_date");
                var (from, to) = (start, end) switch
                {
                    (null, null) => (now - Window, now),
                    ({ } s, null) => (s, s + Window),
                    (null, { } e) => (e - Window, e),
                    ({ } s, { } e) => (s, e),
                };
                if (from > to)
                {
                    throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.dates-order"]);
                }
                if (to - from > Window)
                {
                    throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.dates-span"]);
                }
                var towns = units.Units.Where(u => u.Kind == Domain.Organization.OrgUnitKind.Town).Select(u => u.Id).ToArray();
                cases = cases.Where(c => towns.Contains(c.TownId) && c.RegisteredAt >= from && c.RegisteredAt <= to);
                if (List(query, "service_code") is { } serviceCodes)
                {
                    var categoryIds = new List<long>();
                    foreach (var code in serviceCodes)
                    {
                        if (!units.CategoriesByCode.TryGetValue(code, out var category))
                        {
                            throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.service-code-unknown"]);
                        }
                        categoryIds.Add(category.Id);
                    }
                    cases = cases.Where(c => c.CategoryId != null && categoryIds.Contains(c.CategoryId.Value));
                }
                if (List(query, "status") is { } statusNames)
                {
                    var open = false;
                    var closed = false;
                    foreach (var s in statusNames)
                    {
                        switch (s.ToLowerInvariant())
                        {
                            case "open":
                                open = true;
                                break;
                            case "closed":
                                closed = true;
                                break;
                            default:
                                throw new GeoReportException(StatusCodes.Status400BadRequest, texts["open311.error.status"]);
                        }
                    }
                    if (open != closed)
                    {
                        var statuses = Enum.GetValues<CaseStatus>().Where(x => Lifecycle.IsOpen(x) == open).ToArray();
                        cases = cases.Where(c => statuses.Contains(c.Status));
                    }
                }
                // A key holder lists what its unit may see (as through the API), not every town's cases.
                if (keyHolder)
                {
                    cases = (await user.AccessAsync(ct)).Visible(cases);
                }
                // A listing names no petition and no dispute: in a village, the category, the place and the day can be a person.
                var disputes = units.Categories.Where(c => c.IsDispute).Select(c => c.Id).ToArray();
                cases = cases.Where(c => c.Channel != Channel.Petition && (c.CategoryId == null || !disputes.Contains(c.CategoryId.Value)));
                page = Number(query, "page", 1, ListCasesMaxPage) ?? 1;
                pageSize = Number(query, "page_size", 1, options.MaxPageSize) ?? options.MaxPageSize;
            }
            var rows = await cases
                .OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id)
                .Skip((page - 1) * pageSize).Take(pageSize)
                .Select(c => new Row(c.TrackingCode, c.Status, c.CategoryId, c.TownId, c.OrgUnitId, c.AssigneeUnitId, c.Outcome,
                    c.RegisteredAt, c.UpdatedAt, c.DueAt,
                    c.SourceClientId,
                    keyHolder && c.SourceClientId == clientId ? c.Description : null,
                    keyHolder && c.SourceClientId == clientId ? c.Location!.Address : null,
                    keyHolder && c.SourceClientId == clientId ? c.Location!.Lat : null,
                    keyHolder && c.SourceClientId == clientId ? c.Location!.Lng : null))
                .ToListAsync(ct);
            if (keyHolder)
            {
                http.Response.Headers.CacheControl = "no-store";
            }
            return new GeoList("request", rows.Select(r => (object?)Request(r, units, clientId)).ToList());
        }

        public async Task<GeoList> OneAsync(HttpContext http, string id, CancellationToken ct)
        {
            if (TrackingCodes.Normalize(id) is not { } code)
            {
                throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.request-unknown"]);
            }
            var list = await ListAsync(http, [code], ct);
            return list.Items.Count == 0 ? throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.request-unknown"]) : list;
        }

        public async Task<GeoList> TokenAsync(HttpContext http, string token, CancellationToken ct)
        {
            // A key given must be a real one (one of the right shape is let past the anonymous bucket);
            // without one, the code is a lookup like any other.
            if (await Open311Clients.AuthenticateAsync(http, Single(http.Request.Query, Open311Clients.KeyField)) is null)
            {
                lookups.Charge(http, 1);
            }
            // Requests are registered at once (type realtime): a token is the request's own id, for clients that ask.
            var code = TrackingCodes.Normalize(token);
            if (code is null || await db.CaseIdOfAsync(code, ct) is null)
            {
                throw new GeoReportException(StatusCodes.Status404NotFound, texts["open311.error.token-unknown"]);
            }
            return new GeoList("request", [new GeoObject().Add("service_request_id", code).Add("token", code)]);
        }

        /// <param name="clientId">The api_key's client: it reads back the description and place of the requests it sent itself.</param>
        private GeoObject Request(Row r, OrgDirectory.Snapshot units, long? clientId)
        {
            // What a resident told through an app is read back by that app only: the same client's key. A key of
            // the town does not open the descriptions residents gave on the web form, WeChat or the hotline.
            var inScope = clientId is not null && r.SourceClientId == clientId;
            var category = units.CategoryRef(r.CategoryId);
            var responsible = units.Ref(r.AssigneeUnitId)?.Name ?? units.Ref(r.TownId)?.Name;
            return new GeoObject()
                .Add("service_request_id", r.TrackingCode)
                .Add("status", Lifecycle.IsOpen(r.Status) ? "open" : "closed")
                .Add("status_notes", StatusNotes(r, units))
                .Add("service_name", category?.Name)
                .Add("service_code", category?.Code)
                .Add("description", inScope ? r.Description : null)
                .Add("agency_responsible", responsible)
                .Add("service_notice", null)
                .Add("requested_datetime", GeoReport.Date(r.RegisteredAt, due.Zone))
                .Add("updated_datetime", GeoReport.Date(r.UpdatedAt, due.Zone))
                .Add("expected_datetime", GeoReport.Date(r.DueAt, due.Zone))
                .Add("address", inScope ? r.Address : null)
                .Add("address_id", null)
                .Add("zipcode", null)
                .Add("lat", inScope ? r.Lat : null)
                .Add("long", inScope ? r.Lng : null)
                .Add("media_url", null);
        }

        /// <summary>The richer status in plain words (已转交马家村办理): from the state and the units only, never a free-text reason.</summary>
        private string StatusNotes(Row r, OrgDirectory.Snapshot units)
        {
            var unit = units.Ref(r.AssigneeUnitId)?.Name ?? units.Ref(r.OrgUnitId)?.Name ?? string.Empty;
            var outcome = r.Outcome is { } o ? texts["outcome." + o] : string.Empty;
            return texts.Format("open311.status." + r.Status, unit, outcome);
        }

        private DateTime? Date(IQueryCollection query, string name)
        {
            if (Single(query, name) is not { Length: > 0 } text)
            {
                return null;
            }
            var m = W3cDate().Match(text.Trim());
            if (!m.Success)
            {
                throw new GeoReportException(StatusCodes.Status400BadRequest, texts.Format("open311.error.date", name));
            }
            var local = m.Groups["offset"].Success
                ? DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset : (DateTimeOffset?)null
                : DateTime.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var plain)
                    // Without an offset: the offices' local time.
                    ? new DateTimeOffset(plain, due.Zone.GetUtcOffset(plain))
                    : null;
            return local?.UtcDateTime ?? throw new GeoReportException(StatusCodes.Status400BadRequest, texts.Format("open311.error.date", name));
        }

        private int? Number(IQueryCollection query, string name, int min, int max)
        {
            if (Single(query, name) is not { Length: > 0 } text)
            {
                return null;
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new GeoReportException(StatusCodes.Status400BadRequest, texts.Format("open311.error.number", name, min, max));
        }
    }

    private const int ListCasesMaxPage = Cases.ListCases.MaxPage;

    private sealed record Row(string TrackingCode, CaseStatus Status, long? CategoryId, long TownId, long OrgUnitId, long? AssigneeUnitId,
        Outcome? Outcome, DateTime RegisteredAt, DateTime UpdatedAt, DateTime DueAt, long? SourceClientId, string? Description, string? Address,
        double? Lat, double? Lng);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<offset>Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex W3cDate();

    /// <summary>One value of a parameter; a parameter given twice is taken as the comma-separated list of both.</summary>
    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', values.ToArray()) : null;

    private static string[]? List(IQueryCollection query, string name) =>
        Single(query, name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } list ? list : null;

    public static Task<IResult> ListEndpoint(string format, HttpContext http, Handler handler, CancellationToken ct) =>
        GeoReport.RunAsync(http, format, async f => GeoReport.Write(f, "service_requests", await handler.ListAsync(http, null, ct)));

    public static Task<IResult> OneEndpoint([FromRoute(Name = "service_request_id")] string id, string format, HttpContext http, Handler handler,
        CancellationToken ct) =>
        GeoReport.RunAsync(http, format, async f => GeoReport.Write(f, "service_requests", await handler.OneAsync(http, id, ct)));

    public static Task<IResult> TokenEndpoint(string token, string format, HttpContext http, Handler handler, CancellationToken ct) =>
        GeoReport.RunAsync(http, format, async f => GeoReport.Write(f, "service_requests", await handler.TokenAsync(http, token, ct)));
}
