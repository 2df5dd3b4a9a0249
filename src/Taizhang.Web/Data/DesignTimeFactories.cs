using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Taizhang.Web.Data;

/// <summary>Lets `dotnet ef migrations add` build each provider's context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTaizhangDb>
{
    public SqliteTaizhangDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTaizhangDb>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTaizhangDb>
{
    public PostgresTaizhangDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTaizhangDb>().UseNpgsql("Host=localhost;Database=taizhang_design").Options);
}
