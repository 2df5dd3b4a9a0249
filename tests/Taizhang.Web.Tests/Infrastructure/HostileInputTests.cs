using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>
/// At least 10,000 generated hostile requests (malformed JSON, wrong types, huge strings, deep
/// nesting, invalid UTF-8, control characters, SQL and script injection, wrong content types,
/// oversized bodies, absurd paging numbers, hostile route values) against every endpoint the app
/// maps — read from its own EndpointDataSource, so new endpoints are fuzzed without touching this
/// test — as town staff and anonymously. No answer may be a 5xx; every API error is problem+json;
/// page errors are HTML or a redirect; the database changes only where a request was accepted; and
/// the app is healthy afterwards. Deterministic: the generator is seeded (TAIZHANG_FUZZ_SEED).
/// </summary>
public abstract class HostileInputTests(TaizhangApp app, ITestOutputHelper output)
{
    private static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE \"Cases\"; --", "1; DELETE FROM Cases", "\" OR 1=1 --", "%' AND 1=0 UNION SELECT * FROM \"AspNetUsers\" --",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}",
        "../../../../etc/passwd", "..%2F..%2Fappsettings.json", "\u0000", "\u202Eevil\u202C", "\uFEFF", "𠀀𠀁😀", "\r\nSet-Cookie: x=1",
        "NaN", "Infinity", "-0", "1e309", "9223372036854775808", "-9223372036854775809", "null", "true", "[]", "{}",
    ];

    private static readonly string[] Fields =
    [
        "channel", "title", "description", "reporter", "name", "phone", "orgUnit", "category", "urgency", "location", "lat", "lng",
        "address", "externalRef", "meetingId", "reason", "result", "unit", "toUnit", "assigneeUnit", "dueDate", "track", "into",
        "satisfaction", "satisfied", "note", "plan", "opinion", "userName", "password", "displayName", "code", "parent", "kind",
        "query", "filter", "posts", "role", "channels", "days", "holidays", "workdays", "count", "page", "pageSize", "status",
        "ratingCode", "comment", "publicReply", "method", "contactConsent",
        "text", "body", "answer", "from", "until", "consent", "challenge", "solution",
        "summary", "steps", "targetDate", "progress", "completed", "caseIds", "at", "place",
        "measures", "month", "town",
    ];

    private static readonly string[] FormFields =
    [
        "Triage.CaseId", "Triage.Track", "Triage.Urgency", "Triage.Category", "Triage.AssigneeUnit", "Triage.DueDate", "Assign.Unit",
        "Return.Reason", "Transfer.ToUnit", "Transfer.Reason", "Resolve.Outcome", "Resolve.Result", "FollowUp.Satisfaction", "FollowUp.Note",
        "Reopen.Reason", "Reject.Reason", "Reject.CaseId", "Merge.Into", "Merge.CaseId", "Merge.Reason", "Deliberate.MeetingId", "Plan.Plan",
        "Plan.AssigneeUnit", "AddReporter.Name", "AddReporter.Phone", "UserName", "Password", "ReturnUrl", "Input.Title", "Input.Description",
        "Input.Channel", "Input.OrgUnit", "Input.Phone", "Input.Name", "Name", "Query", "id", "p", "__RequestVerificationToken",
        "challenge", "solution", "website", "consent", "anonymous", "key",
        "RatingCode", "Satisfaction", "Comment", "Resolve.PublicReply", "FollowUp.Method", "ContactConsent",
        "disclosure", "text", "phone", "Title", "Body", "From", "Until", "Answer", "Reason",
        "Plan.Summary", "Plan.Steps[0].Title", "Plan.Steps[0].Unit", "Plan.Steps[0].TargetDate", "Plan.Steps[99999].Note", "Progress.Step",
        "Progress.Progress", "Progress.Completed", "Progress.Note", "Meeting.Title", "Meeting.At", "Meeting.Place", "Meeting.CaseIds",
        "Lines", "Measures[jobs]",
    ];

    private static readonly string[] QueryNames =
    [
        "page", "pageSize", "p", "skip", "take", "limit", "offset", "status", "q", "orgUnit", "channel", "urgency", "category", "from", "to",
        "dueBefore", "overdue", "sort", "view", "year", "name", "returnUrl", "handler", "code", "after", "before",
        "page_size", "start_date", "end_date", "service_request_id", "service_code", "api_key",
        "village", "stage", "created",
        "month", "town",
        "period", "quarter", "unit",
    ];

    /// <summary>GeoReport v2's POST fields (the form an Open311 client sends).</summary>
    private static readonly string[] Open311Fields =
    [
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email", "device_id", "account_id",
        "first_name", "last_name", "phone", "description", "media_url", "attribute[village]", "attribute[village][]",
    ];

    private static readonly string[] Numbers =
    [
        "-1", "0", "1", "-2147483648", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "1e9", "1.5", "NaN", "-Infinity", "0x10", "", " ", "1,2", "١٢",
    ];

    private sealed record Target(string Pattern, string Method, bool IsPage, IReadOnlyList<string?> Handlers, RoutePattern Route);

    private sealed record Outcome(int Status, string? MediaType, string Description);

    [Fact]
    public async Task TenThousandHostileRequests_NoServerError_ProblemJson_DatabaseChangesOnlyWhereAccepted()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("TAIZHANG_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TAIZHANG_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261126;

        var town = app.ClientAs("town");
        var anonymous = app.AnonymousClient();
        var caseIds = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            caseIds.Add(await town.RegisterIdAsync(CaseApi.NewCase(title: "模糊测试底数 " + i)));
        }
        var trackingCode = (await town.GetCaseAsync(caseIds[0]))["trackingCode"]!.GetValue<string>();
        // A real Open311 key in some bodies, so that hostile values reach validation past the key check.
        var (_, _, open311Key) = await app.AddApiClientAsync(channels: "Open311");
        var targets = Targets();
        Assert.Contains(targets, t => t.Pattern == "/api/v1/cases" && t.Method == "POST");
        Assert.Contains(targets, t => t.IsPage && t.Pattern.StartsWith("/cases/{id", StringComparison.Ordinal));
        // The residents' tracking page (GET and the rating POST) and the rating API, anonymous like everyone's.
        Assert.Contains(targets, t => t.IsPage && t.Pattern == "/track/{code?}" && t.Method == "POST");
        Assert.Contains(targets, t => t.Pattern == "/api/v1/track/{code}/rating" && t.Method == "POST");
        // 公示: the village's public page with its objection form, and the objection API, anonymous.
        Assert.Contains(targets, t => t.IsPage && t.Pattern == "/public/{unitCode}" && t.Method == "POST");
        Assert.Contains(targets, t => t.Pattern == "/api/v1/public/disclosures/{id:long}/objections" && t.Method == "POST");
        Assert.Contains(targets, t => t.Pattern == "/api/v1/public/disclosures/{unitCode}" && t.Method == "GET");
        // 统计报表 and the monthly report: their period and scope pickers take hostile query strings.
        Assert.Contains(targets, t => t.IsPage && t.Pattern == "/reports/print" && t.Method == "GET");

        var before = await SnapshotAsync();
        var histogram = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var timeByTarget = new ConcurrentDictionary<string, double>();
        var touchedCases = new ConcurrentDictionary<long, byte>();
        var acceptedCreates = 0;
        var acceptedViews = 0;
        var acceptedAdmin = 0;
        var started = TimeProvider.System.GetTimestamp();

        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, ct) =>
        {
            // One generator per request, seeded from the run's seed and the index: the same request whatever the scheduling.
            var random = new Random(unchecked(seed * 1_000_003 + i));
            var target = targets[random.Next(targets.Count)];
            if (target.Pattern.StartsWith("/openapi", StringComparison.Ordinal) && random.Next(10) != 0)
            {
                // The OpenAPI document takes no input and costs more to build than any other answer: fuzzed less often.
                target = targets[random.Next(targets.Count)];
            }
            var asTown = random.Next(4) != 0;
            var ids = new List<long>();
            using var request = Build(random, target, caseIds, trackingCode, open311Key, ids, out var description);
            // Signing out would end the staff session the rest of the run relies on.
            if (asTown && target.Method == "DELETE" && target.Pattern == "/api/v1/session" || target.Pattern == "/signout" && asTown)
            {
                asTown = false;
            }
            // The board's event stream does not end while its reader is signed in (BoardPeriodTests reads it): fuzzed anonymously.
            if (target.Pattern == "/board/events")
            {
                asTown = false;
            }
            HttpResponseMessage response;
            var sent = TimeProvider.System.GetTimestamp();
            try
            {
                response = await (asTown ? town : anonymous).SendAsync(request, ct);
            }
            catch (Exception e)
            {
                failures.Enqueue($"{description}: threw {e.GetType().Name}: {e.Message}");
                return;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var key = target.Method + " " + target.Pattern;
                timeByTarget.AddOrUpdate(key, TimeProvider.System.GetElapsedTime(sent).TotalMilliseconds, (_, t) => t + TimeProvider.System.GetElapsedTime(sent).TotalMilliseconds);
                histogram.AddOrUpdate(status, 1, (_, c) => c + 1);
                var media = response.Content.Headers.ContentType?.MediaType;
                var body = await response.Content.ReadAsStringAsync(ct);
                if (status >= 500)
                {
                    failures.Enqueue($"{description} as {(asTown ? "town" : "anonymous")}: {status} {Trim(body)}");
                }
                else if (status >= 400 && target.Pattern.StartsWith("/open311/", StringComparison.Ordinal))
                {
                    // Open311 answers the GeoReport spec's error list; only what the pipeline refuses before it
                    // (a body over the limit, a rate limit) is problem+json.
                    if (!IsOpen311Error(media, body) && !(status is 413 or 429 && media == "application/problem+json"))
                    {
                        failures.Enqueue($"{description}: {status} answered {media ?? "no content type"}, not the Open311 error list: {Trim(body)}");
                    }
                }
                else if (status >= 400 && !target.IsPage && media != "application/problem+json")
                {
                    failures.Enqueue($"{description}: {status} answered {media ?? "no content type"}, not problem+json: {Trim(body)}");
                }
                else if (status >= 400 && target.IsPage && media is not ("text/html" or "application/problem+json"))
                {
                    failures.Enqueue($"{description}: page error {status} answered {media ?? "no content type"}");
                }
                else if (!response.Headers.Contains("X-Request-Id"))
                {
                    failures.Enqueue($"{description}: {status} without X-Request-Id");
                }

                // What an accepted request may have changed (a page re-rendered with errors answers 200 too).
                var accepted = target.IsPage ? status < 400 : status is >= 200 and < 300;
                // A ledger or report export or printout is a GET that writes one thing: its line in the audit trail.
                if (accepted && (target.Pattern.Contains("/export.", StringComparison.Ordinal) || target.Pattern is "/cases/print" or "/reports/print"))
                {
                    Interlocked.Increment(ref acceptedAdmin);
                }
                if (accepted && target.Method != "GET")
                {
                    foreach (var id in ids)
                    {
                        touchedCases[id] = 0;
                    }
                    if (target.Pattern is "/api/v1/cases" or "/hotline/{handler?}" or "/cases/new" or "/open311/v2/requests.{format}" or "/report")
                    {
                        Interlocked.Increment(ref acceptedCreates);
                    }
                    if (target.Pattern.Contains("saved-views", StringComparison.Ordinal) || target.Pattern == "/cases")
                    {
                        Interlocked.Increment(ref acceptedViews);
                    }
                    if (target.Pattern.StartsWith("/api/v1/admin", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref acceptedAdmin);
                    }
                    // Imports: a source or a mapping saved, or a batch imported, is audited and may register cases.
                    if (target.Pattern.StartsWith("/api/v1/import", StringComparison.Ordinal) || target.Pattern == "/imports")
                    {
                        Interlocked.Increment(ref acceptedAdmin);
                        Interlocked.Add(ref acceptedCreates, target.Pattern.StartsWith("/api/v1/import-sources", StringComparison.Ordinal) ? 0 : 1000);
                    }
                }
            }
        });

        var after = await SnapshotAsync();
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz[{app.Provider}]: {total} requests over {targets.Count} endpoint/method pairs in {elapsed.TotalSeconds:F1} s; seed {seed}"));
        output.WriteLine("status histogram: " + string.Join(", ", histogram.OrderBy(h => h.Key).Select(h => $"{h.Key}×{h.Value}")));
        output.WriteLine($"accepted: {acceptedCreates} creates, {acceptedViews} saved-view changes, {acceptedAdmin} admin changes, {touchedCases.Count} cases acted on");
        output.WriteLine("slowest: " + string.Join(", ", timeByTarget.OrderByDescending(t => t.Value).Take(8).Select(t => $"{t.Key} {t.Value / 1000:F1} s")));
        output.WriteLine("endpoints: " + string.Join(" ", targets.Select(t => t.Method + " " + t.Pattern).Distinct()));

        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers; first:\n" + string.Join("\n", failures.Take(25)));
        Assert.Equal(total, histogram.Values.Sum());

        // The database: nothing changed that no accepted request explains.
        var changedCases = before.Cases.Where(c => !after.Cases.TryGetValue(c.Key, out var now) || now != c.Value).Select(c => c.Key).ToList();
        Assert.True(changedCases.All(touchedCases.ContainsKey),
            "cases changed by rejected requests: " + string.Join(", ", changedCases.Where(id => !touchedCases.ContainsKey(id))));
        var newCases = after.Cases.Keys.Except(before.Cases.Keys).Count();
        Assert.True(newCases <= acceptedCreates, $"{newCases} new cases but only {acceptedCreates} accepted registrations");
        if (acceptedViews == 0)
        {
            Assert.Equal(before.SavedViews, after.SavedViews);
        }
        if (acceptedAdmin == 0)
        {
            Assert.Equal(before.Admin, after.Admin);
        }
        Assert.Equal(before.Users, after.Users);
        // No hostile request publishes, withdraws or objects (publishing needs a valid kind, objecting a solved challenge).
        Assert.Equal(before.Disclosures, after.Disclosures);

        // Still healthy, and still serving.
        using var ready = await town.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        await town.GetCaseAsync(caseIds[0]);
    }

    /// <summary>The GeoReport v2 error list: [{"code":…,"description":…}] in JSON, &lt;errors&gt;&lt;error&gt; in XML.</summary>
    private static bool IsOpen311Error(string? media, string body)
    {
        try
        {
            if (media == "application/json")
            {
                return System.Text.Json.Nodes.JsonNode.Parse(body) is System.Text.Json.Nodes.JsonArray { Count: > 0 } errors
                    && errors.All(e => e?["code"] is not null && e["description"] is not null);
            }
            return media == "text/xml" && System.Xml.Linq.XDocument.Parse(body).Root is { Name.LocalName: "errors" } root
                && root.Elements("error").Any() && root.Elements("error").All(e => e.Element("code") is not null && e.Element("description") is not null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or System.Xml.XmlException)
        {
            return false;
        }
    }

    private static string Trim(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>Every route the app maps, with the methods it answers; pages with their POST handlers.</summary>
    private List<Target> Targets()
    {
        var targets = new List<Target>();
        var handlers = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract)
            .ToDictionary(
                t => t.FullName!["Taizhang.Web.Pages".Length..].Replace('.', '/')[..^"Model".Length],
                t => (IReadOnlyList<string?>)t.GetMethods().Select(m => m.Name)
                    .Where(m => m.StartsWith("OnPost", StringComparison.Ordinal))
                    .Select(m => m[6..].Replace("Async", "", StringComparison.Ordinal))
                    .Select(h => h.Length == 0 ? null : h).Distinct().ToList());
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var page = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>();
            if (page is not null)
            {
                var pageHandlers = handlers.TryGetValue(page.ViewEnginePath, out var h) ? h : [];
                targets.Add(new Target(pattern, "GET", true, [null], endpoint.RoutePattern));
                targets.Add(new Target(pattern, "POST", true, pageHandlers.Count > 0 ? pageHandlers : [null], endpoint.RoutePattern));
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                targets.Add(new Target(pattern, method, false, [null], endpoint.RoutePattern));
            }
        }
        return targets;
    }

    private static HttpRequestMessage Build(Random random, Target target, List<long> caseIds, string trackingCode, string open311Key, List<long> ids,
        out string description)
    {
        var path = new StringBuilder();
        foreach (var segment in target.Route.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        path.Append(Uri.EscapeDataString(RouteValue(random, parameter.Name, caseIds, trackingCode, ids)));
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                }
            }
        }
        var query = new List<string>();
        if (target.IsPage && target.Method == "POST" && target.Handlers[random.Next(target.Handlers.Count)] is { } handler)
        {
            query.Add("handler=" + (random.Next(20) == 0 ? Uri.EscapeDataString(Pick(random, Injections)) : handler));
        }
        for (var q = random.Next(target.Method == "GET" ? 4 : 2); q > 0; q--)
        {
            query.Add(Uri.EscapeDataString(Pick(random, QueryNames)) + "=" + Uri.EscapeDataString(random.Next(3) == 0 ? Pick(random, Injections) : Pick(random, Numbers)));
        }
        var uri = path.ToString() + (query.Count > 0 ? "?" + string.Join("&", query) : "");
        var request = new HttpRequestMessage(new HttpMethod(target.Method), uri);
        var kind = "none";
        if (target.Method != "GET")
        {
            (request.Content, kind) = target.IsPage ? FormBody(random, caseIds, ids)
                : target.Pattern.StartsWith("/open311/", StringComparison.Ordinal) && random.Next(4) != 0 ? Open311Body(random, open311Key, caseIds, ids)
                : JsonBody(random, caseIds, ids);
            if (random.Next(3) == 0)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(2) == 0 ? Pick(random, Injections) : new string('k', random.Next(100, 300)));
            }
        }
        if (target.IsPage && random.Next(2) == 0)
        {
            request.Headers.Accept.ParseAdd("text/html");
        }
        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", Pick(random, ["zz-ZZ", "en;q=abc", "zh-CN,zh;q=0.9", new string('x', 500)]));
        }
        description = $"{target.Method} {uri} [{kind}]";
        return request;
    }

    private static string RouteValue(Random random, string name, List<long> caseIds, string trackingCode, List<long> ids)
    {
        switch (random.Next(4))
        {
            case 0 or 1 when name is "id":
                var id = caseIds[random.Next(caseIds.Count)];
                ids.Add(id);
                return id.ToString(CultureInfo.InvariantCulture);
            case 0 when name is "code" or "service_request_id" or "token":
                return trackingCode;
            case 0 or 1 when name is "format":
                return random.Next(2) == 0 ? "json" : "xml";
            case 0 when name is "service_code":
                return "roads";
            case 0 or 1 when name is "unitCode":
                return random.Next(2) == 0 ? "SCH-MJC" : "SCH";
            case 0 when name is "year":
                return "2026";
            case 0 when name is "documentName":
                return "v1";
            case 0 when name is "handler":
                return "";
            case 0 or 1 or 2:
                return Pick(random, Numbers) is { Length: > 0 } number ? number : "0";
            default:
                // A NUL in the path never reaches the app: the test server's client refuses it (Kestrel answers 400).
                return Pick(random, Injections) is { Length: > 0 } injection && !injection.Contains('\0') ? injection : "x";
        }
    }

    private static (HttpContent, string) JsonBody(Random random, List<long> caseIds, List<long> ids)
    {
        var kind = random.Next(12);
        switch (kind)
        {
            case 0: // malformed JSON
                var text = Json(random, 0, caseIds, ids);
                var cut = text[..random.Next(Math.Max(1, text.Length))] + Pick(random, ["", "}", "]]", ",", "\"", "{\"a\":", "\\u12", "/*", "'x'"]);
                return (Text(cut, "application/json"), "malformed");
            case 1: // deep nesting
                var depth = random.Next(65, 5000);
                var open = random.Next(2) == 0 ? "[" : "{\"a\":";
                var close = open == "[" ? "]" : "}";
                return (Text(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)), "application/json"), "deep");
            case 2: // invalid UTF-8
                var bytes = Encoding.UTF8.GetBytes(Json(random, 0, caseIds, ids)).ToList();
                bytes.InsertRange(random.Next(bytes.Count), Pick(random, new byte[][] { [0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82] }));
                return (Bytes([.. bytes], "application/json"), "invalid-utf8");
            case 3: // wrong content type
                var content = Text(Json(random, 0, caseIds, ids), Pick(random, ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "image/png"]));
                return (content, "content-type");
            case 4: // oversized
                return (Text("{\"title\":\"" + new string('长', 300_000 / 3 + random.Next(50_000)) + "\"}", "application/json"), "oversized");
            case 5: // empty or a bare value
                return (Text(Pick(random, ["", "null", "0", "\"x\"", "[]", "true", " "]), "application/json"), "bare");
            default: // a plausible object with hostile values and wrong types
                return (Text(Json(random, 0, caseIds, ids), "application/json"), "hostile-values");
        }
    }

    private static (HttpContent, string) Open311Body(Random random, string key, List<long> caseIds, List<long> ids)
    {
        if (random.Next(5) == 0)
        {
            return FormBody(random, caseIds, ids);
        }
        var fields = new List<KeyValuePair<string, string>>();
        if (random.Next(2) == 0)
        {
            fields.Add(new("api_key", random.Next(4) == 0 ? Pick(random, Injections) : key));
        }
        for (var f = random.Next(1, 10); f > 0; f--)
        {
            var name = random.Next(10) == 0 ? Pick(random, Injections) : Pick(random, Open311Fields);
            var value = name switch
            {
                "service_code" when random.Next(2) == 0 => Pick(random, ["roads", "water", "dispute-land"]),
                "lat" or "long" when random.Next(2) == 0 => Pick(random, Numbers),
                "attribute[village]" when random.Next(2) == 0 => Pick(random, ["SCH-MJC", "SCH", "ZX", "SCH-MJC-1"]),
                _ => Value(random, caseIds, ids),
            };
            fields.Add(new(name, value));
        }
        // Multipart part names travel in a header: only the spec's own names (the client refuses others).
        if (random.Next(4) == 0 && fields.All(f => f.Key == "api_key" || Open311Fields.Contains(f.Key)))
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in fields)
            {
                multipart.Add(new StringContent(value), name);
            }
            return (multipart, "open311-multipart");
        }
        return (new FormUrlEncodedContent(fields), "open311-form");
    }

    private static (HttpContent, string) FormBody(Random random, List<long> caseIds, List<long> ids)
    {
        var kind = random.Next(6);
        if (kind == 0)
        {
            return (Text(new string('x', 300_000), "application/x-www-form-urlencoded"), "oversized-form");
        }
        if (kind == 1)
        {
            return (Bytes([0x61, 0x3D, 0xFF, 0xFE, 0x26, 0x25, 0x5A, 0x5A], "application/x-www-form-urlencoded"), "invalid-form");
        }
        if (kind == 2)
        {
            return (Text(Json(random, 0, caseIds, ids), "application/json"), "json-to-page");
        }
        var fields = new List<KeyValuePair<string, string>>();
        for (var f = random.Next(1, 8); f > 0; f--)
        {
            fields.Add(new(random.Next(8) == 0 ? Pick(random, Injections) : Pick(random, FormFields), Value(random, caseIds, ids)));
        }
        return (new FormUrlEncodedContent(fields), "form");
    }

    /// <summary>A JSON object whose fields are our field names with values of every wrong sort.</summary>
    private static string Json(Random random, int depth, List<long> caseIds, List<long> ids)
    {
        var sb = new StringBuilder("{");
        for (var f = random.Next(1, 9); f > 0; f--)
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }
            sb.Append(System.Text.Json.JsonSerializer.Serialize(random.Next(10) == 0 ? Pick(random, Injections) : Pick(random, Fields))).Append(':');
            switch (random.Next(8))
            {
                case 0 when depth < 3:
                    sb.Append(Json(random, depth + 1, caseIds, ids));
                    break;
                case 1:
                    sb.Append('[').Append(string.Join(',', Enumerable.Range(0, random.Next(5)).Select(_ => System.Text.Json.JsonSerializer.Serialize(Value(random, caseIds, ids))))).Append(']');
                    break;
                case 2:
                    sb.Append(Pick(random, ["1", "-1", "0", "1e400", "-9223372036854775809", "3.14", "true", "false", "null", "{}", "[]"]));
                    break;
                default:
                    sb.Append(System.Text.Json.JsonSerializer.Serialize(Value(random, caseIds, ids)));
                    break;
            }
        }
        return sb.Append('}').ToString();
    }

    private static string Value(Random random, List<long> caseIds, List<long> ids)
    {
        switch (random.Next(10))
        {
            case 0:
                return string.Concat(Enumerable.Repeat(Pick(random, ["a", "长", "😀", "\u0007"]), random.Next(200, 20_000)));
            case 1:
                var id = caseIds[random.Next(caseIds.Count)];
                ids.Add(id);
                return id.ToString(CultureInfo.InvariantCulture);
            case 2:
                return string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)random.Next(0, 32)));
            case 3:
                return Pick(random, Numbers);
            case 4:
                return Pick(random, ["Hotline", "WeChat", "Urgent", "High", "SCH", "SCH-MJC", "Fast", "Satisfied", "2026-12-01", "13912345678", "Registered"]);
            default:
                return Pick(random, Injections) + (random.Next(2) == 0 ? " 村口路灯不亮" : "");
        }
    }

    private static StringContent Text(string text, string mediaType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private sealed record Snapshot(Dictionary<long, string> Cases, string SavedViews, string Admin, string Users, string Disclosures);

    /// <summary>Per case: its events and reporters (every change to a case appends an event); digests of the rest.</summary>
    private async Task<Snapshot> SnapshotAsync() => await app.WithDbAsync(async db =>
    {
        var cases = await db.Cases.AsNoTracking().Select(c => new { c.Id, c.Title, c.Description, c.Status }).ToListAsync();
        var events = await db.CaseEvents.AsNoTracking().GroupBy(e => e.CaseId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var reporters = await db.CaseReporters.AsNoTracking().GroupBy(r => r.CaseId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var views = await db.SavedViews.AsNoTracking().OrderBy(v => v.Id).Select(v => v.Id).ToListAsync();
        var adminEvents = await db.AdminEvents.CountAsync();
        var clients = await db.ApiClients.CountAsync();
        var units = await db.OrgUnits.CountAsync();
        var categories = await db.Categories.CountAsync();
        var disclosures = await db.Set<Taizhang.Domain.Disclosures.Disclosure>().CountAsync()
            + "/" + await db.Set<Taizhang.Domain.Disclosures.Disclosure>().CountAsync(d => d.WithdrawnAt != null)
            + "/" + await db.Set<Taizhang.Domain.Disclosures.DisclosureObjection>().CountAsync();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new { u.Id, u.UserName, u.PasswordHash, u.DisplayName }).ToListAsync();
        return new Snapshot(
            cases.ToDictionary(c => c.Id, c => $"{c.Title}|{c.Description}|{c.Status}|{events.GetValueOrDefault(c.Id)}|{reporters.GetValueOrDefault(c.Id)}"),
            string.Join(",", views),
            $"{adminEvents}/{clients}/{units}/{categories}",
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", users.Select(u => $"{u.Id}|{u.UserName}|{u.PasswordHash}|{u.DisplayName}"))))),
            disclosures);
    });
}

public sealed class HostileInputTests_Sqlite(SqliteApp app, ITestOutputHelper output) : HostileInputTests(app, output), IClassFixture<SqliteApp>;

public sealed class HostileInputTests_Postgres(PostgresApp app, ITestOutputHelper output) : HostileInputTests(app, output), IClassFixture<PostgresApp>;
