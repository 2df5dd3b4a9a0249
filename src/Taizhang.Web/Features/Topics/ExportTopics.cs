using System.Globalization;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Topics;

/// <summary>
/// The topic ledger as .xlsx in the office's layout (<see cref="OfficeWorkbook"/>: a title row with the
/// scope and the time, the header frozen and repeated on every printed page, column widths, dates as
/// dates, the plan's progress as a percentage, A4 landscape) and a definitions sheet (每栏说明, the
/// filters, the scope, the time): the rows of <see cref="ListTopics"/> with the same filters, up to <see cref="MaxRows"/>.
/// </summary>
public static class ExportTopics
{
    public const int MaxRows = 5000;

    private static readonly (string Key, double Width)[] Columns =
    [
        ("number", 6), ("code", 14), ("title", 36), ("village", 14), ("stage", 10), ("ledgered", 12), ("days", 8),
        ("meetings", 40), ("steps", 10), ("progress", 8), ("next", 12), ("overdue", 8),
    ];

    public sealed class Handler(ListTopics.Handler list, Texts texts, DuePolicy due, TimeProvider clock, CurrentUser user, OrgDirectory org)
    {
        public async Task<WorkbookDownload> HandleAsync(ListTopics.Query query, CancellationToken ct)
        {
            var page = await list.HandleAsync(query with { Page = "1", PageSize = MaxRows.ToString(CultureInfo.InvariantCulture) }, ct, MaxRows);
            var now = clock.GetUtcNow().UtcDateTime;
            var local = TimeZoneInfo.ConvertTimeFromUtc(now, due.Zone);
            var stamp = local.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var scope = await ScopeAsync(query, ct);
            var asOf = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var book = new OfficeWorkbook(texts["ledger-export.footer"]);
            var sheet = book.AddSheet(texts["topics.title"], texts.Format("excel.topics.title", scope, asOf),
                Columns.Select(c => (texts["topics.col." + c.Key], c.Width)).ToList());
            foreach (var row in Rows(page.Items))
            {
                sheet.Add(row);
            }
            var definitions = book.AddSheet(texts["excel.topics.definitions"], texts.Format("excel.topics.definitions-title", scope, asOf),
                [(texts["excel.col.item"], 16), (texts["excel.col.definition"], 90)]);
            definitions.Add(texts["excel.scope"], scope)
                .Add(texts["excel.as-of"], local)
                .Add(texts["excel.topics.filters"], Filters(query))
                .Add(texts["excel.topics.count"], page.Items.Count);
            foreach (var (key, _) in Columns)
            {
                definitions.Add(texts["topics.col." + key], texts["excel.topics.col." + key]);
            }
            return new WorkbookDownload(book.ToBytes(), $"{texts["topics.file-name"]}-{stamp}.xlsx", $"topics-{stamp}.xlsx");
        }

        /// <summary>The scope of the ledger: the village filtered on, or the units of the caller's posts.</summary>
        private async Task<string> ScopeAsync(ListTopics.Query query, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            if (!string.IsNullOrWhiteSpace(query.Village) && units.UnitsByCode.TryGetValue(query.Village.Trim(), out var village))
            {
                return village.Name;
            }
            var principal = await user.GetAsync(ct);
            return string.Join(texts["excel.separator"], principal.Posts.Select(p => p.Unit.Name).Distinct());
        }

        private string Filters(ListTopics.Query q)
        {
            var parts = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    parts.Add(name + "=" + value.Trim());
                }
            }
            Add("village", q.Village);
            Add("stage", q.Stage);
            Add("overdue", q.Overdue);
            Add("q", q.Q);
            Add("sort", q.Sort);
            return parts.Count == 0 ? texts["ledger-export.no-filters"] : string.Join("; ", parts);
        }

        private IEnumerable<object?[]> Rows(IReadOnlyList<TopicRow> rows)
        {
            var n = 0;
            foreach (var r in rows)
            {
                var meetings = string.Join(texts["topics.export.separator"], r.Meetings.Select(m => texts.Format("topics.export.meeting", m.Title,
                    due.LocalDate(m.At).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    m.Outcome is { } o ? texts["topics.export.separator"] + texts["topics.outcome." + o] : "")));
                yield return
                [
                    ++n, r.TrackingCode, r.Title, r.Village?.Name, texts["status." + r.Stage], due.LocalDate(r.LedgeredAt), r.DaysSinceLedgered,
                    meetings.Length == 0 ? null : meetings,
                    r.Plan is { } p ? $"{p.StepsDone}/{p.StepCount}" : null,
                    r.Plan is { } progress ? new OfficeWorkbook.Percent(progress.OverallProgress / 100.0) : null,
                    r.Plan?.NextTargetDate,
                    r.Plan?.OverdueStep == true ? texts["topics.overdue"] : null,
                ];
            }
        }
    }

    public static async Task<WorkbookDownload> Endpoint(HttpRequest http, Handler handler, CancellationToken ct)
    {
        string? Get(string name) => http.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        return await handler.HandleAsync(new ListTopics.Query(Get("village"), Get("stage"), Get("overdue"), Get("q"), Get("sort")), ct);
    }
}
