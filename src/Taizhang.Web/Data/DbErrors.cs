using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Taizhang.Web.Data;

public static class DbErrors
{
    /// <summary>A unique index refused the write: someone else wrote the same thing first.</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// The row itself was refused (a constraint: foreign key, check, not null, unique), as opposed to the
    /// database being unable to write at all (disk full, read-only, unreachable), which any row would meet.
    /// </summary>
    public static bool IsConstraintViolation(Exception e) => e switch
    {
        DbUpdateException u => u.InnerException is { } inner && IsConstraintViolation(inner),
        SqliteException s => s.SqliteErrorCode == 19,
        PostgresException p => p.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };
}
