using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Taizhang.Web.Data;

/// <summary>
/// An INSERT of one entity type built from the EF model: the table, columns, type mappings and value
/// conversions EF itself uses (owned types included), without change tracking. For the one write path
/// where EF's per-entity bookkeeping is most of the cost: the intake writer. The generated key is
/// left to the database and returned; a row refused by a unique index inserts nothing and returns
/// null (ON CONFLICT DO NOTHING, SQLite and PostgreSQL alike), so a repeat costs no exception.
/// </summary>
public sealed class TableInsert<T>
    where T : class
{
    private readonly Column[] _columns;
    private readonly IProperty _key;
    private readonly int _parentIndex;

    private sealed record Column(string Name, Func<T, object?> Read, RelationalTypeMapping Mapping);

    public string Sql { get; }

    private readonly string _table;

    /// <param name="parentKey">A foreign-key property whose value is given to <see cref="Command.InsertAsync"/>
    /// (the parent's key is known only once the parent row is in).</param>
    /// <param name="explicitKey">The entity's key is set before the insert (allocated ahead, e.g. a case's id,
    /// from which its tracking code is derived) and inserted with the row rather than generated.</param>
    public TableInsert(IModel model, string? parentKey = null, bool explicitKey = false)
    {
        var type = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        // On PostgreSQL a town's table is keyed (Id, TownId) (Data/TownDistribution.cs): the key is the key without the
        // town (the generated id, or what the writer sets, e.g. the case id of a full-text index row).
        var keys = type.FindPrimaryKey()!.Properties;
        _key = keys.Count == 1 ? keys[0] : keys.Single(p => p.Name != TownDistribution.TownColumn);
        var columns = new List<Column>();
        foreach (var p in type.GetProperties())
        {
            if (p == _key && p.ValueGenerated != ValueGenerated.Never && !explicitKey)
            {
                continue;
            }
            if (p.IsShadowProperty())
            {
                throw new NotSupportedException($"{typeof(T).Name}.{p.Name} is a shadow property; give it a CLR property to insert it here.");
            }
            var getter = p.GetGetter();
            columns.Add(new Column(p.GetColumnName(table)!, e => getter.GetClrValue(e), p.GetRelationalTypeMapping()));
        }
        // Owned types share the table (Case.Location): their columns are read through the navigation.
        foreach (var n in type.GetNavigations().Where(n => n.TargetEntityType.IsOwned() && !n.IsCollection))
        {
            var owned = n.GetGetter();
            foreach (var p in n.TargetEntityType.GetProperties().Where(p => !p.IsPrimaryKey()))
            {
                var getter = p.GetGetter();
                columns.Add(new Column(p.GetColumnName(table)!,
                    e => owned.GetClrValue(e) is { } o ? getter.GetClrValue(o) : null, p.GetRelationalTypeMapping()));
            }
        }
        _columns = [.. columns];
        _parentIndex = parentKey is null ? -1 : columns.FindIndex(c => c.Name == type.FindProperty(parentKey)!.GetColumnName(table));
        if (parentKey is not null && _parentIndex < 0)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.{parentKey} is not a column.");
        }
        var names = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        var values = string.Join(", ", _columns.Select((_, i) => "@p" + i));
        _table = Quote(table.Name);
        Sql = $"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING RETURNING {Quote(_key.GetColumnName(table)!)}";
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A command for one transaction: parameters are made once, then only their values change per row.</summary>
    public Command Prepare(DbConnection connection, DbTransaction transaction) => new(this, connection, transaction);

    /// <summary>Gives an inserted entity the key the database generated (EF would have, on SaveChanges).</summary>
    public void SetKey(T entity, long key)
    {
        if (_key.PropertyInfo is { } property)
        {
            property.SetValue(entity, key);
        }
        else
        {
            (_key.FieldInfo ?? throw new InvalidOperationException("The key has neither property nor field.")).SetValue(entity, key);
        }
    }

    /// <summary>Most parameters one multi-row statement binds (PostgreSQL allows 65,535, SQLite 32,766).</summary>
    private const int MaxParameters = 30_000;

    /// <summary>
    /// Inserts many rows with as few statements as the parameter limits allow (one multi-row VALUES per
    /// statement): for a bulk writer (an import's chunk), where a round trip per row would be most of the
    /// time on PostgreSQL. Rows a unique index refuses are skipped (ON CONFLICT DO NOTHING); the values of
    /// <paramref name="returning"/> come back for the rows inserted, in no promised order — match them by a
    /// unique column (a tracking code), not by position.
    /// </summary>
    /// <param name="parentKeys">The parent's key for each entity (see the constructor's parentKey), or null.</param>
    public async Task<List<object[]>> InsertManyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<T> entities,
        IReadOnlyList<long>? parentKeys, IReadOnlyList<string> returning, CancellationToken ct = default)
    {
        var result = new List<object[]>(entities.Count);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var (sql, parameters) in ManyStatements(command, entities, parentKeys, returning))
        {
            command.Parameters.Clear();
            command.Parameters.AddRange(parameters.ToArray());
            command.CommandText = sql;
            if (returning.Count == 0)
            {
                await command.ExecuteNonQueryAsync(ct);
                continue;
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var values = new object[returning.Count];
                reader.GetValues(values);
                result.Add(values);
            }
        }
        return result;
    }

    /// <summary>
    /// Adds the multi-row inserts of <see cref="InsertManyAsync"/> (nothing returned) to a batch: the inserts of
    /// several tables then travel to the server in one round trip (PostgreSQL's pipelining; a provider
    /// without batches answers false for <see cref="DbConnection.CanCreateBatch"/>).
    /// </summary>
    public void AddMany(DbBatch batch, DbConnection connection, IReadOnlyList<T> entities, IReadOnlyList<long>? parentKeys)
    {
        using var factory = connection.CreateCommand();
        foreach (var (sql, parameters) in ManyStatements(factory, entities, parentKeys, []))
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var p in parameters)
            {
                command.Parameters.Add(p);
            }
            batch.BatchCommands.Add(command);
        }
    }

    private IEnumerable<(string Sql, List<DbParameter> Parameters)> ManyStatements(DbCommand factory, IReadOnlyList<T> entities,
        IReadOnlyList<long>? parentKeys, IReadOnlyList<string> returning)
    {
        var perStatement = Math.Max(1, MaxParameters / _columns.Length);
        var names = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        var back = returning.Count == 0 ? string.Empty : " RETURNING " + string.Join(", ", returning.Select(Quote));
        for (var start = 0; start < entities.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, entities.Count - start);
            var parameters = new List<DbParameter>(count * _columns.Length);
            var sql = new System.Text.StringBuilder($"INSERT INTO {_table} ({names}) VALUES ");
            for (var r = 0; r < count; r++)
            {
                var entity = entities[start + r];
                sql.Append(r == 0 ? "(" : ", (");
                for (var i = 0; i < _columns.Length; i++)
                {
                    var c = _columns[i];
                    var name = "@p" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? name : ", " + name);
                    // CreateParameter applies the mapping's value conversion itself (an enum to its name).
                    var value = i == _parentIndex ? parentKeys![start + r] : c.Read(entity);
                    parameters.Add(c.Mapping.CreateParameter(factory, name, value, nullable: true));
                }
                sql.Append(')');
            }
            yield return (sql.Append(" ON CONFLICT DO NOTHING").Append(back).ToString(), parameters);
        }
    }

    /// <summary>
    /// The values one row of <paramref name="entity"/> binds, converted to what the provider stores (an enum to its
    /// name): for a writer that keeps the row to insert it later, exactly as it would have been inserted now
    /// (the intake journal, Features/Cases/IntakeJournal.cs). Insert them with <see cref="Command.InsertValuesAsync"/>.
    /// </summary>
    public object?[] Values(T entity, long? parentKey = null)
    {
        var values = new object?[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var c = _columns[i];
            var value = i == _parentIndex ? parentKey : c.Read(entity);
            values[i] = value is not null && c.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
        return values;
    }

    public sealed class Command : IDisposable
    {
        private readonly TableInsert<T> _insert;
        private readonly DbCommand _command;

        internal Command(TableInsert<T> insert, DbConnection connection, DbTransaction transaction)
        {
            _insert = insert;
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = insert.Sql;
            for (var i = 0; i < insert._columns.Length; i++)
            {
                var c = insert._columns[i];
                _command.Parameters.Add(c.Mapping.CreateParameter(_command, "@p" + i, null, nullable: true));
            }
        }

        /// <summary>The new row's key, or null when a unique index already holds such a row.</summary>
        public async Task<long?> InsertAsync(T entity, long? parentKey = null, CancellationToken ct = default)
        {
            var columns = _insert._columns;
            for (var i = 0; i < columns.Length; i++)
            {
                var c = columns[i];
                var value = i == _insert._parentIndex ? parentKey : c.Read(entity);
                if (value is not null && c.Mapping.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                _command.Parameters[i].Value = value ?? DBNull.Value;
            }
            var key = await _command.ExecuteScalarAsync(ct);
            return key is null or DBNull ? null : Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Inserts a row of values made by <see cref="Values"/>: the new row's key, or null when a unique index already holds such a row.</summary>
        public async Task<long?> InsertValuesAsync(IReadOnlyList<object?> values, CancellationToken ct = default)
        {
            if (values.Count != _insert._columns.Length)
            {
                throw new InvalidOperationException($"{typeof(T).Name}: {values.Count} values for {_insert._columns.Length} columns.");
            }
            for (var i = 0; i < values.Count; i++)
            {
                _command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            var key = await _command.ExecuteScalarAsync(ct);
            return key is null or DBNull ? null : Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture);
        }

        public void Dispose() => _command.Dispose();
    }
}
