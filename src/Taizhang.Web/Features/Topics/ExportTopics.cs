using System.Globalization;
using System.Runtime.CompilerServices;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Topics;

/// <summary>
/// The topic ledger as .xlsx in the office's layout (the case ledger's writer: frozen header repeated
/// on every printed page, column widths, A4 landscape): the rows of <see cref="ListTopics"/> with the
/// same filters, up to <see cref="MaxRows"/>.
/// </summary>
public static class ExportTopics
{
    public const int MaxRows = 5000;

    private static readonly (string Key, double Width)[] Columns =
    [
        ("number", 6), ("code", 14), ("title", 36), ("village", 14), ("stage", 10), ("ledgered", 12), ("days", 8),
        ("meetings", 40), ("steps", 10), ("progress", 8), ("next", 12), ("overdue", 8),
    ];

    public sealed class Handler(ListTopics.Handler list, Texts texts, DuePolicy due, TimeProvider clock)
    {
        public async Task<LedgerDownload> HandleAsync(ListTopics.Query query, CancellationToken ct)
        {
            var page = await list.HandleAsync(query with { Page = "1", PageSize = MaxRows.ToString(CultureInfo.InvariantCulture) }, ct, MaxRows);
            var stamp = due.LocalDate(clock.GetUtcNow().UtcDateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            return new LedgerDownload(ExportLedger.Format.Xlsx, $"{texts["topics.file-name"]}-{stamp}.xlsx", $"topics-{stamp}.xlsx",
                texts["topics.title"], texts["ledger-export.footer"], Columns.Select(c => texts["topics.col." + c.Key]).ToList(),
                RowsAsync(page.Items, ct), Columns.Select(c => c.Width).ToList());
        }

        private async IAsyncEnumerable<ExportLedger.Row> RowsAsync(IReadOnlyList<TopicRow> rows, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.CompletedTask;
            var n = 0;
            foreach (var r in rows)
            {
                ct.ThrowIfCancellationRequested();
                var meetings = string.Join(texts["topics.export.separator"], r.Meetings.Select(m => texts.Format("topics.export.meeting", m.Title,
                    due.LocalDate(m.At).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    m.Outcome is { } o ? texts["topics.export.separator"] + texts["topics.outcome." + o] : "")));
                yield return new ExportLedger.Row(r.Id,
                [
                    ++n, r.TrackingCode, r.Title, r.Village?.Name, texts["status." + r.Stage], due.LocalDate(r.LedgeredAt), r.DaysSinceLedgered,
                    meetings.Length == 0 ? null : meetings,
                    r.Plan is { } p ? $"{p.StepsDone}/{p.StepCount}" : null,
                    r.Plan?.OverallProgress,
                    r.Plan?.NextTargetDate,
                    r.Plan?.OverdueStep == true ? texts["topics.overdue"] : null,
                ]);
            }
        }
    }

    public static async Task<LedgerDownload> Endpoint(HttpRequest http, Handler handler, CancellationToken ct)
    {
        string? Get(string name) => http.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        return await handler.HandleAsync(new ListTopics.Query(Get("village"), Get("stage"), Get("overdue"), Get("q"), Get("sort")), ct);
    }
}
