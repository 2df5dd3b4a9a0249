using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// When the database refuses the intake batch (here: PostgreSQL switched to read-only, as a full
/// disk or a failover would), each registration hears 503 "try again" — never 201 — and nothing
/// is stored; once the database takes writes again, the same Idempotency-Key registers the case.
/// </summary>
public sealed class IntakeFailureTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task ARefusedCommit_Answers503_StoresNothing_AndTheRetryRegisters()
    {
        var client = app.SharedClientAs("town");
        // Signed in (and the key ring written) while the database still takes writes.
        using (var session = await client.GetAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        }
        var before = await app.WithDbAsync(db => db.Cases.CountAsync());
        var indexed = await app.WithDbAsync(db => db.CaseGrams.CountAsync());
        var database = await app.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().Database));
        await SetReadOnlyAsync(database, true);
        try
        {
            using var refused = await client.PostAsJsonWithKeyAsync(CaseApi.NewCase(title: "数据库只读时登记"), "read-only-retry");
            await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        }
        finally
        {
            await SetReadOnlyAsync(database, false);
        }
        Assert.Equal(before, await app.WithDbAsync(db => db.Cases.CountAsync()));
        // Nor a full-text index row: it is written in the registration's transaction.
        Assert.Equal(indexed, await app.WithDbAsync(db => db.CaseGrams.CountAsync()));

        using var retried = await client.PostAsJsonWithKeyAsync(CaseApi.NewCase(title: "数据库只读时登记"), "read-only-retry");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(before + 1, await app.WithDbAsync(db => db.Cases.CountAsync()));
        Assert.Equal(indexed + 1, await app.WithDbAsync(db => db.CaseGrams.CountAsync()));
    }

    /// <summary>New sessions of the database become read-only; pooled ones are dropped so none keeps writing.</summary>
    private static async Task SetReadOnlyAsync(string database, bool on)
    {
        await using (var conn = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresApp.ServerVariable)))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"ALTER DATABASE \"{database}\" SET default_transaction_read_only = {(on ? "on" : "off")}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }
}

internal static class IntakeFailureRequests
{
    public static Task<HttpResponseMessage> PostAsJsonWithKeyAsync(this HttpClient client, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
