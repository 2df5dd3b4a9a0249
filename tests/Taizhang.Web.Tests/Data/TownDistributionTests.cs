using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Taizhang.Web.Data;
using Xunit.Abstractions;

namespace Taizhang.Web.Tests.Data;

/// <summary>
/// The schema stays distributable by town (issue 17, item 6; docs/SCALING.md): every persisted type is
/// placed in <see cref="TownDistribution.Tables"/>, a town's table carries the town, and on PostgreSQL every
/// primary key, unique index and foreign key between two towns' tables includes TownId (a distributed
/// engine such as Citus checks a constraint only inside one shard), while nothing shared or local points
/// into a town's table. Read from the EF model itself, so a new table or index is checked the day it is added.
/// </summary>
public sealed class TownDistributionTests(ITestOutputHelper output)
{
    [Fact]
    public void PostgresModel_IsDistributableByTown() => AssertNone(Violations(Postgres().Model, distributed: true));

    /// <summary>
    /// SQLite is one file on one node and is never distributed: its keys stay single-column (the rowid is the
    /// id). The placement and the town column are the same as on PostgreSQL, so its data can move there.
    /// </summary>
    [Fact]
    public void SqliteModel_PlacesEveryTableAndCarriesTheTown() => AssertNone(Violations(Sqlite().Model, distributed: false));

    [Fact]
    public void TheRules_RefuseWhatADistributedEngineCouldNotEnforce()
    {
        using var db = new BadDb();
        Placement? Place(IReadOnlyEntityType t) => t.ClrType.Name switch
        {
            nameof(Ledger) or nameof(Note) or nameof(Loose) => Placement.ByTown,
            nameof(Shared) => Placement.Reference,
            _ => null,
        };
        var found = Violations(db.Model, distributed: true, Place);
        output.WriteLine(string.Join(Environment.NewLine, found));
        Assert.Contains(found, v => v.StartsWith("Loose: town-scoped but has no TownId", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Note: primary key (Id) omits TownId", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Note: unique index (Code) omits TownId", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Note: foreign key (LedgerId) to Ledger omits TownId", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Shared: Reference table has a foreign key (LedgerId) to the town-scoped Ledger", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Stray: not placed", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("Ledger: alternate key (Id) omits TownId", StringComparison.Ordinal));
        Assert.DoesNotContain(found, v => v.StartsWith("Ledger: primary key", StringComparison.Ordinal));
    }

    /// <summary>docs/SCALING.md gives the calls for every table, in the order generated from the model.</summary>
    [Fact]
    public void ScalingGuide_PlacesEveryTable_InAnOrderCitusAccepts()
    {
        using var db = Postgres();
        var statements = TownDistribution.CitusStatements(db.Model);
        output.WriteLine(string.Join(Environment.NewLine, statements));
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "SCALING.md"));
        var block = guide[guide.IndexOf("-- citus:start", StringComparison.Ordinal)..guide.IndexOf("-- citus:end", StringComparison.Ordinal)];
        var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("SELECT ", StringComparison.Ordinal)).ToList();
        Assert.Equal(statements, lines);
        Assert.StartsWith("SELECT create_distributed_table('\"Meetings\"', 'TownId');", statements.First(s => s.Contains("distributed", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Taizhang.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Taizhang.slnx not found above " + AppContext.BaseDirectory);
    }

    private void AssertNone(List<string> violations)
    {
        output.WriteLine(violations.Count == 0 ? "no violations" : string.Join(Environment.NewLine, violations));
        Assert.True(violations.Count == 0, "Schema not distributable by town (Data/TownDistribution.cs, docs/SCALING.md):"
            + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    internal static PostgresTaizhangDb Postgres() =>
        new(new DbContextOptionsBuilder<PostgresTaizhangDb>().UseNpgsql("Host=localhost;Database=model-only").Options);

    internal static SqliteTaizhangDb Sqlite() =>
        new(new DbContextOptionsBuilder<SqliteTaizhangDb>().UseSqlite("Data Source=:memory:").Options);

    /// <param name="distributed">The model a distributed engine would run (PostgreSQL): keys are checked too.</param>
    internal static List<string> Violations(IModel model, bool distributed, Func<IReadOnlyEntityType, Placement?>? place = null)
    {
        place ??= TownDistribution.Of;
        var found = new List<string>();
        const string town = TownDistribution.TownColumn;
        static string Names(IEnumerable<IReadOnlyProperty> ps) => string.Join(", ", ps.Select(p => p.Name));
        static bool HasTown(IEnumerable<IReadOnlyProperty> ps) => ps.Any(p => p.Name == town);

        foreach (var type in model.GetEntityTypes().OrderBy(t => t.ClrType.Name, StringComparer.Ordinal))
        {
            var name = type.ClrType.Name;
            var placement = place(type);
            if (placement is null)
            {
                found.Add($"{name}: not placed; list it in TownDistribution.Tables (ByTown, Reference or Local)");
                continue;
            }
            if (type.FindOwnership() is { } owner)
            {
                // An owned type lives in its owner's row; its keys are its owner's.
                if (place(owner.PrincipalEntityType) != placement)
                {
                    found.Add($"{name}: placed {placement} but lives in {owner.PrincipalEntityType.ClrType.Name}'s rows");
                }
                foreach (var key in type.GetKeys().Where(k => distributed && placement == Placement.ByTown && !HasTown(k.Properties)))
                {
                    found.Add($"{name}: key ({Names(key.Properties)}) of a type in its owner's row omits TownId");
                }
                continue;
            }
            var column = type.FindProperty(town);
            if (placement == Placement.ByTown && (column is null || column.IsNullable || column.ClrType != typeof(long)))
            {
                found.Add($"{name}: town-scoped but has no TownId (a non-null long); add it and backfill it from its owner");
                continue;
            }
            foreach (var fk in type.GetForeignKeys())
            {
                var target = place(fk.PrincipalEntityType);
                var fkName = $"foreign key ({Names(fk.Properties)}) to {fk.PrincipalEntityType.ClrType.Name}";
                if (placement != Placement.ByTown && target == Placement.ByTown)
                {
                    found.Add($"{name}: {placement} table has a {fkName.Replace(" to ", " to the town-scoped ", StringComparison.Ordinal)}");
                }
                else if (placement == Placement.Reference && target == Placement.Local)
                {
                    found.Add($"{name}: Reference table has a {fkName}, a coordinator-only table");
                }
                else if (distributed && placement == Placement.ByTown && target == Placement.ByTown)
                {
                    var i = fk.Properties.Select(p => p.Name).ToList().IndexOf(town);
                    if (i < 0 || fk.PrincipalKey.Properties[i].Name != town)
                    {
                        found.Add($"{name}: {fkName} omits TownId (make it ({Names(fk.Properties)}, TownId) → (Id, TownId))");
                    }
                }
            }
            if (!distributed || placement != Placement.ByTown)
            {
                continue;
            }
            foreach (var key in type.GetKeys().Where(k => !HasTown(k.Properties)))
            {
                found.Add($"{name}: {(key.IsPrimaryKey() ? "primary key" : "alternate key")} ({Names(key.Properties)}) omits TownId");
            }
            foreach (var index in type.GetIndexes().Where(i => i.IsUnique && !HasTown(i.Properties)))
            {
                found.Add($"{name}: unique index ({Names(index.Properties)}) omits TownId");
            }
        }
        return found;
    }

    // A model that breaks every rule once, to show the rules see it.
    private sealed class Ledger
    {
        public long Id { get; set; }
        public long TownId { get; set; }
    }

    private sealed class Note
    {
        public long Id { get; set; }
        public long TownId { get; set; }
        public long LedgerId { get; set; }
        public string Code { get; set; } = "";
    }

    private sealed class Loose
    {
        public long Id { get; set; }
        public long LedgerId { get; set; }
    }

    private sealed class Shared
    {
        public long Id { get; set; }
        public long? LedgerId { get; set; }
    }

    private sealed class Stray
    {
        public long Id { get; set; }
    }

    private sealed class BadDb : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseNpgsql("Host=localhost;Database=model-only");

        protected override void OnModelCreating(ModelBuilder b)
        {
            b.Entity<Ledger>().HasKey(l => new { l.Id, l.TownId });
            b.Entity<Note>().HasIndex(n => n.Code).IsUnique();
            b.Entity<Note>().HasOne<Ledger>().WithMany().HasForeignKey(n => n.LedgerId).HasPrincipalKey(l => l.Id);
            b.Entity<Loose>();
            b.Entity<Shared>().HasOne<Ledger>().WithMany().HasForeignKey(s => s.LedgerId).HasPrincipalKey(l => l.Id);
            b.Entity<Stray>();
        }
    }
}
