using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Bench.Generator;
using Taizhang.Web.Data;
using Taizhang.Web.Demo;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Infrastructure;

// Fills an empty Taizhang database with a county of realistic cases for the benchmarks:
//   generator --provider sqlite --connection "Data Source=bench.db" --cases 1000000 --seed 42
// The schema comes from the app's own migrations; the rows are built with the domain's own
// methods (so states, events and due dates are exactly what the app would have written) and
// inserted in bulk: SQLite with prepared statements, PostgreSQL with binary COPY.
var options = GeneratorOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: Taizhang.Bench.Generator --provider sqlite|postgres --connection <connection string>
                 [--cases 1000000] [--seed 42] [--towns 40] [--villages 25] [--batch 50000] [--meetings 50000] [--now 2026-11-26T00:00:00Z]
        """);
    return 2;
}

var total = Stopwatch.StartNew();
var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = options.Postgres ? "Postgres" : "Sqlite",
    ["Database:ConnectionString"] = options.Connection,
}).Build();
var services = new ServiceCollection()
    .AddLogging()
    .AddTaizhangDatabase(config)
    .AddTaizhangTime(config)
    .AddSingleton<OrgDirectory>()
    .BuildServiceProvider();

await DatabaseSetup.MigrateAsync(services);
var policySource = services.GetRequiredService<DuePolicySource>();
await policySource.InitializeAsync(TimeProvider.System);
await DemoSeeder.EnsureDefaultCategoriesAsync(services);
var due = policySource.Current;

County county;
byte[] codeKey;
await using (var scope = services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
    if (await db.Cases.AnyAsync() || await db.OrgUnits.AnyAsync())
    {
        Console.Error.WriteLine("The database already has org units or cases: give the generator an empty one.");
        return 1;
    }
    county = await County.CreateAsync(db, options.Towns, options.VillagesPerTown);
    // The tracking-code key, stored where the app reads it (Features/Cases/CaseIds): derived from the seed, so the
    // same seed gives the same codes. A real installation's key is random (generated at first use).
    codeKey = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"taizhang-bench-tracking-code-key/{options.Seed}"));
    db.Settings.Add(new Setting
    {
        Key = Taizhang.Web.Features.Cases.CaseIds.KeySetting, Value = Convert.ToBase64String(codeKey), UpdatedAt = DateTime.UtcNow, UpdatedBy = "generator",
    });
    await db.SaveChangesAsync();
}
Console.WriteLine($"schema + organisation: {county.Towns.Count} towns, {county.Villages.Count} villages/communities, "
    + $"{county.UnitCount} org units ({total.Elapsed.TotalSeconds:F1} s)");

var now = options.Now ?? DateTime.UtcNow;
var factory = new CaseFactory(options.Seed, county, due, now, options.Cases, codeKey);
await using IBulkWriter writer = options.Postgres
    ? await PostgresWriter.OpenAsync(options.Connection)
    : await SqliteWriter.OpenAsync(options.Connection);

var insert = Stopwatch.StartNew();
var batch = new List<GeneratedCase>(options.Batch + 2);
long cases = 0, events = 0, reporters = 0;
while (factory.HasMore)
{
    batch.Clear();
    while (batch.Count < options.Batch && factory.HasMore)
    {
        factory.Next(batch);
    }
    await writer.WriteAsync(batch);
    cases += batch.Count;
    events += batch.Sum(c => c.Case.Events.Count);
    reporters += batch.Sum(c => c.Case.Reporters.Count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {cases,9:N0} cases, {events,10:N0} events, {reporters,9:N0} reporters  ({cases / insert.Elapsed.TotalSeconds:N0} cases/s)"));
}
await writer.FinishAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"done: {cases:N0} cases, {events:N0} events, {reporters:N0} reporters in {total.Elapsed.TotalSeconds:F1} s (insert {insert.Elapsed.TotalSeconds:F1} s)"));
Console.WriteLine($"status mix: {string.Join(", ", factory.StatusCounts.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key}={kv.Value}"))}");
var meetingClock = Stopwatch.StartNew();
var meetings = await MeetingGenerator.GenerateAsync(services, county, options.Meetings, options.Seed, now);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done: {meetings:N0} meetings in {meetingClock.Elapsed.TotalSeconds:F1} s"));
await MeetingGenerator.GeneratePlansAsync(services, county, options.Seed, now);
return 0;

internal sealed record GeneratorOptions(bool Postgres, string Connection, int Cases, int Seed, int Towns, int VillagesPerTown, int Batch, DateTime? Now,
    int Meetings)
{
    public static GeneratorOptions? Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var provider = Get("provider") ?? "sqlite";
        var connection = Get("connection");
        if (connection is null || provider is not ("sqlite" or "postgres"))
        {
            return null;
        }
        int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        DateTime? now = Get("now") is { } n
            ? DateTime.Parse(n, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : null;
        return new GeneratorOptions(provider == "postgres", connection, Int("cases", 1_000_000), Int("seed", 42),
            Int("towns", 40), Int("villages", 25), Int("batch", 50_000), now,
            // A county's year of meetings at 1,000,000 cases (issue 15's scale), in proportion below that.
            Int("meetings", (int)Math.Min(50_000L, Int("cases", 1_000_000) / 20L)));
    }
}
