using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>Tracking codes derived from case ids by a keyed permutation (TrackingCodes.FromId), without a database.</summary>
public sealed class TrackingCodePermutationTests
{
    private static readonly byte[] Key = System.Security.Cryptography.SHA256.HashData("test key"u8);
    private static readonly byte[] OtherKey = System.Security.Cryptography.SHA256.HashData("another key"u8);

    [Fact]
    public void ShortMessageHmac_EqualsHmacSha256()
    {
        var random = new Random(17);
        for (var i = 0; i < 3_000; i++)
        {
            // Keys shorter and longer than SHA-256's block (a longer one is hashed first), messages up to the most one block takes.
            var key = new byte[random.Next(0, 130)];
            var message = new byte[random.Next(0, ShortMessageHmac.MaxMessageLength + 1)];
            random.NextBytes(key);
            random.NextBytes(message);
            var mac = new byte[32];
            new ShortMessageHmac(key).Compute(message, mac);
            Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, message), mac);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShortMessageHmac(Key).Compute(new byte[ShortMessageHmac.MaxMessageLength + 1], new byte[32]));
    }

    [Fact]
    public void Codes_AreTheSameAsTheyWere()
    {
        // Stored codes must keep decoding to their cases: these were made by the first version (a one-shot
        // HMAC-SHA256 per round), before the rounds reused one keyed HMAC per thread.
        var expected = new (long Id, string Code)[]
        {
            (1, "E8AC-NWNF"), (2, "X48Z-ETKR"), (42, "ARQF-XK6M"), (1_000_000, "VQWM-F4E7"), (123_456_789, "GSQA-927H"),
            (TrackingCodes.Space - 1, "GZ5N-RYGX"),
        };
        foreach (var (id, code) in expected)
        {
            Assert.Equal(code, TrackingCodes.FromId(Key, id));
            Assert.Equal(id, TrackingCodes.ToId(Key, code));
        }
        // Keys alternating on one thread, and many threads at once, give the same codes.
        Assert.Equal("A6S4-P66X", TrackingCodes.FromId(OtherKey, 1));
        Assert.Equal("E8AC-NWNF", TrackingCodes.FromId(Key, 1));
        Assert.Equal("5YWB-M5BZ", TrackingCodes.FromId(OtherKey, 2));
        var serial = Enumerable.Range(1, 4_000).Select(i => TrackingCodes.FromId(i % 2 == 0 ? Key : OtherKey, i)).ToArray();
        var parallel = new string[serial.Length];
        Parallel.For(0, serial.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = TrackingCodes.FromId((i + 1) % 2 == 0 ? Key : OtherKey, i + 1));
        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void Codes_AreUnique_AndDecodeToTheirIds()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // The first ids, and some near the end of the code space.
        var ids = Enumerable.Range(1, 100_000).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 1_000).Select(i => TrackingCodes.Space - 1 - i));
        foreach (var id in ids)
        {
            var code = TrackingCodes.FromId(Key, id);
            Assert.Equal(code, TrackingCodes.Normalize(code));
            Assert.True(seen.Add(code), $"code {code} given twice (id {id})");
            Assert.Equal(id, TrackingCodes.ToId(Key, code));
        }
        // What people type: lower case, no dash.
        var typed = TrackingCodes.FromId(Key, 42).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        Assert.Equal(42, TrackingCodes.ToId(Key, typed));
    }

    [Fact]
    public void NeighbouringIds_GiveUnrelatedCodes_AndAnotherKeyGivesOtherCodes()
    {
        var codes = Enumerable.Range(1_000, 200).Select(i => TrackingCodes.FromId(Key, i)).ToList();
        // Counting ids does not count codes: consecutive codes share no more characters than chance (8/30 ≈ 0.27 per pair).
        var shared = codes.Zip(codes.Skip(1), (a, b) => a.Zip(b).Count(p => p.First == p.Second && p.First != '-')).Average();
        Assert.True(shared < 1.0, $"consecutive codes share {shared} characters on average");
        Assert.True(codes.Select(c => c[..4]).Distinct().Count() > 190, "codes of neighbouring ids share their first half");
        // Without the key a code says nothing: the same id has another code, and decoding gives another id.
        Assert.All(Enumerable.Range(1, 200), i => Assert.NotEqual(TrackingCodes.FromId(Key, i), TrackingCodes.FromId(OtherKey, i)));
        Assert.All(codes, c => Assert.NotEqual(TrackingCodes.ToId(Key, c), TrackingCodes.ToId(OtherKey, c)));
        Assert.Null(TrackingCodes.ToId(Key, "not a code"));
    }
}

/// <summary>Cases get derived codes on every path; a look-up decodes the code and checks it; legacy codes keep working.</summary>
public abstract class TrackingCodeTests(TaizhangApp app)
{
    [Fact]
    public async Task RegisteredCase_HasTheCodeOfItsId_AndIsTrackedByIt()
    {
        var registered = await app.ClientAs().RegisterAsync(CaseApi.NewCase(title: "派生追踪码"));
        var id = registered["id"]!.GetValue<long>();
        var code = registered.TrackingCode();
        var key = await app.Services.GetRequiredService<CaseIds>().KeyAsync(CancellationToken.None);
        Assert.Equal(TrackingCodes.FromId(key, id), code);

        using var found = await app.CreateClient().TrackAsync(code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(code, (await found.ReadJsonAsync())["trackingCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownCodes_FindNothing_NeitherTheNextIdsNorAnotherKeysCode()
    {
        var id = await app.ClientAs().RegisterIdAsync(CaseApi.NewCase(title: "不可枚举"));
        var key = await app.Services.GetRequiredService<CaseIds>().KeyAsync(CancellationToken.None);
        var other = System.Security.Cryptography.SHA256.HashData("not the key"u8);
        var publicClient = app.CreateClient();
        // The code of the next (not yet registered) id, and this case's id under a wrong key.
        foreach (var code in new[] { TrackingCodes.FromId(key, id + 1_000), TrackingCodes.FromId(other, id) })
        {
            using var response = await publicClient.TrackAsync(code);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Null(await app.WithDbAsync(db => db.CaseIdOfAsync(TrackingCodes.FromId(other, id), CancellationToken.None)));
        Assert.Equal(id, await app.WithDbAsync(db => db.CaseIdOfAsync(TrackingCodes.FromId(key, id), CancellationToken.None)));
    }

    /// <summary>
    /// A database from before derived codes (the schema rolled back): its random codes move to LegacyTrackingCodes
    /// and still find their cases — on the tracking page, in the ledger's search and for merging — and new cases get derived codes.
    /// </summary>
    [Fact]
    public async Task LegacyRandomCodes_StillResolve_AfterTheMigration()
    {
        var legacyCode = TrackingCodes.New();
        var legacyId = await app.WithDbAsync(async db =>
        {
            var ids = app.Services.GetRequiredService<CaseIds>();
            var (id, _) = await ids.NextAsync(CancellationToken.None);
            var units = await app.Services.GetRequiredService<OrgDirectory>().GetAsync();
            var village = units.UnitsByCode["SCH-MJC"];
            var c = Case.Register(village.TownId!.Value, village.Id, Channel.Hotline, "旧追踪码的事项", "迁移前登记",
                Urgency.Normal, null, new ReporterInfo("李某", "13800000001"), null, null, null, null, legacyCode,
                app.Services.GetRequiredService<DuePolicy>(), Actor.System, DateTime.UtcNow, id: id);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        await app.WithDbAsync(async db =>
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("DeadlineListIndexes");
            return 0;
        });
        await DatabaseSetup.MigrateAsync(app.Services);

        Assert.Equal(legacyId, await app.WithDbAsync(db => db.LegacyTrackingCodes.Where(l => l.Code == legacyCode).Select(l => l.CaseId).SingleAsync()));
        using var tracked = await app.CreateClient().TrackAsync(legacyCode);
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.Equal(legacyCode, (await tracked.ReadJsonAsync())["trackingCode"]!.GetValue<string>());
        Assert.Equal(legacyId, await app.WithDbAsync(db => db.CaseIdOfAsync(legacyCode, CancellationToken.None)));
        var staff = app.ClientAs("town");
        Assert.Contains((await staff.ListAsync("q=" + legacyCode))["items"]!.AsArray(), i => i!["id"]!.GetValue<long>() == legacyId);

        // After the migration, a new case's code is derived and found by decoding.
        var fresh = await staff.RegisterAsync(CaseApi.NewCase(title: "迁移之后的新事项"));
        var key = await app.Services.GetRequiredService<CaseIds>().KeyAsync(CancellationToken.None);
        Assert.Equal(TrackingCodes.FromId(key, fresh["id"]!.GetValue<long>()), fresh.TrackingCode());
        using var freshTracked = await app.CreateClient().TrackAsync(fresh.TrackingCode());
        Assert.Equal(HttpStatusCode.OK, freshTracked.StatusCode);
    }

    [Fact]
    public async Task IdsAllocatedAhead_AreNeverGivenByAnInsertThatLetsTheDatabaseChoose()
    {
        var ids = app.Services.GetRequiredService<CaseIds>();
        var (reserved, _) = await ids.NextAsync(CancellationToken.None);
        // An EF insert without an id (as older code paths did) must draw above every reserved id.
        var chosen = await app.WithDbAsync(async db =>
        {
            var units = await app.Services.GetRequiredService<OrgDirectory>().GetAsync();
            var village = units.UnitsByCode["SCH-MJC"];
            var c = Case.Register(village.TownId!.Value, village.Id, Channel.Hotline, "数据库选号", "未预留编号",
                Urgency.Normal, null, null, null, null, null, null, TrackingCodes.New(),
                app.Services.GetRequiredService<DuePolicy>(), Actor.System, DateTime.UtcNow);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        Assert.True(chosen > reserved, $"the database chose {chosen}, at or below the reserved {reserved}");
        var next = await app.ClientAs().RegisterIdAsync(CaseApi.NewCase(title: "预留编号之后"));
        Assert.NotEqual(chosen, next);
    }
}

public sealed class TrackingCodeTests_Sqlite(SqliteApp app) : TrackingCodeTests(app), IClassFixture<SqliteApp>;

public sealed class TrackingCodeTests_Postgres(PostgresApp app) : TrackingCodeTests(app), IClassFixture<PostgresApp>;
