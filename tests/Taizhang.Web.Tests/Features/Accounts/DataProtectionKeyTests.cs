using System.Net;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>The keys behind cookies and antiforgery tokens live in the database, not in a home folder.</summary>
public abstract class DataProtectionKeyTests(TaizhangApp app)
{
    [Fact]
    public async Task SigningIn_StoresTheKeyRingInTheDatabase()
    {
        using var session = await app.ClientAs("town").GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);

        var keys = await app.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.Contains("<key ", xml));
    }
}

public sealed class DataProtectionKeyTests_Sqlite(SqliteApp app) : DataProtectionKeyTests(app), IClassFixture<SqliteApp>;

public sealed class DataProtectionKeyTests_Postgres(PostgresApp app) : DataProtectionKeyTests(app), IClassFixture<PostgresApp>;
