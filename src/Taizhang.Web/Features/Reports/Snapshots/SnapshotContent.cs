using System.Data;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// What a frozen month holds: the month's cohort as of its end, grouped (<see cref="PeriodFacts"/>'s
/// rows, merged and in a canonical order, so the same facts always serialize alike), and the totals
/// by figure (<see cref="Taizhang.Domain.Rates.FigureCounts.ToDictionary"/>).
/// </summary>
public sealed record SnapshotFigures(int Version, DateTime AsOf, IReadOnlyList<FactRow> Rows, IReadOnlyDictionary<string, int> Totals)
{
    public const int CurrentVersion = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SnapshotFigures? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SnapshotFigures>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Rows with the same dimensions and facts merged (a replayed case is a row of its own), ordered by their JSON.</summary>
    public static SnapshotFigures Of(PeriodFactSet set)
    {
        var rows = set.Rows
            .GroupBy(r => r with { Count = 0 })
            .Select(g => g.Key with { Count = g.Sum(r => r.Count) })
            .Select(r => (Key: JsonSerializer.Serialize(r with { Count = 0 }, Json), Row: r))
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => x.Row)
            .ToList();
        return new SnapshotFigures(CurrentVersion, set.AsOfUtc, rows, set.Totals().ToDictionary());
    }
}

/// <summary>A town's month computed from the database now: what a snapshot freezes and what verify compares.</summary>
public sealed record SnapshotContent(SnapshotFigures Figures, string FiguresJson, string EventsHash, int EventCount, int CaseCount);

/// <summary>
/// Computes a town's month, whoever asks: in a scope of its own as a reader of the whole town
/// (<see cref="CurrentUser.ActAsReaderOf"/>), through the reports' own engine (<see cref="PeriodFacts"/>,
/// narrowed to the town as the ledger's orgUnit filter does), inside one read snapshot so the figures
/// and the events hash describe the same database state.
/// </summary>
public sealed class SnapshotComputer(IServiceScopeFactory scopes)
{
    public async Task<SnapshotContent> ComputeAsync(UnitInfo town, DateOnly month, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<CurrentUser>().ActAsReaderOf(town, "system:report-snapshot", "月报封存");
        var facts = services.GetRequiredService<PeriodFacts.Handler>();
        var db = services.GetRequiredService<TaizhangDb>();
        var period = Period.Month(month);
        var filters = new ListCases.Query { OrgUnit = town.Code };

        await using var snapshot = await BeginSnapshotAsync(db, ct);
        var set = await facts.GetAsync(period, ct, filters, recount: true);
        var figures = SnapshotFigures.Of(set);
        var cohort = await facts.CohortAsync(period, filters, ct);
        var caseCount = await cohort.CountAsync(ct);
        var (hash, events) = await EventsHashAsync(db, cohort, set.AsOfUtc, ct);
        await snapshot.CommitAsync(ct);
        return new SnapshotContent(figures, figures.ToJson(), hash, events, caseCount);
    }

    /// <summary>
    /// SHA-256 over one line per event of the cohort at or before <paramref name="asOf"/>, in (case,
    /// sequence) order: the case id, the sequence, the SHA-256 of the event's sealed content recomputed
    /// now (<see cref="Domain.Cases.CaseEvent.ComputeHash(string, string?)"/> without its predecessor, so
    /// an edit to a row is seen even where its stored hash was left alone), the stored hash ("-" for an
    /// event from before the chain), and the unit it concerns ("-" when none).
    /// </summary>
    public static async Task<(string Hash, int Count)> EventsHashAsync(TaizhangDb db, IQueryable<Domain.Cases.Case> cohort, DateTime asOf, CancellationToken ct)
    {
        var rows = from e in db.CaseEvents.AsNoTracking()
                   join c in cohort on e.CaseId equals c.Id
                   where e.At <= asOf
                   orderby e.CaseId, e.Sequence
                   select new { Event = e, c.TrackingCode };
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var e = row.Event;
            var line = string.Join('\t',
                e.CaseId.ToString(CultureInfo.InvariantCulture),
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                e.ComputeHash(row.TrackingCode, null),
                e.Hash ?? "-",
                e.UnitId?.ToString(CultureInfo.InvariantCulture) ?? "-") + "\n";
            sha.AppendData(Encoding.UTF8.GetBytes(line));
            count++;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), count);
    }

    /// <summary>
    /// A read snapshot without blocking writers: a deferred transaction on SQLite (WAL), repeatable read
    /// on PostgreSQL. A case changed between the grouped read and the replay is then counted once.
    /// </summary>
    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginSnapshotAsync(TaizhangDb db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct)
                ?? throw new InvalidOperationException("SQLite transaction was not taken up.");
        }
        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
    }
}
