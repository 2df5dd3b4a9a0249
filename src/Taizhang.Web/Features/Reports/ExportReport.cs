using System.Globalization;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// 统计报表 as .xlsx: the reports page's figures (<see cref="ReportData"/>, the same query string, the
/// caller's scope) in the office's layout (<see cref="OfficeWorkbook"/>): 概况 (the figures and rates
/// with the previous period's), 12345考核, one sheet per breakdown table, 趋势 (12 months) and
/// 指标说明 (every figure and rate with its definition, the period, the scope, the "as of" time and
/// the assessment weights). Numbers are the JSON report's, cell for cell.
/// </summary>
public static class ExportReport
{
    public sealed class Handler(ReportData.Handler report, Texts texts, DuePolicy due, CurrentUser user, AssessmentScheme scheme, ReportAudit audit)
    {
        public async Task<WorkbookDownload> HandleAsync(ReportData.Query query, CancellationToken ct)
        {
            var r = await report.HandleAsync(query, ct);
            await audit.RecordAsync(ReportAudit.ExportAction, "reports:export.xlsx", query, ct);
            var principal = await user.GetAsync(ct);
            var scope = r.Scope?.Name ?? string.Join(texts["excel.separator"], principal.Posts.Select(p => p.Unit.Name).Distinct());
            var asOf = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(r.AsOf, DateTimeKind.Utc), due.Zone);
            var title = texts.Format("excel.report.title", scope, r.Label);
            string Title(string part) => title + texts["excel.dash"] + part;
            var book = new OfficeWorkbook(texts["ledger-export.footer"]);

            // 概况: the rates first (what the office reads), then the counts they are made of.
            var overview = book.AddSheet(texts["excel.sheet.overview"], Title(texts["excel.sheet.overview"]),
            [
                (texts["excel.col.item"], 24), (texts.Format("excel.col.current", r.Label), 16), (texts.Format("excel.col.previous", r.PreviousLabel), 16),
                (texts["excel.col.numerator"], 10), (texts["excel.col.denominator"], 10),
            ]);
            foreach (var rate in r.Rates)
            {
                overview.Add(rate.Name, new OfficeWorkbook.Percent(rate.Value), new OfficeWorkbook.Percent(rate.Previous), rate.Numerator, rate.Denominator);
            }
            foreach (var figure in r.Figures)
            {
                overview.Add(figure.Name, figure.Count);
            }
            if (r.Consultation is { } consultation)
            {
                foreach (var figure in consultation.Figures)
                {
                    overview.Add(figure.Name, figure.Count);
                }
                foreach (var rate in consultation.MediationRates)
                {
                    overview.Add(rate.Name, new OfficeWorkbook.Percent(rate.Value), null, rate.Numerator, rate.Denominator);
                }
            }

            // 12345考核: the scheme's rates over validly followed-up cases, and its weights.
            var a = r.Assessment;
            var window = texts.Format("report.label.custom", Day(a.From), Day(a.To));
            book.AddSheet(texts["excel.sheet.assessment"], Title(texts["excel.sheet.assessment"]),
                    [(texts["excel.col.item"], 24), (texts["excel.col.value"], 16), (texts["excel.col.definition"], 60)])
                .Add(texts["excel.assessment.window"], window, texts["excel.assessment.window.definition"])
                .Add(texts["excel.assessment.followed-up"], a.FollowedUp, texts["excel.assessment.followed-up.definition"])
                .Add(texts["excel.assessment.response"], new OfficeWorkbook.Percent(a.Response), a.Definitions["response"])
                .Add(texts["excel.assessment.resolution"], new OfficeWorkbook.Percent(a.Resolution), a.Definitions["resolution"])
                .Add(texts["excel.assessment.satisfaction"], new OfficeWorkbook.Percent(a.Satisfaction), a.Definitions["satisfaction"])
                .Add(texts["excel.assessment.composite"], Score(a.Composite), a.Definitions["composite"])
                .Add(texts["excel.weight.response"], new OfficeWorkbook.Number(a.Scheme.ResponseWeight))
                .Add(texts["excel.weight.resolution"], new OfficeWorkbook.Number(a.Scheme.ResolutionWeight))
                .Add(texts["excel.weight.satisfaction"], new OfficeWorkbook.Number(a.Scheme.SatisfactionWeight))
                .Add(texts["excel.weight.basic"], new OfficeWorkbook.Number(a.Scheme.BasicWeight));

            // One sheet per breakdown, with a total row from the report's own totals.
            var rateKeys = CaseFigures.AllRates.Select(x => x.Key).ToList();
            var counts = new[] { "registered", "accepted", "handled", "on-time", "followed-up", "satisfied" };
            List<(string, double)> TableColumns(string first) =>
                [(first, 22), .. counts.Select(k => (texts["figure." + k], 10.0)), .. rateKeys.Select(k => (texts["rate." + k], 10.0))];
            foreach (var table in r.Tables)
            {
                var sheet = book.AddSheet(texts["excel.sheet.table." + table.Dimension], Title(table.Name), TableColumns(table.Name));
                foreach (var row in table.Rows)
                {
                    sheet.Add([row.Name, row.Registered, row.Accepted, row.Handled, row.OnTime, row.FollowedUp, row.Satisfied,
                        .. rateKeys.Select(k => (object?)new OfficeWorkbook.Percent(row.Rates.GetValueOrDefault(k)))]);
                }
                sheet.Add([texts["excel.total"], .. counts.Select(k => (object?)r.Figures.First(f => f.Key == k).Count),
                    .. rateKeys.Select(k => (object?)new OfficeWorkbook.Percent(r.Rates.First(x => x.Key == k).Value))]);
            }

            // 单位排名 (when the report ranks), and the report's lists of cases.
            if (r.Rankings is { } ranking)
            {
                var ranks = book.AddSheet(texts["excel.sheet.rankings"], Title(texts["excel.sheet.rankings"]),
                [
                    (texts["excel.col.rank"], 16), (texts["excel.col.unit"], 22), (texts["excel.col.cases"], 10), (texts["rate.handling"], 10),
                    (texts["rate.on-time"], 10), (texts["rate.satisfaction"], 10), (texts["excel.col.returns"], 10), (texts["rate.return"], 10),
                    (texts["excel.col.reminders"], 10), (texts["excel.col.notices"], 10), (texts["excel.col.supervision-points"], 10),
                    (texts["excel.col.score"], 10),
                ]);
                foreach (var row in ranking.Rows)
                {
                    ranks.Add(row.Rank is { } rank ? rank : texts["report.ranking.too-few"], row.Unit.Name, row.Cases,
                        new OfficeWorkbook.Percent(row.HandlingRate), new OfficeWorkbook.Percent(row.OnTimeRate), new OfficeWorkbook.Percent(row.SatisfactionRate),
                        row.Returns, new OfficeWorkbook.Percent(row.ReturnRate), row.Reminders, row.Notices, row.SupervisionPoints,
                        row.Score is { } score ? new OfficeWorkbook.Number(score) : null);
                }
            }
            foreach (var list in r.Lists)
            {
                var sheet = book.AddSheet(list.Name, Title(list.Name),
                    [(texts["excel.col.code"], 14), (texts["excel.col.title"], 40), (texts["excel.col.unit"], 22), (texts["excel.col.due"], 12)]);
                foreach (var item in list.Items)
                {
                    sheet.Add(item.TrackingCode, item.Title, item.AssigneeUnit?.Name ?? item.OrgUnit?.Name, item.DueDate);
                }
                if (list.Total > list.Items.Count)
                {
                    sheet.Add(null, texts.Format("excel.list.more", list.Total, list.Items.Count));
                }
            }

            // 趋势: each of the last 12 months as of its end (the running month as of now).
            var trend = book.AddSheet(texts["excel.sheet.trend"], Title(texts["excel.sheet.trend"]),
                [(texts["excel.col.month"], 12), (texts["figure.registered"], 10), .. rateKeys.Select(k => (texts["rate." + k], 10.0)),
                 (texts["excel.assessment.response"], 12), (texts["excel.assessment.resolution"], 12), (texts["excel.assessment.satisfaction"], 12),
                 (texts["excel.assessment.composite"], 12)]);
            foreach (var point in r.Trends)
            {
                // The composite with its three parts, as the assessment sheet and the page's trend show them.
                trend.Add([point.Month, point.Registered, .. rateKeys.Select(k => (object?)new OfficeWorkbook.Percent(point.Rates.GetValueOrDefault(k))),
                    new OfficeWorkbook.Percent(point.Assessment?.Response), new OfficeWorkbook.Percent(point.Assessment?.Resolution),
                    new OfficeWorkbook.Percent(point.Assessment?.Satisfaction), Score(point.Composite)]);
            }

            // 指标说明: what every number means, for which period, scope and time.
            var definitions = book.AddSheet(texts["excel.sheet.definitions"], Title(texts["excel.sheet.definitions"]),
                [(texts["excel.col.item"], 24), (texts["excel.col.definition"], 90)]);
            definitions.Add(texts["excel.scope"], scope)
                .Add(texts["excel.period"], texts.Format("excel.period.value", r.Label, Day(r.From), Day(r.To)))
                .Add(texts["excel.as-of"], asOf)
                .Add(texts["excel.previous"], texts.Format("excel.previous.value", r.PreviousLabel))
                .Add(texts["excel.cohort"], texts[r.Closed ? "excel.cohort.closed" : "excel.cohort.running"]);
            foreach (var rate in r.Rates)
            {
                definitions.Add(rate.Name, rate.Definition);
            }
            foreach (var figure in r.Figures)
            {
                definitions.Add(figure.Name, texts["excel.figure." + figure.Key]);
            }
            foreach (var key in new[] { "response", "resolution", "satisfaction", "composite" })
            {
                definitions.Add(texts["excel.assessment." + key], a.Definitions[key]);
            }
            definitions.Add(texts["excel.assessment.window"], window + texts["excel.dash"] + texts["excel.assessment.window.definition"])
                .Add(texts["excel.weights"], texts.Format("excel.weights.value", Show(scheme.ResponseWeight), Show(scheme.ResolutionWeight),
                    Show(scheme.SatisfactionWeight), Show(scheme.BasicWeight)));
            if (r.Rankings is { } rankingDefinition)
            {
                definitions.Add(texts["excel.sheet.rankings"], rankingDefinition.Definition);
            }
            if (r.Consultation is { } c)
            {
                foreach (var figure in c.Figures)
                {
                    definitions.Add(figure.Name, figure.Definition);
                }
                foreach (var rate in c.MediationRates)
                {
                    definitions.Add(rate.Name, rate.Definition);
                }
            }

            // A unit's report is named after it too: several villages' downloads of one month are told apart.
            var stamp = Day(r.From) + "-" + Day(r.To) + (r.Scope is { } unit ? "-" + unit.Code : "");
            var name = texts.Format("excel.report.file-name", r.Label) + (r.Scope is { } u ? "-" + u.Name : "");
            return new WorkbookDownload(book.ToBytes(), name + ".xlsx", $"report-{stamp}.xlsx");
        }

        private static string Show(double weight) => weight.ToString("0.##", CultureInfo.InvariantCulture);

        /// <summary>The 12345 composite as the page shows it: a score out of 100 with one decimal (the rates stay percentages).</summary>
        private static OfficeWorkbook.Number? Score(double? composite) => composite is { } c ? new OfficeWorkbook.Number(Math.Round(c * 100, 1)) : null;

        private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>GET /api/v1/reports/export.xlsx?…: the report's query string (bad input: problem+json with field errors).</summary>
    public static async Task<WorkbookDownload> Endpoint([AsParameters] ReportData.Query query, Handler handler, CancellationToken ct) =>
        await handler.HandleAsync(query, ct);
}
