using System.Text.Json;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Imports;

/// <summary>
/// 批量导入: the rows of a sheet (or a JSON batch) through a source's mapping. Every row is checked as a
/// registration would be; the valid ones become cases of the source's channel in chunks, each chunk one
/// transaction; a row whose reference the source already imported (in this file or any earlier one) is a
/// duplicate and creates nothing; refused rows are kept with their reasons for the error sheet. A run
/// stopped by a failure leaves its committed chunks, and the same file uploaded again continues: the
/// committed rows are duplicates then, the rest are created.
/// </summary>
public static class RunImport
{
    public sealed record RowError(int Row, string Column, string Reason);

    public sealed record CreatedRow(int Row, string Reference, long CaseId, string TrackingCode);

    public sealed record DuplicateRow(int Row, string Reference, long? CaseId, int? SameAsRow);

    public sealed record Result(
        long RunId, long SourceId, string Status, int Rows, int Created, int Duplicates, int Invalid,
        IReadOnlyList<CreatedRow> CreatedRows, IReadOnlyList<DuplicateRow> DuplicateRows, IReadOnlyList<RowError> Errors);

    /// <summary>What the error sheet is made of: the uploaded columns, and each refused row's cells and reasons.</summary>
    public sealed record ErrorSheet(string[] Headers, IReadOnlyList<ErrorSheetRow> Rows);

    public sealed record ErrorSheetRow(int Row, string[] Cells, string Reasons);

    /// <summary>The sheet's headers do not carry the source's mapping: a person confirms one first (the proposal is in the problem).</summary>
    public sealed class MappingNeededException(IReadOnlyDictionary<string, string> proposal) : Exception("The sheet's columns need a mapping.")
    {
        public IReadOnlyDictionary<string, string> Proposal { get; } = proposal;
    }

    public sealed class Handler(
        TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentUser user, Texts texts,
        Residents.RatingCodes ratingCodes, ImportOptions options, ImportChunkWriter writer, ImportSources.Handler sources,
        ILogger<Handler> log)
    {
        /// <param name="mapping">The mapping to use (the source's saved one when null).</param>
        public async Task<Result> RunAsync(long sourceId, ImportSheet sheet, string fileName, IReadOnlyDictionary<string, string>? mapping,
            CancellationToken ct)
        {
            var source = await sources.LoadAsync(sourceId, ct);
            var access = await user.AccessAsync(ct);
            var actor = access.Principal.Actor;
            var map = mapping ?? ImportFields.Parse(source.Mapping);
            if (!ImportFields.Fits(map, sheet.Headers))
            {
                throw new MappingNeededException(ImportFields.Propose(sheet.Headers, map));
            }
            var started = clock.GetUtcNow().UtcDateTime;
            var run = new ImportRun
            {
                SourceId = source.Id,
                TownId = source.TownId,
                ActorId = actor.Id,
                ActorName = actor.Name,
                StartedAt = started,
                FileName = SafeName(fileName),
                Rows = sheet.Rows.Count,
                Status = "Running",
            };
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync(ct);

            var units = await org.GetAsync(ct);
            var column = sheet.Headers.Select((h, i) => (h, i)).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            var index = ImportFields.All.ToDictionary(f => f, f => map.TryGetValue(f, out var h) && column.TryGetValue(h, out var i) ? i : -1);
            var villages = units.Units.Where(u => u.TownId == source.TownId && u.CanOwnCases).ToList();
            var villagesByName = villages.GroupBy(u => u.Name).ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First() : null, StringComparer.Ordinal);
            var categoriesByName = units.Categories.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var today = due.LocalDate(started);

            var valid = new List<ValidRow>();
            var errors = new List<RowError>();
            var errorRows = new List<ErrorSheetRow>();
            var duplicates = new List<DuplicateRow>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var row in sheet.Rows)
            {
                string Cell(string field) => index[field] is var i and >= 0 && i < row.Cells.Length ? row.Cells[i] : string.Empty;
                string ColumnOf(string field) => map.TryGetValue(field, out var h) ? h : field;
                var fe = new FieldErrors();
                var reference = RequestParsing.Text(fe, texts, ImportFields.Reference, Cell(ImportFields.Reference), 128, required: true);
                var description = RequestParsing.Text(fe, texts, ImportFields.Description, Cell(ImportFields.Description), Case.DescriptionMaxLength, required: true);
                var title = RequestParsing.Text(fe, texts, ImportFields.Title, Cell(ImportFields.Title), Case.TitleMaxLength, required: false)
                    ?? Cases.CaseTitles.FromDescription(description, 40);
                UnitInfo? village = null;
                var villageText = Cell(ImportFields.Village).Trim();
                if (villageText.Length == 0)
                {
                    fe.Add(ImportFields.Village, texts["field.required"]);
                }
                else if (!((units.UnitsByCode.TryGetValue(villageText, out village) && village.TownId == source.TownId && village.CanOwnCases)
                    || (villagesByName.TryGetValue(villageText, out village) && village is not null)))
                {
                    village = null;
                    fe.Add(ImportFields.Village, texts.Format("imports.error.unknown-village", villageText));
                }
                else if (!access.CanRegisterAt(village))
                {
                    fe.Add(ImportFields.Village, texts.Format("field.outside-your-area", village.Name));
                    village = null;
                }
                long? categoryId = null;
                var categoryText = Cell(ImportFields.Category).Trim();
                if (categoryText.Length > 0)
                {
                    if (units.CategoriesByCode.TryGetValue(categoryText, out var cat) || categoriesByName.TryGetValue(categoryText, out cat))
                    {
                        categoryId = cat.Id;
                    }
                    else
                    {
                        fe.Add(ImportFields.Category, texts.Format("field.unknown-category", categoryText));
                    }
                }
                var name = RequestParsing.Text(fe, texts, ImportFields.Name, Cell(ImportFields.Name), 64, required: false);
                var phone = RequestParsing.Phone(fe, texts, ImportFields.Phone, Cell(ImportFields.Phone));
                var address = RequestParsing.Text(fe, texts, ImportFields.Address, Cell(ImportFields.Address), 300, required: false);
                var urgency = ParseUrgency(fe, Cell(ImportFields.Urgency));
                var received = ParseDate(fe, ImportFields.Received, Cell(ImportFields.Received));
                var dueDate = ParseDate(fe, ImportFields.Due, Cell(ImportFields.Due));
                if (dueDate is { } d && d < today)
                {
                    fe.Add(ImportFields.Due, texts.Format("imports.error.due-past", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                    dueDate = null;
                }
                if (fe.Any)
                {
                    var reasons = Messages(fe).Select(m => new RowError(row.Number, ColumnOf(m.Field), m.Message)).ToList();
                    errors.AddRange(reasons);
                    errorRows.Add(new ErrorSheetRow(row.Number, row.Cells,
                        string.Join(texts["imports.reason-separator"], // Each reason is a sentence ("必填。"): its full stop would stand before the separator ("必填。；").
                        reasons.Select(r => texts.Format("imports.reason", r.Column, r.Reason.TrimEnd('。', '.'))))));
                    continue;
                }
                if (seen.TryGetValue(reference!, out var first))
                {
                    duplicates.Add(new DuplicateRow(row.Number, reference!, null, first));
                    continue;
                }
                seen[reference!] = row.Number;
                // Without a name the reporter is anonymous (the platforms often withhold it); the number is kept for the return visit.
                var anonymous = name is null && phone is not null;
                var reporter = name is not null ? new ReporterInfo(name, phone) : phone is not null ? new ReporterInfo(string.Empty, phone) : null;
                valid.Add(new ValidRow(row.Number, reference!, title!, description!, village!.Id, categoryId, reporter, anonymous,
                    address is null ? null : new GeoLocation(null, null, address), urgency, received, dueDate));
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ratingKey = await ratingCodes.KeyAsync(ct);
            var created = new List<CreatedRow>();
            var size = Math.Max(1, options.ChunkSize);
            var chunks = valid.Chunk(size).ToList();
            var at = clock.GetUtcNow().UtcDateTime;
            try
            {
                for (var k = 0; k < chunks.Count; k++)
                {
                    var chunk = chunks[k];
                    var outcomes = await writer.WriteAsync(source, run.Id, k, chunk, actor, at, due,
                        (code, reference) => Residents.RatingCodes.Hash(ratingKey, code, RatingCodeFor(ratingCodes, ratingKey, source.Id, reference)), ct);
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        if (outcomes[i].Created)
                        {
                            created.Add(new CreatedRow(chunk[i].Row, chunk[i].Reference, outcomes[i].CaseId, outcomes[i].TrackingCode!));
                        }
                        else
                        {
                            duplicates.Add(new DuplicateRow(chunk[i].Row, chunk[i].Reference, outcomes[i].CaseId, null));
                        }
                    }
                }
            }
            catch (Exception e)
            {
                // The chunk that failed stored nothing; those before it are in. The run says so; the same file again continues.
                log.LogError(e, "Import run {Run} stopped after {Created} created rows", run.Id, created.Count);
                await FinishAsync(run, "Failed", created.Count, duplicates.Count, errorRows.Count, sheet.Headers, errorRows, actor, source, CancellationToken.None);
                throw e is ProblemException or DomainRuleException ? e : new UnavailableException(e);
            }
            // Counts and times only: the operator's measure of an import (never a row's content).
            log.LogInformation("Import run {Run}: {Rows} rows, {Created} created, {Duplicates} duplicates, {Invalid} invalid; chunks written in {Ms} ms",
                run.Id, sheet.Rows.Count, created.Count, duplicates.Count, errorRows.Count, watch.ElapsedMilliseconds);
            await FinishAsync(run, "Completed", created.Count, duplicates.Count, errorRows.Count, sheet.Headers, errorRows, actor, source, ct);
            return new Result(run.Id, source.Id, run.Status, sheet.Rows.Count, created.Count, duplicates.Count, errorRows.Count,
                created, duplicates.OrderBy(d => d.Row).ToList(), errors);
        }

        private async Task FinishAsync(ImportRun run, string status, int created, int duplicates, int invalid, string[] headers,
            List<ErrorSheetRow> errorRows, Actor actor, ImportSource source, CancellationToken ct)
        {
            run.Status = status;
            run.Created = created;
            run.Duplicates = duplicates;
            run.Invalid = invalid;
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            run.Errors = errorRows.Count == 0 ? null : JsonSerializer.Serialize(new ErrorSheet(headers, errorRows));
            // Counts only: never a resident's data, never the file's content.
            db.Record(actor, run.FinishedAt.Value, "import.run", $"import-source:{source.Id}",
                $$"""{"run":{{run.Id}},"status":"{{status}}","rows":{{run.Rows}},"created":{{created}},"duplicates":{{duplicates}},"invalid":{{invalid}}}""",
                source.TownId);
            await db.SaveChangesAsync(ct);
        }

        private Urgency ParseUrgency(FieldErrors fe, string value)
        {
            var v = value.Trim();
            if (v.Length == 0)
            {
                return Urgency.Normal;
            }
            if (!v.All(char.IsAsciiDigit) && Enum.TryParse<Urgency>(v, ignoreCase: true, out var named) && Enum.IsDefined(named))
            {
                return named;
            }
            if (ImportFields.UrgencyWords.TryGetValue(v, out var word))
            {
                return word;
            }
            fe.Add(ImportFields.Urgency, texts.Format("imports.error.urgency", string.Join(" / ", Enum.GetValues<Urgency>().Select(u => texts["urgency." + u]))));
            return Urgency.Normal;
        }

        private DateOnly? ParseDate(FieldErrors fe, string field, string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }
            if (ImportSheetReader.ParseDate(value) is { } d && d >= RequestParsing.MinDate && d <= RequestParsing.MaxDate)
            {
                return d;
            }
            fe.Add(field, texts["imports.error.date"]);
            return null;
        }
    }

    /// <summary>
    /// The 评价码 of an imported case: derived (keyed) from its source and reference, never stored and never
    /// shown to staff. Whoever tells the resident about the case (the registration SMS of the outbox) derives
    /// it again here; the case keeps only its hash, as every case does.
    /// </summary>
    public static string RatingCodeFor(Residents.RatingCodes codes, byte[] key, long sourceId, string reference) =>
        codes.New(key, "import-source:" + sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), reference);

    private static IEnumerable<(string Field, string Message)> Messages(FieldErrors fe)
    {
        try
        {
            fe.ThrowIfAny();
        }
        catch (RequestValidationException e)
        {
            return e.Errors.SelectMany(kv => kv.Value.Select(m => (kv.Key, m))).ToList();
        }
        return [];
    }

    private static string SafeName(string fileName)
    {
        var name = new string(Path.GetFileName(fileName ?? string.Empty).Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "-" : name.Length > 200 ? name[..200] : name;
    }
}
