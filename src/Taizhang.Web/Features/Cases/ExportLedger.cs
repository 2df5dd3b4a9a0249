using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// 台账导出与打印: the ledger's filtered cases (the same query string, scope and order as
/// <see cref="ListCases"/>) as rows in the columns town offices keep on paper and in Excel, for an
/// .xlsx or CSV download and for the print view. Rows are read as a stream and completed in
/// batches (reporters, codes of other cases), so 100,000 rows never sit in memory at once.
/// Reporters appear as in the case views: names to those who may handle the case, masked
/// otherwise; phones always masked. Every export is recorded in the administrators' audit trail.
/// </summary>
public static partial class ExportLedger
{
    public const string AuditAction = "ledger.export";

    /// <summary>The audit action of a print view.</summary>
    public const string PrintAuditAction = "ledger.print";

    /// <summary>Rows completed per look-up of their reporters.</summary>
    private const int BatchSize = 500;

    /// <summary>Export settings ("Export" section).</summary>
    /// <param name="MaxRows">An export of more rows is refused with a message (narrow the filters).</param>
    /// <param name="PrintMaxRows">The print view shows at most this many rows, and says so when there are more.</param>
    public sealed record Options(int MaxRows = 200_000, int PrintMaxRows = 2_000);

    public enum Format
    {
        Xlsx,
        Csv,
    }

    public enum ColumnKind
    {
        Number,
        DateTime,
        Date,
        Text,
        /// <summary>Text that wraps in a wide column (the matter, the handling).</summary>
        LongText,
    }

    /// <param name="Key">The column's text key, <c>ledger-export.col.{Key}</c>.</param>
    /// <param name="Width">Its width in Excel's units (about one Latin character; a Chinese one takes two).</param>
    public sealed record Column(string Key, ColumnKind Kind, double Width);

    /// <summary>The columns, in the order of a town office's ledger.</summary>
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("number", ColumnKind.Number, 6),
        new("registered", ColumnKind.DateTime, 17),
        new("channel", ColumnKind.Text, 11),
        new("reporter", ColumnKind.Text, 10),
        new("phone", ColumnKind.Text, 14),
        new("village", ColumnKind.Text, 14),
        new("content", ColumnKind.LongText, 46),
        new("category", ColumnKind.Text, 10),
        new("urgency", ColumnKind.Text, 9),
        new("track", ColumnKind.Text, 11),
        new("assignee", ColumnKind.Text, 14),
        new("due", ColumnKind.Date, 12),
        new("handling", ColumnKind.LongText, 34),
        new("resolved", ColumnKind.Date, 12),
        new("follow-up", ColumnKind.Text, 11),
        new("satisfaction", ColumnKind.Text, 9),
    ];

    /// <summary>
    /// One row: its values in <see cref="Columns"/>' order — an int (序号), a local DateTime
    /// (登记日期, Asia/Shanghai), a DateOnly (办理期限, 办结日期), a string, or null for an empty cell.
    /// </summary>
    public sealed record Row(long CaseId, object?[] Values);

    /// <summary>The filtered, ordered cases and how many there are.</summary>
    public sealed record Selection(ListCases.Query Query, IQueryable<Case> Cases, int Total);

    /// <summary>A filter as words, for the print view's title: its label and its value(s).</summary>
    public sealed record FilterText(string Label, string Value);

    /// <summary>What the print view shows: up to <see cref="Options.PrintMaxRows"/> rows of <see cref="Total"/>.</summary>
    public sealed record Printout(IReadOnlyList<string> Headers, IReadOnlyList<Row> Rows, int Total, int Limit,
        IReadOnlyList<FilterText> Filters, DateTime PrintedAt);

    /// <summary>A value as the CSV and the print view write it.</summary>
    public static string Display(object? value) => value switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Whether a spreadsheet would take this text for a formula (=, +, -, @) or a control start (tab,
    /// carriage return): written as text with a leading apostrophe (CSV) or a quote prefix (xlsx).
    /// </summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>The case fields the rows are made of: one narrow projection, read as a stream.</summary>
    private sealed record CaseRow(
        long Id, string Title, string Description, Channel Channel, CaseStatus Status, Track? Track, Urgency Urgency,
        long? CategoryId, long OrgUnitId, long? AssigneeUnitId, DateTime RegisteredAt, DateTime DueAt, DateTime? ResolvedAt,
        Outcome? Outcome, string? Result, Satisfaction? Satisfaction, int FollowUpCount);

    public sealed class Handler(
        TaizhangDb db, ListCases.Handler list, IServiceScopeFactory scopes, OrgDirectory org, DuePolicy due,
        TimeProvider clock, CurrentUser user, Texts texts, Options options)
    {
        /// <summary>
        /// The cases the ledger shows for these filters (paging left aside), in its order; the ledger's
        /// field errors for filters that make no sense.
        /// </summary>
        public async Task<Selection> SelectAsync(ListCases.Query query, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var cases = await list.FilterAsync(query, errors, ct);
            var order = list.Order(query, errors);
            errors.ThrowIfAny();
            return new Selection(query, order(cases), await cases.CountAsync(ct));
        }

        /// <summary>
        /// The export as a download: refused (422) past <see cref="Options.MaxRows"/>; otherwise recorded
        /// in the audit trail (who, which filters, how many rows) before a byte is written.
        /// </summary>
        public async Task<LedgerDownload> ExportAsync(ListCases.Query query, Format format, CancellationToken ct)
        {
            var selection = await SelectAsync(query, ct);
            if (selection.Total > options.MaxRows)
            {
                throw new DomainRuleException("ledger-export.too-many-rows", "Too many rows to export.",
                    new Dictionary<string, string>
                    {
                        ["count"] = selection.Total.ToString("N0", CultureInfo.InvariantCulture),
                        ["max"] = options.MaxRows.ToString("N0", CultureInfo.InvariantCulture),
                    });
            }
            var principal = await user.GetAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var extension = format == Format.Xlsx ? "xlsx" : "csv";
            // Filed under the exporter's area, so their town's administrators see who took the ledger out.
            db.Record(principal.Actor, now, AuditAction, "cases:export." + extension,
                Truncate($"format={extension}; rows={selection.Total}; filters={AuditFilters(query)}", 2000),
                AdminAudit.AreaOf(principal));
            await db.SaveChangesAsync(ct);

            var stamp = due.LocalDate(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            return new LedgerDownload(
                format,
                $"{texts["ledger-export.file-name"]}-{stamp}.{extension}",
                $"ledger-{stamp}.{extension}",
                texts["ledger-export.sheet-name"],
                texts["ledger-export.footer"],
                Headers(),
                RowsAsync(selection, options.MaxRows, ct));
        }

        /// <summary>The print view: the first rows up to <see cref="Options.PrintMaxRows"/>, the total, the filters in words.</summary>
        public async Task<Printout> PrintAsync(ListCases.Query query, CancellationToken ct)
        {
            var selection = await SelectAsync(query, ct);
            // A printout takes residents' names out of the system as an export does: recorded the same way.
            var principal = await user.GetAsync(ct);
            db.Record(principal.Actor, clock.GetUtcNow().UtcDateTime, PrintAuditAction, "cases:print",
                Truncate($"rows={Math.Min(selection.Total, options.PrintMaxRows)}; matching={selection.Total}; filters={AuditFilters(query)}", 2000),
                AdminAudit.AreaOf(principal));
            await db.SaveChangesAsync(ct);
            var rows = new List<Row>(Math.Min(selection.Total, options.PrintMaxRows));
            await foreach (var row in RowsAsync(selection, options.PrintMaxRows, ct))
            {
                rows.Add(row);
            }
            return new Printout(Headers(), rows, selection.Total, options.PrintMaxRows, await DescribeAsync(query, ct),
                clock.GetUtcNow().UtcDateTime);
        }

        public IReadOnlyList<string> Headers() => Columns.Select(c => texts["ledger-export.col." + c.Key]).ToList();

        /// <summary>
        /// The rows of a selection, at most <paramref name="limit"/>: the cases read as one stream in the
        /// ledger's order, each batch completed with its reporters and the codes its texts name, looked
        /// up on a second connection while the first one is still reading.
        /// </summary>
        public async IAsyncEnumerable<Row> RowsAsync(Selection selection, int limit, [EnumeratorCancellation] CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var access = await user.AccessAsync(ct);
            await using var side = scopes.CreateAsyncScope();
            var sideDb = side.ServiceProvider.GetRequiredService<TaizhangDb>();
            var stream = selection.Cases.Take(limit).Select(c => new CaseRow(
                c.Id, c.Title, c.Description, c.Channel, c.Status, c.Track, c.Urgency, c.CategoryId, c.OrgUnitId,
                c.AssigneeUnitId, c.RegisteredAt, c.DueAt, c.ResolvedAt, c.Outcome, c.Result, c.Satisfaction, c.FollowUpCount))
                .AsAsyncEnumerable();
            var batch = new List<CaseRow>(BatchSize);
            var number = 0;
            await foreach (var c in stream.WithCancellation(ct))
            {
                batch.Add(c);
                if (batch.Count == BatchSize)
                {
                    foreach (var row in await CompleteAsync(sideDb, batch, units, access, number, ct))
                    {
                        yield return row;
                    }
                    number += batch.Count;
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                foreach (var row in await CompleteAsync(sideDb, batch, units, access, number, ct))
                {
                    yield return row;
                }
            }
        }

        private async Task<List<Row>> CompleteAsync(
            TaizhangDb sideDb, List<CaseRow> batch, OrgDirectory.Snapshot units, CaseAccess access, int numberBefore, CancellationToken ct)
        {
            var ids = batch.Select(c => c.Id).ToList();
            var reporters = (await sideDb.CaseReporters.AsNoTracking()
                    .Where(r => ids.Contains(r.CaseId))
                    .Select(r => new { r.CaseId, r.Id, r.Name, r.Phone, r.AddedAt })
                    .ToListAsync(ct))
                .OrderBy(r => r.AddedAt).ThenBy(r => r.Id)
                .ToLookup(r => r.CaseId);
            // Tracking codes of other cases written into descriptions and results: masked where the reader may not see them.
            var refs = await CaseReferences.ForTextsAsync(sideDb, access, batch.SelectMany(c => new[] { c.Description, c.Result }), ct);
            var rows = new List<Row>(batch.Count);
            var number = numberBefore;
            foreach (var c in batch)
            {
                // As the case page shows them: names to those who may handle the case, phones masked for everyone.
                var showNames = access.Can(Permission.RevealPersonalData, c.OrgUnitId, c.AssigneeUnitId);
                var people = reporters[c.Id].ToList();
                // A resident who asked not to be named has no name on record: the ledger says so, as the case page does.
                var names = string.Join("、", people.Select(r => r.Name.Length == 0 ? texts["ledger-export.anonymous"]
                    : showNames ? r.Name : PersonalData.MaskName(r.Name)));
                var phones = string.Join("、", people.Select(r => PersonalData.MaskPhone(r.Phone)).Where(p => !string.IsNullOrEmpty(p)));
                rows.Add(new Row(c.Id,
                [
                    ++number,
                    TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(c.RegisteredAt, DateTimeKind.Utc), due.Zone),
                    texts["channel." + c.Channel],
                    Empty(names),
                    Empty(phones),
                    Village(units, c.OrgUnitId),
                    Content(c.Title, refs.Mask(c.Description)),
                    c.CategoryId is { } cat && units.CategoriesById.TryGetValue(cat, out var category) ? category.Name : null,
                    texts["urgency." + c.Urgency],
                    c.Track is { } track ? texts["track." + track] : null,
                    c.AssigneeUnitId is { } assignee && units.UnitsById.TryGetValue(assignee, out var unit) ? unit.Name : null,
                    due.LocalDate(c.DueAt.AddTicks(-1)),
                    Handling(c.Status, c.Outcome, refs.Mask(c.Result)),
                    c.ResolvedAt is { } resolved ? due.LocalDate(resolved) : null,
                    FollowUp(c.Status, c.FollowUpCount),
                    c.Satisfaction is { } verdict ? texts["satisfaction." + verdict] : null,
                ]));
            }
            return rows;
        }

        /// <summary>
        /// 所属村/组: the village or community; a group with its village ("马家村/一组"), unless the group's
        /// name already says it ("马家村二组").
        /// </summary>
        private static string? Village(OrgDirectory.Snapshot units, long id)
        {
            if (!units.UnitsById.TryGetValue(id, out var unit))
            {
                return null;
            }
            return unit.Kind == OrgUnitKind.Group && unit.ParentId is { } parent && units.UnitsById.TryGetValue(parent, out var village)
                && !unit.Name.StartsWith(village.Name, StringComparison.Ordinal)
                ? village.Name + "/" + unit.Name
                : unit.Name;
        }

        /// <summary>事项内容: the description, after the title unless it already begins with it.</summary>
        private static string Content(string title, string description) =>
            description.StartsWith(title, StringComparison.Ordinal) ? description : title + "：" + description;

        /// <summary>办理情况: the state, the outcome and the result recorded.</summary>
        private string Handling(CaseStatus status, Outcome? outcome, string? result)
        {
            var text = texts["status." + status];
            if (outcome is { } o)
            {
                text += texts.Format("ledger-export.outcome", texts["outcome." + o]);
            }
            return string.IsNullOrWhiteSpace(result) ? text : text + texts.Format("ledger-export.result", result);
        }

        /// <summary>回访情况: visited (how often), awaiting the visit, or nothing yet to visit.</summary>
        private string? FollowUp(CaseStatus status, int visits) => visits switch
        {
            1 => texts["ledger-export.followed-up"],
            > 1 => texts.Format("ledger-export.followed-up-times", visits),
            _ when status == CaseStatus.Resolved => texts["ledger-export.awaiting-follow-up"],
            _ => null,
        };

        private static string? Empty(string text) => text.Length == 0 ? null : text;

        /// <summary>The filters in words, for the print view's title.</summary>
        private async Task<IReadOnlyList<FilterText>> DescribeAsync(ListCases.Query q, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var filters = new List<FilterText>();
            void Add(string label, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    filters.Add(new FilterText(texts[label], value));
                }
            }
            string? Enums<TEnum>(string prefix, string? value) where TEnum : struct, Enum => value is null ? null
                : string.Join("、", Split(value).Select(v => Enum.TryParse<TEnum>(v, ignoreCase: true, out var e) ? texts[prefix + "." + e] : v));
            string? Unit(string? code) => code is null ? null
                : units.UnitsByCode.TryGetValue(code.Trim(), out var u) ? u.Name : code;
            string? YesNo(string key, string? value) => value?.Trim().ToLowerInvariant() is "true" or "false"
                ? texts[key + "." + value.Trim().ToLowerInvariant()] : value;
            Add("ledger.col.status", Enums<CaseStatus>("status", q.Status));
            Add("ledger.col.village", Unit(q.OrgUnit));
            Add("ledger.col.assignee", Unit(q.AssigneeUnit));
            Add("ledger.col.channel", Enums<Channel>("channel", q.Channel));
            Add("ledger.col.category", q.Category is null ? null : string.Join("、", Split(q.Category)
                .Select(code => units.CategoriesByCode.TryGetValue(code, out var c) ? c.Name : code)));
            Add("ledger.col.urgency", Enums<Urgency>("urgency", q.Urgency));
            Add("ledger.col.track", Enums<Track>("track", q.Track));
            Add("ledger.overdue", YesNo("ledger.overdue", q.Overdue));
            Add("ledger.due-soon", q.DueSoon?.Trim().ToLowerInvariant() == "true" ? texts["ledger.due-soon.true"] : null);
            Add("ledger.col.satisfaction", Enums<Satisfaction>("satisfaction", q.Satisfaction));
            Add("ledger.col.outcome", Enums<Outcome>("outcome", q.Outcome));
            Add("ledger.on-time", YesNo("ledger.on-time", q.OnTime));
            Add("ledger.resolved-once", YesNo("ledger.resolved-once", q.ResolvedOnce));
            Add("ledger.followed-up", YesNo("ledger.followed-up", q.FollowedUp));
            Add("ledger.search", q.Q);
            if (q.From is not null || q.To is not null)
            {
                Add("ledger-export.registered-between", texts.Format("ledger-export.date-range", q.From ?? "…", q.To ?? "…"));
            }
            return filters;
        }

        private static string[] Split(string value) =>
            value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// The filters for the audit trail: the ledger's query string without paging, with digits that could
    /// be a phone number (a search by number) masked as phones are: the trail holds no phone number.
    /// </summary>
    public static string AuditFilters(ListCases.Query query)
    {
        var q = query.Q is { } text ? LongDigits().Replace(text, m => PersonalData.MaskPhone(m.Value) ?? "") : null;
        var filters = (query with { Page = null, PageSize = null, Q = q }).ToQueryString();
        return filters.Length == 0 ? "(none)" : filters;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"\d[\d\s-]{5,}\d")]
    private static partial Regex LongDigits();

    public static async Task<IResult> XlsxEndpoint(HttpRequest request, Handler handler, CancellationToken ct) =>
        await handler.ExportAsync(ListCases.Query.Parse(request.Query), Format.Xlsx, ct);

    public static async Task<IResult> CsvEndpoint(HttpRequest request, Handler handler, CancellationToken ct) =>
        await handler.ExportAsync(ListCases.Query.Parse(request.Query), Format.Csv, ct);
}
