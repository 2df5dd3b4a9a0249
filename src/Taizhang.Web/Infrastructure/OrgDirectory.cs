using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// The organisation tree and categories, held in memory: a few hundred rows that every
/// intake and every list needs. Call <see cref="Invalidate"/> after changing them.
/// </summary>
public sealed class OrgDirectory(IServiceScopeFactory scopes)
{
    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public void Invalidate() => _snapshot = null;

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct = default)
    {
        if (_snapshot is { } s)
        {
            return s;
        }
        await _loading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } loaded)
            {
                return loaded;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var units = await db.OrgUnits.AsNoTracking()
                .Select(u => new UnitInfo(u.Id, u.Code, u.Name, u.Kind, u.ParentId, u.TownId, u.Path))
                .ToListAsync(ct);
            var categories = await db.Categories.AsNoTracking()
                .Select(c => new CategoryInfo(c.Id, c.Code, c.Name, c.IsDispute))
                .ToListAsync(ct);
            var snapshot = new Snapshot(units, categories);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    public sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<UnitInfo> units, IReadOnlyList<CategoryInfo> categories)
        {
            Units = units;
            UnitsById = units.ToFrozenDictionary(u => u.Id);
            UnitsByCode = units.ToFrozenDictionary(u => u.Code, StringComparer.OrdinalIgnoreCase);
            Categories = categories;
            CategoriesById = categories.ToFrozenDictionary(c => c.Id);
            CategoriesByCode = categories.ToFrozenDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
        }

        public IReadOnlyList<UnitInfo> Units { get; }
        public FrozenDictionary<long, UnitInfo> UnitsById { get; }
        public FrozenDictionary<string, UnitInfo> UnitsByCode { get; }
        public IReadOnlyList<CategoryInfo> Categories { get; }
        public FrozenDictionary<long, CategoryInfo> CategoriesById { get; }
        public FrozenDictionary<string, CategoryInfo> CategoriesByCode { get; }

        /// <summary>The unit and everything under it.</summary>
        public long[] SelfAndDescendants(UnitInfo unit) => _subtrees.GetOrAdd(unit.Id, _ =>
            Units.Where(u => u.Path.StartsWith(unit.Path, StringComparison.Ordinal)).Select(u => u.Id).ToArray());

        // The snapshot never changes (a change makes a new one), so each subtree is worked out once.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long[]> _subtrees = new();

        /// <summary>
        /// Whether a case of <paramref name="townId"/> may be given to <paramref name="unit"/>: any unit
        /// but the county, of that town or (partners of the county: police, courts) serving every town.
        /// </summary>
        public static bool CanHandle(UnitInfo unit, long? townId) =>
            unit.CanHandleCases && (unit.TownId is null || unit.TownId == townId);

        /// <summary>The units a case of <paramref name="townId"/> may be given to, the town's own first, in tree order.</summary>
        public IReadOnlyList<UnitInfo> HandlersFor(long? townId) => Units
            .Where(u => CanHandle(u, townId))
            .OrderBy(u => u.TownId is null)
            .ThenBy(u => u.Kind == OrgUnitKind.Partner)
            .ThenBy(u => u, TreeOrder)
            .ToList();

        /// <summary>Tree order: a village, then its groups, then the next village (paths compared id by id, not as text).</summary>
        public static readonly Comparer<UnitInfo> TreeOrder = Comparer<UnitInfo>.Create((a, b) =>
        {
            var x = a.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var y = b.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var order = long.Parse(x[i], System.Globalization.CultureInfo.InvariantCulture).CompareTo(long.Parse(y[i], System.Globalization.CultureInfo.InvariantCulture));
                if (order != 0)
                {
                    return order;
                }
            }
            return x.Length.CompareTo(y.Length);
        });

        public UnitRef? Ref(long? id) => id is { } v && UnitsById.TryGetValue(v, out var u) ? new UnitRef(u.Code, u.Name) : null;

        public CategoryRef? CategoryRef(long? id) =>
            id is { } v && CategoriesById.TryGetValue(v, out var c) ? new CategoryRef(c.Code, c.Name) : null;
    }
}

public sealed record UnitInfo(long Id, string Code, string Name, OrgUnitKind Kind, long? ParentId, long? TownId, string Path)
{
    public bool CanOwnCases => Kind is OrgUnitKind.Town or OrgUnitKind.Village or OrgUnitKind.Community or OrgUnitKind.Group;

    /// <summary>Any unit but the county can be given a case to handle.</summary>
    public bool CanHandleCases => Kind is not OrgUnitKind.County;
}

public sealed record CategoryInfo(long Id, string Code, string Name, bool IsDispute);

/// <summary>How a unit appears in API answers.</summary>
public sealed record UnitRef(string Code, string Name);

public sealed record CategoryRef(string Code, string Name);
