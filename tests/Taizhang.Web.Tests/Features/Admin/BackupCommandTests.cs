using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>
/// `backup` while the server takes registrations, `restore` into a fresh database, and every
/// case, reporter and event compared column by column with the original.
/// </summary>
public abstract class BackupCommandTests(TaizhangApp app)
{
    protected abstract IRestoredApp Restored(string backup);

    public interface IRestoredApp : IAsyncDisposable
    {
        TaizhangApp App { get; }

        string RestoreOutput { get; }

        Task InitializeAsync();
    }

    [Fact]
    public async Task Backup_WhileRegistering_RestoresEveryCaseAndEventExactly()
    {
        var client = app.SharedClientAs("town");
        var survivor = await client.RegisterIdAsync(CaseApi.NewCase(title: "备份前：水渠堵塞"));
        var merged = await client.RegisterIdAsync(CaseApi.NewCase(title: "备份前：水渠不通", reporterName: "赵四", phone: "13900003333"));
        await client.DoAsync(merged, "merge", new { into = survivor, reason = "同一条水渠" });
        await client.DoAsync(survivor, "triage", new { track = "Direct", urgency = "High", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(survivor, "start");
        await client.DoAsync(survivor, "resolve", new { outcome = "Solved", result = "已疏通水渠。" });
        var topic = await client.RegisterIdAsync(CaseApi.NewCase(title: "备份前：村道拓宽"));
        await client.DoAsync(topic, "triage", new { track = "Topic", urgency = "Normal" });

        // Registrations keep arriving over HTTP while the backup runs.
        var hotline = app.SharedClientAs("operator");
        using var stop = new CancellationTokenSource();
        var registered = 0;
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await hotline.RegisterIdAsync(CaseApi.NewCase(title: $"备份中登记 {registered}", phone: null, reporterName: "来电群众"));
                Interlocked.Increment(ref registered);
            }
        });
        while (Volatile.Read(ref registered) < 3 && !loop.IsCompleted)
        {
            await Task.Delay(10);
        }
        var before = await ReadLedgerAsync(app);
        var file = Path.Combine(Path.GetTempPath(), "taizhang-tests", "backup-" + Guid.NewGuid().ToString("N") + (app.Provider == "Sqlite" ? ".db" : ".dump"));
        var output = new StringWriter();
        int code;
        try
        {
            code = await BackupCommand.RunAsync(app.Services, ["backup", file], output);
            var atBackupEnd = Volatile.Read(ref registered);
            while (Volatile.Read(ref registered) < atBackupEnd + 2 && !loop.IsCompleted)
            {
                await Task.Delay(10);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
        Assert.True(code == 0, output.ToString());
        Assert.True(File.Exists(file));

        try
        {
            // Refused over a database that holds cases.
            var refused = new StringWriter();
            Assert.Equal(1, await BackupCommand.RunAsync(app.Services, ["restore", file], refused));
            Assert.Contains("--force", refused.ToString());
            // And a backup does not overwrite one either.
            Assert.Equal(1, await BackupCommand.RunAsync(app.Services, ["backup", file], new StringWriter()));

            await using var restored = Restored(file);
            await restored.InitializeAsync();
            Assert.Contains("event chain intact", restored.RestoreOutput);
            var copy = await ReadLedgerAsync(restored.App);
            var now = await ReadLedgerAsync(app);

            // Everything that existed before the backup began is there, exactly.
            foreach (var (id, row) in before)
            {
                Assert.True(copy.TryGetValue(id, out var restoredRow), $"case {id} is missing from the restore");
                Assert.Equal(row, restoredRow);
            }
            // Whatever else the snapshot caught is a case as the server has it: nothing half, nothing invented.
            foreach (var (id, row) in copy)
            {
                Assert.Equal(now[id], row);
            }
            Assert.True(copy.Count >= before.Count);
            var check = await restored.App.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, null, CancellationToken.None));
            Assert.True(check.Intact, check.FirstBroken?.Problem);
            Assert.Equal(copy.Count, check.CasesChecked);

            // The restored server works: it registers, and its chains go on.
            var after = await restored.App.ClientAs("恢复后的受理员").RegisterIdAsync(CaseApi.NewCase(title: "恢复后登记"));
            Assert.DoesNotContain(after, copy.Keys);
            await restored.App.ClientAs("恢复后的受理员").DoAsync(survivor, "follow-up", new { satisfaction = "Satisfied" });
            check = await restored.App.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, null, CancellationToken.None));
            Assert.True(check.Intact, check.FirstBroken?.Problem);

            // --force restores over it: back to the backup's state.
            var forced = new StringWriter();
            Assert.True(await BackupCommand.RunAsync(restored.App.Services, ["restore", file, "--force"], forced) == 0, forced.ToString());
            Assert.Equal(copy, await ReadLedgerAsync(restored.App));
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(BackupCommand.AttachmentsFolder(file)))
            {
                Directory.Delete(BackupCommand.AttachmentsFolder(file), recursive: true);
            }
        }
    }

    /// <summary>
    /// A backup from before the hash chain (the schema rolled back to AddSavedViews) restored by
    /// this version: the migrations bring it up to date, and its events count as unsealed, not broken.
    /// </summary>
    [Fact]
    public async Task OlderBackup_IsMigratedOnRestore_ItsEventsUnsealed()
    {
        var client = app.SharedClientAs("town");
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "旧版本备份里的事项"));
        await client.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal" });
        var dir = Path.Combine(Path.GetTempPath(), "taizhang-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var current = Path.Combine(dir, "current.backup");
        var older = Path.Combine(dir, "older.backup");
        try
        {
            Assert.Equal(0, await BackupCommand.RunAsync(app.Services, ["backup", current], new StringWriter()));
            long events;
            await using (var old = Restored(current))
            {
                await old.InitializeAsync();
                events = await old.App.WithDbAsync(db => db.CaseEvents.LongCountAsync());
                await old.App.WithDbAsync(async db =>
                {
                    await db.GetInfrastructure().GetRequiredService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>()
                        .MigrateAsync("AddSavedViews");
                    return 0;
                });
                Assert.Equal(0, await BackupCommand.RunAsync(old.App.Services, ["backup", older], new StringWriter()));
            }
            await using var restored = Restored(older);
            await restored.InitializeAsync();
            Assert.Contains("event chain intact", restored.RestoreOutput);
            var check = await restored.App.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, null, CancellationToken.None));
            Assert.True(check.Intact);
            Assert.Equal(events, check.UnsealedEvents);

            // The old case goes on, its new events sealed from there.
            await restored.App.ClientAs("恢复后的受理员").DoAsync(id, "assign", new { unit = "SCH-MJC" });
            check = await restored.App.WithDbAsync(db => VerifyEventChain.VerifyAsync(db, id, CancellationToken.None));
            Assert.True(check.Intact, check.FirstBroken?.Problem);
            Assert.Equal((3, 2), (check.EventsChecked, check.UnsealedEvents));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The files travel with the database: `backup` writes them beside it (FILE.attachments), `restore`
    /// brings them back, byte for byte; restored without them, the check names what is missing.
    /// </summary>
    [Fact]
    public async Task Backup_CarriesTheAttachmentFiles_RestoreBringsThemBack_AndWithoutThemTheCheckSaysWhatIsMissing()
    {
        var client = app.SharedClientAs("town");
        var id = await client.RegisterIdAsync(CaseApi.NewCase(title: "备份附件：路面塌陷"));
        var added = await Attachments.AttachmentTests.AddAsync(client, id, TestFiles.JpegWithGps(60, 40), "塌陷处.jpg");
        var url = added["url"]!.GetValue<string>();
        var original = await (await client.GetAsync(url)).Content.ReadAsByteArrayAsync();
        var thumbnail = await (await client.GetAsync(added["thumbnailUrl"]!.GetValue<string>())).Content.ReadAsByteArrayAsync();
        var row = await app.WithDbAsync(db => db.CaseAttachments.SingleAsync(a => a.CaseId == id));
        var dir = Path.Combine(Path.GetTempPath(), "taizhang-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "with-files.backup");
        try
        {
            var output = new StringWriter();
            Assert.True(await BackupCommand.RunAsync(app.Services, ["backup", file], output) == 0, output.ToString());
            var folder = BackupCommand.AttachmentsFolder(file);
            Assert.Contains("attachments: ", output.ToString());
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(folder, row.Sha256[..2], row.Sha256[2..4], row.Sha256)));
            Assert.True(File.Exists(Path.Combine(folder, row.ThumbnailSha256![..2], row.ThumbnailSha256[2..4], row.ThumbnailSha256)));
            Assert.False(Directory.Exists(Path.Combine(folder, "tmp")));

            await using var restored = Restored(file);
            await restored.InitializeAsync();
            Assert.Contains("event chain intact", restored.RestoreOutput);
            Assert.Matches("; [1-9][0-9]* attachments intact", restored.RestoreOutput);
            var there = restored.App.ClientAs("恢复后的受理员");
            Assert.Equal(original, await (await there.GetAsync(url)).Content.ReadAsByteArrayAsync());
            Assert.Equal(thumbnail, await (await there.GetAsync(added["thumbnailUrl"]!.GetValue<string>())).Content.ReadAsByteArrayAsync());

            // Restored from the database alone (the folder lost), the check names the attachment whose file is not there.
            Directory.Delete(folder, recursive: true);
            File.Delete(Path.Combine(restored.App.AttachmentsDirectory, row.Sha256[..2], row.Sha256[2..4], row.Sha256));
            var without = new StringWriter();
            Assert.Equal(1, await BackupCommand.RunAsync(restored.App.Services, ["restore", file, "--force"], without));
            Assert.Contains("no attachment folder beside the backup", without.ToString());
            Assert.Contains($"attachments BROKEN (1); first: case {id}, attachment {row.Id}: the file is missing", without.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task BadArguments_AndMissingFile_AreRefused()
    {
        Assert.Equal(2, await BackupCommand.RunAsync(app.Services, ["backup"], new StringWriter()));
        Assert.Equal(2, await BackupCommand.RunAsync(app.Services, ["restore", "--force"], new StringWriter()));
        var output = new StringWriter();
        Assert.Equal(1, await BackupCommand.RunAsync(app.Services, ["restore", "/nonexistent/taizhang.backup", "--force"], output));
        Assert.Contains("does not exist", output.ToString());
    }

    /// <summary>Every column of every case, its reporters and its events, as text, by case id.</summary>
    private static Task<Dictionary<long, string>> ReadLedgerAsync(TaizhangApp app) => app.WithDbAsync(async db =>
    {
        var cases = await db.Cases.AsNoTracking().Include(c => c.Reporters).Include(c => c.Events).AsSplitQuery().ToListAsync();
        return cases.ToDictionary(c => c.Id, c => string.Join("\n",
            [Row(c), .. c.Reporters.OrderBy(r => r.Id).Select(Row), .. c.Events.OrderBy(e => e.Sequence).Select(Row)]));
    });

    private static string Row(object entity) => entity.GetType().Name + " " + string.Join("|", entity.GetType()
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string) || p.PropertyType == typeof(GeoLocation))
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => p.Name + "=" + p.GetValue(entity) switch
        {
            null => "null",
            DateTime d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        }));
}

public sealed class BackupCommandTests_Sqlite(SqliteApp app) : BackupCommandTests(app), IClassFixture<SqliteApp>
{
    protected override IRestoredApp Restored(string backup) => new RestoredSqliteApp(backup);

    private sealed class RestoredSqliteApp(string backup) : SqliteApp, IRestoredApp
    {
        private readonly StringWriter _output = new();

        public TaizhangApp App => this;

        public string RestoreOutput => _output.ToString();

        protected override bool SeedOrganisation => false;

        /// <summary>As the operator does: `restore` into the configured (new) database, then the server starts on it.</summary>
        protected override async Task PrepareDatabaseAsync()
        {
            await base.PrepareDatabaseAsync();
            await using var services = RestoreServices(Provider, ConnectionString, null);
            var code = await BackupCommand.RunAsync(services, ["restore", backup], _output);
            Assert.True(code == 0, RestoreOutput);
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }

    /// <summary>What the restore command gets from Program: the configured database and attachment store, nothing started.</summary>
    internal static ServiceProvider RestoreServices(string provider, string connectionString, string? attachments)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = provider,
                ["Database:ConnectionString"] = connectionString,
                ["Attachments:Directory"] = attachments,
            })
            .Build();
        return new ServiceCollection().AddTaizhangDatabase(configuration).AddAttachmentStore(configuration).BuildServiceProvider();
    }
}

public sealed class BackupCommandTests_Postgres(PostgresApp app) : BackupCommandTests(app), IClassFixture<PostgresApp>
{
    protected override IRestoredApp Restored(string backup) => new RestoredPostgresApp(backup);

    private sealed class RestoredPostgresApp(string backup) : PostgresApp, IRestoredApp
    {
        private readonly StringWriter _output = new();

        public TaizhangApp App => this;

        public string RestoreOutput => _output.ToString();

        protected override bool SeedOrganisation => false;

        protected override async Task PrepareDatabaseAsync()
        {
            await base.PrepareDatabaseAsync();
            await using var services = BackupCommandTests_Sqlite.RestoreServices(Provider, ConnectionString, AttachmentsDirectory);
            var code = await BackupCommand.RunAsync(services, ["restore", backup], _output);
            Assert.True(code == 0, RestoreOutput);
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}

public sealed class BackupCommandArgumentTests
{
    [Theory]
    [InlineData("backup /backups/a.db --Database:Provider=Postgres", "backup --Database:Provider=Postgres")]
    [InlineData("restore /backups/a.db --force --Database:Provider Postgres", "restore --Database:Provider Postgres")]
    [InlineData("verify --case 5", "verify --case 5")]
    [InlineData("--urls http://localhost:5000", "--urls http://localhost:5000")]
    public void Operands_AreNotConfiguration(string args, string configuration) =>
        Assert.Equal(configuration.Split(' '), BackupCommand.ConfigurationArguments(args.Split(' ')));
}
